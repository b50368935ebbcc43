"""The cache folder, and compiled regular expressions kept in it across processes.

Folder: $NEWSTRACE_CACHE_DIR, else $XDG_CACHE_HOME/newstrace, else ~/.cache/newstrace; NEWSTRACE_CACHE_DIR set
to an empty string turns it off. It holds the models' unpacked files (claims/embed.py, extract/language.py)
and the file below.

Compiling our larger patterns (the gazetteer's and the catalogue's name tries, clean.py's boilerplate
alternatives, the initiative and role cues) costs about 0.25 s of processor time in every ingest process, as
much as ten text-heavy pages' analysis; `re` keeps what it compiled only in memory. `regex` keeps what
Python's regular expression compiler produces for a pattern (the code `_sre.compile` takes, with its flags and
groups) in `re-<Python version>-<engine MAGIC>.marshal`, and later processes build the Pattern from it
directly (~5 ms for all of them). A pattern is kept only after the Pattern built from its code compared equal
to re.compile's (Pattern equality compares pattern, flags and the compiled code; groups are compared too), the
file is named after the exact Python version and the engine, and any trouble with it means plain re.compile.
New patterns are added to the file when the process exits (merged with what other processes added); past
MAX_ENTRIES patterns or MAX_BYTES, only those this process used are kept.
"""
import atexit
import marshal
import os
import re
import sys
import threading
from pathlib import Path

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python implementation: plain re.compile
    _sre = None

# past either, the file keeps only the patterns the writing process used (patterns built from data that
# changes, such as the user's initiatives in the catalogue trie, would otherwise pile up)
MAX_ENTRIES = 5000
MAX_BYTES = 32 * 1024 * 1024

_lock = threading.Lock()
_entries = None  # {(pattern, flags): (flags, code, groups, groupindex, indexgroup)} from the file; {} off
_added = {}  # entries this process compiled
_used = set()
_registered = False


def cache_dir():
    "The cache folder (None: turned off)."
    if "NEWSTRACE_CACHE_DIR" in os.environ:
        value = os.environ["NEWSTRACE_CACHE_DIR"]
        return Path(value) if value else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newstrace"


def _path():
    folder = cache_dir()
    if folder is None or _sre is None:
        return None
    return folder / f"re-{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"


def _read(path):
    try:
        entries = marshal.loads(path.read_bytes())
        return entries if isinstance(entries, dict) else {}
    except (OSError, EOFError, ValueError, TypeError):
        return {}


def _load():
    global _entries
    if _entries is None:
        with _lock:
            if _entries is None:
                path = _path()
                _entries = _read(path) if path is not None else {}
    return _entries


def _entry(pattern, flags, compiled):
    "What re._compiler.compile hands _sre.compile for `pattern`, if the Pattern it builds equals `compiled`."
    tree = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(tree, flags)]
    groupindex = dict(tree.state.groupdict)
    indexgroup = [None] * tree.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    entry = (int(flags | tree.state.flags), code, tree.state.groups - 1, groupindex, tuple(indexgroup))
    built = _sre.compile(pattern, *entry)
    if built == compiled and built.groups == compiled.groups and built.groupindex == compiled.groupindex:
        return entry
    return None


def regex(pattern, flags=0):
    "re.compile(pattern, flags), the compiler's work read from the cache folder when an earlier process kept it."
    flags = int(flags)
    if type(pattern) is not str or flags & re.DEBUG or _path() is None:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    entry = _load().get(key)
    if entry is not None:
        try:
            compiled = _sre.compile(pattern, *entry)
            _used.add(key)
            return compiled
        except Exception:
            pass
    compiled = re.compile(pattern, flags)
    try:
        entry = _entry(pattern, flags, compiled)
    except Exception:
        entry = None
    if entry is not None:
        global _registered
        with _lock:
            _added[key] = entry
            _used.add(key)
            if not _registered:
                _registered = True
                atexit.register(flush)
    return compiled


def flush():
    "Add the patterns this process compiled to the file (at exit; merged with the file as it is now)."
    with _lock:
        path = _path()
        if not _added or path is None:
            return
        try:
            entries = _read(path)
            entries.update(_added)
            data = marshal.dumps(entries) if len(entries) <= MAX_ENTRIES else None
            if data is None or len(data) > MAX_BYTES:
                data = marshal.dumps({key: entry for key, entry in entries.items() if key in _used})
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            try:
                tmp.write_bytes(data)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            _added.clear()
        except (OSError, ValueError):
            pass  # a read-only cache folder: compiled every time, as without it
