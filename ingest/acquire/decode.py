"""Bytes of a fetched page -> text, with the encoding it was read in.

Clues are tried in the order browsers trust them (byte-order mark, HTTP Content-Type charset, <meta> in the
first bytes), then a detector. A declared charset is only believed when the bytes decode under it: servers
and templates often declare UTF-8 over windows-1252 or GBK bytes, and the reverse.
"""
import codecs
import re

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    "The body is not a text page; str(err) says why in a sentence."


_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels pages use -> the codec that actually reads them. Browsers (WHATWG Encoding) read latin-1/ascii
# labels as windows-1252 and GB2312/GBK as their superset, so text written by those browsers needs the same.
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "windows-1252": "cp1252", "cp1252": "cp1252",
    "x-cp1252": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "iso-8859-11": "cp874",
    "tis-620": "cp874", "windows-874": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030",
    "chinese": "gb18030", "csgb2312": "gb18030", "euc-cn": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "csshiftjis": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "ksc5601": "cp949", "windows-949": "cp949",
    # a <meta> cannot really declare UTF-16 (the parser already read it as ASCII); WHATWG says UTF-8
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.I)
_META_SCAN_BYTES = 4096
_SNIFF_BYTES = 1024

_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"PK\x03\x04", "a ZIP archive (Office, OpenDocument and EPUB files are ZIP archives too)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data that was not decompressed"),
    (b"(\xb5/\xfd", "zstd-compressed data that was not decompressed"),
    (b"BZh", None),  # checked below: BZh + digit + block magic
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1aE\xdf\xa3", "a WebM/Matroska video"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", None),  # checked below: DOS/Windows executable header
)

# Content types that are never a page; a body that nonetheless starts like HTML is let through (mislabelled).
_BINARY_TYPES = re.compile(
    r"^(image|audio|video|font)/|^application/(pdf|zip|x-zip|gzip|x-gzip|x-tar|x-7z|x-rar|x-bzip2|zstd|"
    r"octet-stream|msword|vnd\.ms-|vnd\.openxmlformats|vnd\.oasis\.opendocument|epub|x-shockwave|wasm|"
    r"x-executable|x-msdownload|java-archive|font)", re.I)
_JSON_TYPE = re.compile(r"^application/([\w.+-]*\+)?json\b|^text/json\b", re.I)
_LOOKS_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
                         re.I | re.S)


