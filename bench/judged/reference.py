"""The reference text that judged claim spans index: a fixed recipe, independent of newstrace's code.

Judgements in claims_pages.jsonl are character offsets into `reference_text(html_bytes)`; each page stores
the SHA-1 of that text and each claim the SHA-1 of its span, so a change of trafilatura, lxml or of this
recipe that moves the text is detected (see check_drift in score_claims_pages.py) instead of silently
shifting every span.

Recipe (CLAIMS_GUIDELINES.md, "Reference text"):
1. decode the raw page bytes: a byte-order mark wins; else strict UTF-8 if the bytes are valid UTF-8; else the
   charset declared in a <meta> tag of the first 4 KB if the bytes decode strictly with it (gb2312/gbk read
   as gb18030, iso-8859-1/ascii as cp1252); else charset_normalizer's best guess; else UTF-8 with U+FFFD.
2. trafilatura.bare_extraction(decoded, with_metadata=True) with TRAFILATURA_OPTIONS below.
3. reference text = title + "\\n\\n" + main text (just the main text when there is no title), NFC-normalised,
   "\\r\\n" and "\\r" turned into "\\n".
Made and checked with trafilatura 2.3.1, lxml 6, charset_normalizer 3.x.
"""
import codecs
import hashlib
import re
import unicodedata

TRAFILATURA_OPTIONS = dict(include_comments=False, include_tables=True, favor_precision=False,
                           favor_recall=False, deduplicate=False)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "iso-8859-1": "cp1252",
            "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_html(body):
    "(text, codec) for raw page bytes, by the recipe's step 1."
    for mark, codec in _BOMS:
        if body.startswith(mark):
            return body[len(mark):].decode(codec, errors="replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    found = _META_CHARSET.search(body[:4096])
    if found:
        label = found.group(1).decode("ascii", "replace").lower()
        codec = _ALIASES.get(label, label)
        try:
            return body.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes
    best = from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding
    return body.decode("utf-8", errors="replace"), "utf-8+replace"


def reference_text(body):
    "The reference text of raw page bytes (gzip already removed)."
    import trafilatura
    html, _ = decode_html(body)
    doc = trafilatura.bare_extraction(html, with_metadata=True, **TRAFILATURA_OPTIONS)
    if doc is None:
        return ""
    title = (getattr(doc, "title", None) or "").strip()
    text = getattr(doc, "text", None) or ""
    if title.lower() == "none":  # trafilatura writes missing fields as the string "None"
        title = ""
    joined = f"{title}\n\n{text}" if title else text
    return unicodedata.normalize("NFC", joined.replace("\r\n", "\n").replace("\r", "\n"))


def sha1(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
