"""Shared fixtures: the sample corpus on a real local HTTP server, archives built by the real CLI, real
Datasette servers and a real Chromium."""
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "seed-critical-minerals-ministerial.txt"
METADATA = ROOT / "metadata.json"


def run_cli(*args, input=None, timeout=600):
    "Run the installed `newstrace` command (as users do) and return the CompletedProcess."
    return subprocess.run([sys.executable, "-m", "newstrace.ingest.cli", *map(str, args)], input=input,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def shared():
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seed_text():
    if not SEED.exists():
        pytest.skip("the seed page in ../shared/corpus is not present")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_server():
    "The bundled sample corpus (and the seed page as /seed.html when ../shared exists) on 127.0.0.1."
    from newstrace.ingest.sample import serve_sample, text_to_html

    extra = {}
    if SEED.exists():
        extra["/seed.html"] = text_to_html(SEED.read_text(encoding="utf-8"), title="Seed page")
    with serve_sample(extra_pages=extra) as server:
        yield server


def ingest_sample(db_path, server, *extra):
    "Ingest the whole sample corpus through feed, sitemap and URL list, as the demo does."
    from newstrace.ingest.sample import sample_urls

    urls = "\n".join(sample_urls(server.base_url)) + "\n"
    return run_cli("ingest", db_path, "--feed", server.url("/feed.xml"), "--sitemap", server.url("/sitemap.xml"),
                   "--urls", "-", "--allow-private", "--delay", "0", "--quiet", *extra, input=urls)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, sample_server):
    "An archive of the sample corpus (plus the seed page when present), built once per test session."
    path = tmp_path_factory.mktemp("archive") / "newstrace.db"
    result = ingest_sample(path, sample_server, *([sample_server.url("/seed.html")] if SEED.exists() else []))
    assert result.returncode == 0, result.stderr
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Datasette as it serves without newstrace (the plugin unregistered before the command runs)
PLAIN_DATASETTE = ("from datasette.plugins import pm; pm.unregister(name='newstrace'); "
                   "from datasette.cli import cli; cli()")


@contextmanager
def serve_datasette(path, *options, plugin=True):
    """`datasette serve PATH` on a free 127.0.0.1 port, as users start it; yields the base URL. PATH may be a
    list of databases; `plugin=False` serves them with Datasette alone, to compare with."""
    port = free_port()
    paths = [str(p) for p in path] if isinstance(path, (list, tuple)) else [str(path)]
    launcher = ["-m", "datasette"] if plugin else ["-c", PLAIN_DATASETTE]
    proc = subprocess.Popen(
        [sys.executable, *launcher, "serve", *paths, "--host", "127.0.0.1", "--port", str(port),
         *map(str, options)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("datasette did not start: " + proc.stderr.read().decode())
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def datasette_url(sample_db):
    "A real `datasette serve` on the sample archive, started as the README tells users to."
    with serve_datasette(sample_db, "-m", METADATA, "--setting", "facet_time_limit_ms", "1500") as url:
        yield url


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright; skipped only where chromium is not installed.

    Module-scoped: Playwright's sync API keeps an event loop running, which must be gone before the
    asyncio tests of the next module start."""
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    "A fresh page that records page errors in page.errors (tests assert it stays empty)."
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    context.close()


# Datasette 1.0 returns a table's facets (and its count) in JSON only when `_extra=` asks; 0.65 ignores it
EXTRAS = "_extra=facet_results&_extra=count"


def facet_results(data):
    "A table page's JSON facets by name (Datasette 1.0 nests them under `results`, beside `timed_out`)."
    facets = data["facet_results"]
    return facets["results"] if isinstance(facets.get("results"), dict) and "timed_out" in facets else facets


def filtered_count(data):
    "A table page's JSON count of the matching rows (`count` in Datasette 1.0)."
    return data["filtered_table_rows_count"] if "filtered_table_rows_count" in data else data["count"]
