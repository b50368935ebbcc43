"""decode_body on bytes written for these tests (own sentences, encoded in each legacy encoding)."""
import codecs
import gzip
import json

import pytest

from newstrace.ingest.acquire.decode import DecodeError, binary_reason, decode_body

ZH_SIMPLIFIED = "商务部周三宣布，对部分稀土加工技术实施新的出口许可要求，业内人士认为此举将影响全球供应链。"
ZH_TRADITIONAL = "經濟部週三宣布，對部分稀土加工技術實施新的出口許可要求，業內人士認為此舉將影響全球供應鏈。"
JA = "経済産業省は水曜日、レアアースの加工技術について新たな輸出許可制度を導入すると発表した。業界関係者は供給網への影響を懸念している。"
KO = "산업통상자원부는 수요일 희토류 가공 기술에 대한 새로운 수출 허가 제도를 도입한다고 발표했다. 업계는 공급망에 미칠 영향을 우려하고 있다."
FR = ("Le ministère a annoncé mercredi de nouvelles règles d’exportation pour les métaux critiques, une décision "
      "qui inquiète déjà les industriels européens — « c’est énorme », dit l’un d’eux.")
DE = "Die Bundesregierung prüft neue Exportregeln für kritische Rohstoffe. Größere Unternehmen äußern „Bedenken“."


def page(body_text, head=""):
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body><p>{body_text}</p></body></html>"


def test_utf8_bom_is_read_and_dropped():
    text, enc = decode_body(codecs.BOM_UTF8 + page(ZH_SIMPLIFIED).encode("utf-8"), "text/html; charset=iso-8859-1")
    assert enc == "utf-8" and ZH_SIMPLIFIED in text and not text.startswith("\ufeff")


def test_utf16_bom():
    text, enc = decode_body(codecs.BOM_UTF16_LE + page(FR).encode("utf-16-le"))
    assert enc == "utf-16-le" and FR in text


def test_header_charset():
    text, enc = decode_body(page(FR).encode("cp1252"), "text/html; charset=windows-1252")
    assert enc == "cp1252" and FR in text


def test_latin1_label_reads_as_windows_1252():
    # browsers read ISO-8859-1 as windows-1252: the curly quotes live in 0x80-0x9F
    text, _ = decode_body(page(DE).encode("cp1252"), 'text/html; charset="ISO-8859-1"')
    assert DE in text


def test_meta_charset_and_http_equiv():
    body = page(JA, '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">').encode("shift_jis")
    text, enc = decode_body(body, "text/html")
    assert enc == "cp932" and JA in text
    body = page(KO, '<meta charset="euc-kr">').encode("euc-kr")
    text, _ = decode_body(body)
    assert KO in text


def test_gbk_without_any_charset():
    text, enc = decode_body(page(ZH_SIMPLIFIED).encode("gbk"))
    assert enc == "gb18030" and ZH_SIMPLIFIED in text and "\ufffd" not in text


def test_gbk_declared_as_gb2312_reads_as_gb18030():
    # 镕 is in GBK but not in GB2312: a strict GB2312 decoder fails on it
    sentence = ZH_SIMPLIFIED + "朱镕基曾主持相关会议。"
    body = page(sentence, '<meta charset="gb2312">').encode("gbk")
    text, enc = decode_body(body)
    assert enc == "gb18030" and sentence in text


def test_big5_declared_and_undeclared():
    body = page(ZH_TRADITIONAL).encode("big5")
    assert ZH_TRADITIONAL in decode_body(body, "text/html; charset=big5")[0]
    text, enc = decode_body(body)
    assert ZH_TRADITIONAL in text and "\ufffd" not in text


def test_shift_jis_undeclared():
    text, _ = decode_body(page(JA).encode("shift_jis"))
    assert JA in text


def test_windows_1252_declared_as_utf8():
    body = page(FR, '<meta charset="utf-8">').encode("cp1252")
    text, enc = decode_body(body, "text/html; charset=UTF-8")
    assert FR in text and "\ufffd" not in text and enc == "cp1252"


def test_gbk_declared_as_utf8_falls_through_to_detector():
    text, enc = decode_body(page(ZH_SIMPLIFIED, '<meta charset="utf-8">').encode("gbk"))
    assert enc == "gb18030" and ZH_SIMPLIFIED in text


def test_utf8_declared_as_latin1_stays_utf8():
    text, enc = decode_body(page(DE, '<meta charset="iso-8859-1">').encode("utf-8"))
    assert enc == "utf-8" and DE in text


def test_stray_legacy_bytes_in_utf8_page_are_not_replacement_characters():
    body = page(DE + " Köln").encode("utf-8").replace("Köln".encode("utf-8"), "Köln".encode("cp1252"))
    text, enc = decode_body(body, "text/html; charset=utf-8")
    assert "\ufffd" not in text and DE in text and "Köln" in text and enc == "utf-8+cp1252"


def test_stray_nul_in_html_is_tolerated():
    body = page(DE).encode("utf-8").replace(b"</p>", b"</p>\x00\x00")
    assert DE in decode_body(body)[0]


@pytest.mark.parametrize("body, content_type, word", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "PDF"),
    (b"%PDF-1.4\n1 0 obj", "text/html", "PDF"),  # the bytes win over a wrong label
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg", "JPEG"),
    (b"PK\x03\x04\x14\x00\x06\x00", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ZIP"),
    (gzip.compress(b"<html></html>"), "text/html", "gzip"),
    (json.dumps({"title": "not a page"}).encode(), "application/json; charset=utf-8", "JSON"),
    (b"\x00\x01\x02\x03binary\x00\x00", None, "NUL"),
])
def test_binary_bodies_are_rejected_with_a_reason(body, content_type, word):
    with pytest.raises(DecodeError) as err:
        decode_body(body, content_type)
    message = str(err.value)
    assert word in message and message.endswith(".") and " " in message
    assert binary_reason(body, content_type) == message


def test_mislabelled_html_is_not_rejected():
    body = page(DE).encode("utf-8")
    assert binary_reason(body, "application/octet-stream") is None
    assert DE in decode_body(body, "image/png")[0]


def test_utf16_header_without_bom():
    body = page(FR).encode("utf-16-le")
    assert FR in decode_body(body, "text/html; charset=utf-16le")[0]
    # an 8-bit page wrongly labelled UTF-16 is not turned into CJK noise
    assert FR in decode_body(page(FR).encode("cp1252"), "text/html; charset=utf-16")[0]


def test_declared_utf8_with_a_few_bad_bytes_stays_utf8():
    "issue 15: a UTF-8 page with some broken bytes was read as cp1250, garbling every accented word."
    title = "Über die Preise für Lithium in Zürich"
    body = page("Die Händler warten. " + "Lithium kostet mehr. " * 20, f"<title>{title}</title>").encode("utf-8")
    body = body.replace(b"warten.", b"warten \xe2\x80.").replace(b"mehr. Lithium", b"mehr \xe2\x80 Lithium", 1)
    body = body.replace(b"Lithium kostet", b"Lithium \xe2\x82 kostet", 1)
    for declared in ("text/html; charset=utf-8", None):
        html = body if declared else body.replace(b"<head>", b'<head><meta charset="utf-8">')
        text, enc = decode_body(html, declared)
        assert title in text and "Händler" in text, enc
        assert enc.startswith("utf-8") and text.count("\ufffd") == 3
