"run_batch collects cyclic garbage less often while it runs, and gives the process its own setting back."
import gc

from newstrace.ingest import store
from newstrace.ingest.acquire import path_tasks
from newstrace.ingest.pipeline import run_batch
from newstrace.ingest.pipeline.batch import GC_THRESHOLD
from newstrace.ingest.sample.server import text_to_html

TEXT = ("Ministers from twelve countries agreed on Tuesday to coordinate stockpiles of rare earths and cobalt, "
        "the trade minister said after the meeting in Brussels, adding that the first purchases would follow "
        "in March.\n") * 3


def test_gc_threshold_during_the_batch_and_after(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(2):
        (folder / f"p{i}.html").write_text(text_to_html(f"Page {i}. " + TEXT, title=f"Stockpiles {i}"), "utf-8")
    seen = []

    def tasks():
        for task in path_tasks(str(folder)):
            seen.append(gc.get_threshold())  # read as the batch takes each task
            yield task

    before = gc.get_threshold()
    db = store.open_db(str(tmp_path / "newstrace.db"))
    summary = run_batch(db, tasks(), {"timeout": 30, "max_bytes": 10_000_000, "matcher": "rules"}, progress=False)
    assert summary["counts"]["new"] == 2
    assert seen == [GC_THRESHOLD, GC_THRESHOLD] and GC_THRESHOLD[0] > before[0]
    assert gc.get_threshold() == before