def _media_type(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower()


def _bom(body):
    for mark, name in _BOMS:
        if body.startswith(mark):
            return mark, name
    return None, None


def binary_reason(body, content_type=None):
    "A sentence saying why the body is not a text page, or None when it can be decoded as one."
    start = body[:_SNIFF_BYTES]
    for magic, what in _MAGIC:
        if not start.startswith(magic):
            continue
        if magic == b"BZh" and not (start[3:4].isdigit() and start[4:10] == b"1AY&SY"):
            continue
        if magic == b"MZ" and b"This program cannot be run in DOS mode" not in start:
            continue
        return f"The body is {what or 'binary data'}, not a web page."
    if start[4:8] == b"ftyp":
        return "The body is an MP4/QuickTime media file, not a web page."
    if start.startswith(b"RIFF") and start[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "The body is a RIFF media file (WebP, WAV or AVI), not a web page."
    media = _media_type(content_type)
    looks_html = bool(_LOOKS_HTML.match(start.lstrip(codecs.BOM_UTF8)))
    if _JSON_TYPE.match(media) and not looks_html:
        return f"The body is JSON (Content-Type {media}), not a web page."
    if _BINARY_TYPES.match(media) and not looks_html:
        return f"The Content-Type is {media}, a binary format, and the body does not look like HTML."
    mark, _ = _bom(body)
    if mark is None or mark == codecs.BOM_UTF8:
        declared = _charset_from_header(content_type) or ""
        sample = body[:65536]
        nuls = sample.count(b"\x00")
        # a few stray NULs occur in real HTML; binary data and BOM-less UTF-16 are full of them
        if nuls and not declared.startswith(("utf-16", "utf-32")) and (
                not looks_html or nuls > len(sample) // 20):
            return ("The body contains NUL bytes, so it is binary data "
                    "(or UTF-16 text without a byte-order mark or declared charset).")
    return None


def _codec(label, from_meta=False):
    "Normalised codec name for a charset label, or None when Python has no such codec."
    label = label.strip().strip("\"'").lower()
    if not label:
        return None
    if not from_meta and label.startswith(("utf-16", "utf-32")):
        return label  # a real HTTP header can say UTF-16 (a <meta> cannot: see _ALIASES)
    name = _ALIASES.get(label)
    if name:
        return name
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def _charset_from_header(content_type):
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1).lower() if match else None


def _charset_from_meta(body):
    # covers <meta charset=x> and <meta http-equiv=Content-Type content="text/html; charset=x">
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii", "replace").lower() if match else None


_CP1252_HOLES = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _stray_byte_handler(err):
    """A lone byte that is not UTF-8 is read as windows-1252 (latin-1 for its five holes): a legacy character
    in a UTF-8 template. A broken multi-byte sequence (a character cut short) becomes U+FFFD."""
    bad = err.object[err.start:err.end]
    if len(bad) > 1:
        return "\ufffd", err.end
    text = "".join(bytes([b]).decode("latin-1" if b in _CP1252_HOLES else "cp1252") for b in bad)
    return text, err.end


codecs.register_error("newstrace-stray-bytes", _stray_byte_handler)


def _utf8_shape(body):
    """(count of valid multibyte UTF-8 characters, count of invalid bytes, the body read as UTF-8 when it all
    is, else None)."""
    if body.isascii():
        return 0, 0, None
    try:
        text, bad = body.decode("utf-8"), 0
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        # a literal U+FFFD in valid UTF-8 is the page's own, not a decoding failure
        bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    # the characters outside ASCII (encoding to ASCII drops exactly those; a quarter of the time of finding them)
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    return wide, bad, (text if not bad else None)


def _strict(body, codec):
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


_CHAOS_MARGIN = 0.05


def _detect(body):
    "charset-normalizer's guess as a codec name, or None."
    results = list(from_bytes(body))
    if not results:
        return None
    # Its first pick among near-equal single-byte code pages is arbitrary on short Western text (cp1257 for
    # French): prefer windows-1252, the web's commonest legacy encoding, when it reads as well.
    best = results[0]
    for other in results[1:]:
        if (_codec(other.encoding) == "cp1252" and other.chaos <= best.chaos + _CHAOS_MARGIN
                and other.coherence >= best.coherence):
            best = other
            break
    return _codec(best.encoding)


def decode_body(body, content_type=None):
    """(text, encoding) for a page body; raises DecodeError for binary bodies.

    encoding is the Python codec used ("utf-8", "cp1252", "gb18030", ...); "utf-8+cp1252" means UTF-8
    with a few stray windows-1252 bytes read as such."""
    if isinstance(body, str):
        return body, "str"
    reason = binary_reason(body, content_type)
    if reason:
        raise DecodeError(reason)
    if not body:
        return "", "utf-8"

    mark, bom_codec = _bom(body)
    if mark:
        text = body[len(mark):].decode(bom_codec, errors="newstrace-stray-bytes" if bom_codec == "utf-8"
                                       else "replace")
        return text, bom_codec

    wide, bad, utf8 = _utf8_shape(body)
    # Valid UTF-8 with real non-ASCII text is UTF-8 whatever the page says: legacy text that happens to be
    # valid UTF-8 is vanishingly rare, while pages re-saved as UTF-8 keep their old <meta charset>.
    if bad == 0 and wide >= 2:
        return utf8, "utf-8"
    # Mostly UTF-8 with a few stray legacy bytes (a template in UTF-8 around an old snippet): keep UTF-8.
    mostly_utf8 = bad and wide >= 2 * bad

    for label, from_meta in ((_charset_from_header(content_type), False), (_charset_from_meta(body), True)):
        codec = _codec(label, from_meta) if label else None
        if not codec:
            continue
        if codec == "utf-8":
            if bad == 0:
                return body.decode("utf-8"), "utf-8"
            # declared UTF-8 and a third or more of its non-ASCII characters valid: a UTF-8 page with a few
            # bad bytes, kept as UTF-8 (a detector read them as cp1250 and garbled every accented title).
            # Legacy multi-byte text under a wrong label is valid UTF-8 only by accident (Big5 40 of 304,
            # Shift-JIS 58 of 287 in the sample corpus).
            if mostly_utf8 or 2 * wide >= bad:
                return body.decode("utf-8", errors="newstrace-stray-bytes"), "utf-8+cp1252"
            continue  # declared UTF-8 over legacy bytes: the next clue or the detector knows better
        if codec.startswith(("utf-16", "utf-32")) and b"\x00" not in body[:_SNIFF_BYTES]:
            continue  # UTF-16 markup is full of NULs; without them the label is wrong
        text = _strict(body, codec)
        if text is not None:
            return text, codec

    if bad == 0:
        return body.decode("utf-8"), "utf-8"
    if mostly_utf8:
        return body.decode("utf-8", errors="newstrace-stray-bytes"), "utf-8+cp1252"
    codec = _detect(body)
    if codec and codec != "utf-8":
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    # last resort: never U+FFFD for legacy bytes, read them as windows-1252
    return body.decode("utf-8", errors="newstrace-stray-bytes"), "utf-8+cp1252"
