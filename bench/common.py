"""Shared by the bench scripts: where things are, the machine and versions, tables, RESULTS.md sections."""
import datetime
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# evaluation data is never copied into the repository: it is read from ../shared beside it
SHARED = REPO.parent / "shared"
EVAL_PAGES = SHARED / "eval" / "pages"
RESULTS = BENCH / "RESULTS.md"
# a --quick run (a developer checking the harness) writes here, never over RESULTS.md's full-run sections
QUICK_RESULTS = BENCH / "RESULTS.quick.md"
_target = {"path": RESULTS}


def use_results(path):
    "Where write_section writes from now on (run.py --quick: QUICK_RESULTS)."
    _target["path"] = Path(path)


def results_path():
    return _target["path"]
DEFAULT_WORKDIR = Path(os.environ.get("NEWSTRACE_BENCH_DIR", "/tmp/newstrace-bench"))
BIN = Path(sys.executable).parent


def newstrace_command():
    exe = BIN / "newstrace"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "newstrace.ingest.cli"]


def datasette_command():
    exe = BIN / "datasette"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "datasette"]


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def memory_gb():
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment():
    "The lines every results section starts with."
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "hardware": f"{os.cpu_count()} cores ({cpu_model()}), {memory_gb():.1f} GB memory, "
                    f"load average {' / '.join('%.2f' % x for x in os.getloadavg())} at start",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "datasette": _version("datasette"),
        "trafilatura": _version("trafilatura"),
        "sqlite-utils": _version("sqlite-utils"),
        "newstrace": _git_head(),
    }


def _git_head():
    try:
        out = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s"], capture_output=True,
                             text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip()[:70] + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def environment_lines(env=None):
    env = env or environment()
    return [
        f"- Date: {env['date']}",
        f"- Hardware: {env['hardware']}",
        f"- Versions: Python {env['python']}, SQLite {env['sqlite']}, Datasette {env['datasette']}, "
        f"trafilatura {env['trafilatura']}, sqlite-utils {env['sqlite-utils']}",
        f"- Code: {env['newstrace']}",
    ]


def table(headers, rows):
    "A Markdown table; it reads fine in a terminal too."
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for row in cells[1:]:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    return "\n".join(lines)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds):
    return None if seconds is None else f"{seconds * 1000:.1f}"


HEADER = """# newstrace benchmarks

Written by the scripts in `bench/` (see `bench/README.md`); each section is replaced by the run that
produced it, so sections may come from different runs — each states its own date, machine and versions.
"""

_SECTION = re.compile(r"<!-- bench:(?P<key>[^ >]+) -->\n.*?<!-- /bench:(?P=key) -->\n", re.S)


def slug(key):
    return re.sub(r"[^\w.-]+", "-", key).strip("-").lower()


def write_section(key, title, body, env=None, path=None):
    """Replace (or add) the section `key` of RESULTS.md (or of the file use_results chose), in its place; a new
    section goes before the first that sorts after it."""
    path = Path(path) if path else results_path()
    key = slug(key)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    # older runs may have written keys with spaces: normalise every marker first
    text = re.sub(r"<!-- (/?)bench:([^>]+?) -->", lambda m: f"<!-- {m.group(1)}bench:{slug(m.group(2))} -->", text)
    sections = {m.group("key"): m.group(0) for m in _SECTION.finditer(text)}
    head = _SECTION.sub("", text).rstrip() + "\n"
    block = "\n".join([f"<!-- bench:{key} -->", f"## {title}", "", *environment_lines(env), "", body.rstrip(),
                       f"<!-- /bench:{key} -->", ""])
    # a section keeps its place (sections placed by hand stay where they are); a new one goes where its key sorts
    order = list(sections)
    if key not in sections:
        later = [i for i, k in enumerate(order) if _section_order(k) > _section_order(key)]
        order.insert(later[0] if later else len(order), key)
    sections[key] = block
    out = head + "\n" + "\n".join(sections[k] for k in order)
    path.write_text(out, encoding="utf-8")
    return path


def _section_order(key):
    # ingest, then views by size, then sizes
    kind, _, rest = key.partition("-")
    order = {"summary": -1, "ingest": 0, "archive": 1, "views": 2, "size": 3}.get(kind, 9)
    digits = re.match(r"\d+", rest)
    return (order, int(digits.group(0)) if digits else 0, key)


def free_bytes(path):
    path = Path(path)
    while not path.exists():
        path = path.parent
    return shutil.disk_usage(path).free


def human_bytes(n):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
