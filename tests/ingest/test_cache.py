"""cache.regex: re.compile whose compiled code an earlier process kept in the cache folder."""
import re

import pytest

from newstrace.ingest import cache

PATTERNS = [
    (r"(?<![A-Za-z])(?:Bank of (?P<place>England|Japan)|central bank)(?![A-Za-z])", 0),
    (r"\b(sanctions?|embargo(?:es)?)\b((?:\s+[a-z]+){0,4}?)\s+(?:on|against)\s+$", re.I),
    (r"(?:《联合国气候变化框架公约》)?第([一二三四五六七八九十\d]+)(?:次|届)", 0),
    (r"(?:cookie|accept all|share)\s*[.!。！:：]?", re.IGNORECASE | re.MULTILINE),
    (r"^\s*\d{1,3}(?:,\d{3})*(?:\.\d+)?\s*%$", re.ASCII),
]
TEXTS = ["the Bank of England said", "central bank-led", "sanctions imposed on ", "EMBARGO against ",
         "《联合国气候变化框架公约》第二十六次缔约方大会", "Accept all!", " 1,234.5 %", "nothing here"]


def _fresh(monkeypatch):
    "This process as if it had just started: nothing read from the file, nothing compiled."
    monkeypatch.setattr(cache, "_entries", None)
    monkeypatch.setattr(cache, "_added", {})
    monkeypatch.setattr(cache, "_used", set())


def _same(got, pattern, flags):
    want = re.compile(pattern, flags)
    assert got == want and got.groups == want.groups and got.groupindex == want.groupindex
    assert got.flags == want.flags and got.pattern == want.pattern
    for text in TEXTS:
        a, b = got.search(text), want.search(text)
        assert (a and (a.span(), a.groups(), a.groupdict())) == (b and (b.span(), b.groups(), b.groupdict()))


def test_kept_code_builds_the_same_patterns(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        _same(cache.regex(pattern, flags), pattern, flags)
    cache.flush()
    assert len(list(tmp_path.glob("re-*.marshal"))) == 1
    expected = [re.compile(pattern, flags) for pattern, flags in PATTERNS]
    # a later process: every pattern built from the file, Python's compiler never asked
    _fresh(monkeypatch)

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(re._compiler, "compile", refuse)
    monkeypatch.setattr(re, "_cache", {})
    got = [cache.regex(pattern, flags) for pattern, flags in PATTERNS]
    monkeypatch.undo()
    assert got == expected and [g.groupindex for g in got] == [e.groupindex for e in expected]


def test_patterns_from_the_file_match_as_compiled_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        cache.regex(pattern, flags)
    cache.flush()
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        _same(cache.regex(pattern, flags), pattern, flags)
    assert cache._used == {(p, int(f)) for p, f in PATTERNS} and not cache._added


def test_broken_file_or_no_folder_means_plain_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    cache.regex(*PATTERNS[0])
    cache.flush()
    path = next(tmp_path.glob("re-*.marshal"))
    path.write_bytes(b"not marshal data")
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        _same(cache.regex(pattern, flags), pattern, flags)
    cache.flush()  # written again, whole
    _fresh(monkeypatch)
    assert len(cache._load()) == len(PATTERNS)
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", "")
    empty = tmp_path / "off"
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        _same(cache.regex(pattern, flags), pattern, flags)
    cache.flush()
    assert not cache._added and not empty.exists()


def test_file_keeps_used_patterns_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        cache.regex(pattern, flags)
    cache.flush()
    _fresh(monkeypatch)
    assert len(cache._load()) == len(PATTERNS)  # this process used all of them
    _fresh(monkeypatch)
    cache.regex(*PATTERNS[0])
    cache.regex(r"new (pattern)", 0)
    cache.flush()
    _fresh(monkeypatch)
    assert set(cache._load()) == {(PATTERNS[0][0], 0), (r"new (pattern)", 0)}


def test_file_keeps_used_patterns_past_its_size(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    for pattern, flags in PATTERNS:
        cache.regex(pattern, flags)
    cache.flush()
    size = next(tmp_path.glob("re-*.marshal")).stat().st_size
    monkeypatch.setattr(cache, "MAX_BYTES", size)  # one more pattern and the file is too large
    _fresh(monkeypatch)
    cache.regex(*PATTERNS[1])
    cache.regex(r"another (one)", re.I)
    cache.flush()
    _fresh(monkeypatch)
    assert set(cache._load()) == {(PATTERNS[1][0], int(PATTERNS[1][1])), (r"another (one)", int(re.I))}


@pytest.mark.parametrize("pattern", [b"bytes (pattern)", "(?x) verbose # comment\n pattern"])
def test_other_patterns_compile_as_usual(tmp_path, monkeypatch, pattern):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    _fresh(monkeypatch)
    assert cache.regex(pattern) == re.compile(pattern)
