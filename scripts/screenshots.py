#!/usr/bin/env python3
"""Screenshots of every newstrace page, in English and Chinese, at a desktop and a phone size, for a reviewer
to look at (and two of them for the README).

usage: python scripts/screenshots.py [--db newstrace.db] [--out screenshots/] [--full-page] [--only NAME ...]

Without --db the bundled sample corpus is served on 127.0.0.1 and ingested into a temporary archive, as
`newstrace demo --no-serve` does. Datasette is started the way the README says (`datasette serve ... -m
metadata.json`) on a free 127.0.0.1 port; Debian's chromium (found with shutil.which) takes the pictures.
Writes OUT/<page>-<en|zh>-<1366|390>.png and prints one line per picture with the page's height.
"""
import argparse
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"1366": (1366, 900), "390": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def pages(db_path, name):
    "(page name, path) of every custom page, on the archive's most telling rows."
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        claim = conn.execute("SELECT id FROM claims ORDER BY n_outlets DESC, n_mentions DESC, id LIMIT 1").fetchone()
        article = conn.execute("SELECT article_id FROM claim_mentions GROUP BY article_id "
                               "ORDER BY COUNT(*) DESC, article_id LIMIT 1").fetchone()
        country = conn.execute("SELECT country FROM participation WHERE role NOT IN ('mentioned') "
                               "GROUP BY country ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
        initiative = conn.execute("SELECT initiative_id FROM participation GROUP BY initiative_id "
                                  "ORDER BY COUNT(DISTINCT country) DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    d = f"/{name}"
    out = [("database", d), ("overview", f"{d}/-/overview"), ("search", f"{d}/-/search?q=rare+earth"),
           ("claims", f"{d}/-/claims"), ("countries", f"{d}/-/countries"), ("initiatives", f"{d}/-/initiatives"),
           ("articles-table", f"{d}/articles?_size=50")]
    if claim:
        out.append(("claim", f"{d}/-/claims/{claim[0]}"))
    if article:
        out.append(("article", f"{d}/-/articles/{article[0]}"))
    if country:
        out.append(("country", f"{d}/-/countries/{country[0]}"))
    if initiative:
        out.append(("initiative", f"{d}/-/initiatives/{initiative[0]}"))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(folder):
    "The sample corpus ingested into folder/newstrace.db through the real fetch path."
    db = Path(folder) / "newstrace.db"
    result = subprocess.run([sys.executable, "-m", "newstrace.ingest.cli", "demo", "--db", str(db), "--no-serve"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return db


def serve(db):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "-m", str(ROOT / "metadata.json"),
                             "--setting", "default_page_size", "50", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/-/versions.json", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("datasette did not start")


def shoot(base, targets, out, full_page=False, languages=("en", "zh")):
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if not executable:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        for lang in languages:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              locale="zh-CN" if lang == "zh" else "en-US",
                                              extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9" if lang == "zh"
                                                                  else "en-US,en;q=0.9"})
                page = context.new_page()
                for name, path in targets:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if page.locator(".newstrace-map").count():
                        page.wait_for_selector(".newstrace-map[data-ready], .newstrace-map[data-error]", timeout=15000)
                    file = out / f"{name}-{lang}-{size}.png"
                    page.screenshot(path=str(file), full_page=full_page)
                    tall = page.evaluate("() => document.documentElement.scrollHeight")
                    wide = page.evaluate("() => document.documentElement.scrollWidth")
                    print(f"{file.name}: page {wide}x{tall} px", flush=True)
                context.close()
        browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an archive (default: the sample corpus, ingested into a temporary one)")
    parser.add_argument("--out", default="screenshots", help="folder for the PNGs")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the first screen")
    parser.add_argument("--only", nargs="*", help="page names to take (database, overview, search, claims, ...)")
    parser.add_argument("--lang", nargs="*", default=["en", "zh"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else build_demo(tmp)
        targets = pages(db, db.stem)
        if args.only:
            targets = [t for t in targets if t[0] in args.only]
        proc, base = serve(db)
        try:
            shoot(base, targets, Path(args.out), args.full_page, tuple(args.lang))
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
