"""`newstrace analyze` (a documented, stable output) and `newstrace demo`."""
import json
import sqlite3
import subprocess
import sys
import time

import httpx

from tests.conftest import free_port, run_cli

EN = ("Officials in Tokyo said Japan will join the plan.\n"
      "“We will not wait,” Trade Minister Aiko Sato said on Tuesday, according to The Harbor Times.\n"
      "The deal covers more than 40 countries and a $2 billion fund.\n")
HTML = ("<html><head><title>Ministers meet</title><meta property='article:published_time' content='2026-02-04'>"
        "</head><body><nav>Home | World</nav><article><h1>Ministers meet</h1>"
        "<p>Mexico and Canada agreed on Tuesday to coordinate minerals purchases, officials said.</p>"
        "<p>“This is a first step,” said Finance Minister Rosa Vidal, adding that 12 companies would take part.</p>"
        "<p>印度尼西亚和日本的代表也出席了会议。</p></article>"
        "<footer>We use cookies. Accept</footer></body></html>")
FIELDS = {"id", "title", "language", "text", "claims", "countries", "country_mentions", "participation"}


def analyze(*args, input=None):
    result = run_cli("analyze", *args, input=input)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_plain_text_offsets_index_the_input_unchanged():
    [out] = analyze("-", input=EN)
    assert FIELDS <= set(out) and out["id"] == "-" and out["text"] == EN and out["language"] == "en"
    assert "JP" in out["countries"]
    for item in out["claims"] + out["country_mentions"]:
        span = EN[item["char_start"]:item["char_end"]]
        assert span == item.get("sentence", item.get("surface"))
    quote = [c for c in out["claims"] if c["claim_type"] == "quote"]
    assert quote and quote[0]["attribution_mode"] in ("direct_quote", "secondhand_outlet")
    assert "Sato" in quote[0]["speaker"] and quote[0]["cited_source"] == "The Harbor Times"
    stat = [c for c in out["claims"] if c["claim_type"] == "statistic"]
    assert any(q["unit"] == "USD" and q["value"] == 2e9 for c in stat for q in c["quantities"])


def test_file_input_uses_the_file_name_as_id(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(EN, encoding="utf-8")
    [out] = analyze(path)
    assert out["id"] == "story.txt" and out["text"] == EN


def test_html_input_offsets_index_the_cleaned_text():
    [out] = analyze("--html", "-", input=HTML)
    assert out["title"] == "Ministers meet" and "Home | World" not in out["text"]
    assert "We use cookies" not in out["text"]
    assert {"MX", "CA", "ID", "JP"} <= set(out["countries"]) and "IN" not in out["countries"]
    for item in out["claims"] + out["country_mentions"]:
        assert out["text"][item["char_start"]:item["char_end"]] == item.get("sentence", item.get("surface"))


def test_jsonl_input_mixes_text_and_html():
    lines = [json.dumps({"id": "a", "text": EN}), json.dumps({"id": 7, "html": HTML}), "",
             json.dumps({"id": "empty", "text": ""})]
    outs = analyze("--jsonl", "-", input="\n".join(lines) + "\n")
    assert [o["id"] for o in outs] == ["a", 7, "empty"]
    assert outs[2]["claims"] == [] and outs[2]["countries"] == []


def test_jsonl_bad_line_is_a_fatal_error():
    result = run_cli("analyze", "--jsonl", "-", input='{"id": 1, "text": "x"}\nnot json\n')
    assert result.returncode == 1 and "Line 2" in result.stderr


def test_demo_builds_and_serves(tmp_path):
    db = tmp_path / "demo.db"
    built = run_cli("demo", "--db", db, "--no-serve")
    assert built.returncode == 0, built.stderr
    with sqlite3.connect(db) as conn:
        n, sources = conn.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM articles").fetchone()
        failed = conn.execute("SELECT COUNT(*) FROM fetch_log WHERE outcome = 'failed'").fetchone()[0]
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        participation = conn.execute("SELECT COUNT(*) FROM participation").fetchone()[0]
    assert n >= 15 and sources == 3 and failed == 0 and claims > 0 and participation > 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newstrace.ingest.cli", "demo", "--db", str(tmp_path / "newstrace.db"),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/newstrace/articles.json?_shape=array&_size=1", timeout=1)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()
        assert httpx.get(f"http://127.0.0.1:{port}/newstrace/-/search?q=稀土").status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in err
