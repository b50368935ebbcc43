"""extract_page on pages written for these tests (own sentences), with real trafilatura."""
import json
import random
import signal
import time

import pytest

from newstrace.ingest.extract.clean import clean_text, is_boilerplate_line, is_section_marker
from newstrace.ingest.extract import ExtractError, ExtractTimeout, extract_page, word_count
from newstrace.ingest.extract.language import detect_language, detect_languages

EN_PARAS = [
    "Trade ministers from several dozen countries gathered in a northern port city on Wednesday to discuss how "
    "to share the supply of lithium, cobalt and rare earth elements.",
    "The host government proposed a shared reserve and a minimum price, according to a draft seen by reporters. "
    "Two delegations said they needed more time to study the text before committing.",
    "Officials expect a second round of talks later in the spring, when a smaller working group will present "
    "detailed figures on stockpiles and processing capacity.",
]
ZH_PARAS = [
    "多国贸易部长周三在北方一座港口城市举行会议，讨论如何共同保障锂、钴和稀土元素的供应，并就建立联合储备交换了意见。",
    "东道国政府提出设立共同储备和最低价格机制，两个代表团表示需要更多时间研究草案文本，然后才能作出承诺。",
    "官员预计春季晚些时候将举行第二轮会谈，届时一个规模较小的工作组将提交关于库存和加工能力的详细数据。",
]


def html_page(paragraphs, head="", before="", after=""):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/business'>Business</a></nav>"
            f"{before}<article><h1>Ministers meet on minerals</h1>{body}</article>{after}"
            f"<footer><a href='/about'>About us</a></footer></body></html>")


META_HEAD = """<title>Ministers meet on minerals | Harbour Ledger</title>
<meta property="article:published_time" content="2026-02-04T09:30:00-05:00">
<meta property="og:site_name" content="Harbour Ledger">
<meta name="author" content="Jane Q. Reporter">
<link rel="canonical" href="https://news.harbour-ledger.example/2026/02/04/minerals-talks?utm_source=feed#top">"""


def test_metadata_from_meta_tags_only():
    page = extract_page(html_page(EN_PARAS, META_HEAD), "https://news.harbour-ledger.example/world/12345")
    assert page["published"] == "2026-02-04T09:30:00-05:00"
    assert page["published_month"] == "2026-02"
    assert page["sitename"] == "Harbour Ledger"
    assert page["title"] == "Ministers meet on minerals"
    assert page["author"] == "Jane Q Reporter" or page["author"] == "Jane Q. Reporter"
    assert page["canonical_url"] == "https://news.harbour-ledger.example/2026/02/04/minerals-talks"
    assert page["language"] == "en" and page["languages"] == ["en"]
    assert EN_PARAS[1] in page["text"] and "Home" not in page["text"].splitlines()
    assert page["word_count"] == word_count(page["text"]) > 60
    assert page["excerpt"] and page["text"].startswith(page["excerpt"].rstrip("…")[:100])


def test_date_only_in_meta_without_time():
    head = '<meta name="date" content="2025-11-20"><title>Talks</title>'
    page = extract_page(html_page(EN_PARAS, head), "https://example.net/a/talks")
    assert page["published"] == "2025-11-20" and page["published_month"] == "2025-11"


def test_canonical_that_is_the_site_root_is_ignored():
    head = '<link rel="canonical" href="https://example.net/"><title>Talks</title>'
    page = extract_page(html_page(EN_PARAS, head), "https://example.net/news/2026/talks.html")
    assert page["canonical_url"] == "https://example.net/news/2026/talks.html"


def test_relative_canonical_and_og_url():
    head = '<link rel="canonical" href="/news/talks-final"><title>Talks</title>'
    page = extract_page(html_page(EN_PARAS, head), "https://example.net/news/talks?page=2")
    assert page["canonical_url"] == "https://example.net/news/talks-final"
    head = '<meta property="og:url" content="https://example.net/news/talks-og"><title>Talks</title>'
    assert extract_page(html_page(EN_PARAS, head), "https://example.net/x/1")["canonical_url"] == \
        "https://example.net/news/talks-og"


def test_never_the_string_none():
    head = '<meta name="author" content="None"><meta property="og:site_name" content="null">'
    page = extract_page(html_page(EN_PARAS, head))
    for key, value in page.items():
        assert value != "None" and value != "null", key
    assert '"None"' not in json.dumps(page)
    assert isinstance(page["languages"], list)


def test_mixed_english_chinese_page():
    paragraphs = [EN_PARAS[0], ZH_PARAS[0], EN_PARAS[1], ZH_PARAS[1], EN_PARAS[2]]
    page = extract_page(html_page(paragraphs), "https://example.net/bilingual/1")
    assert page["languages"] == ["en", "zh"] and page["language"] == "en"
    assert ZH_PARAS[1] in page["text"]
    # CJK characters count one each
    assert page["word_count"] == word_count(page["text"]) > len(ZH_PARAS[0]) + len(ZH_PARAS[1])


def test_chinese_page():
    page = extract_page(html_page(ZH_PARAS), "https://example.cn/news/1.html")
    assert page["language"] == "zh" and page["languages"] == ["zh"]


def test_boilerplate_lines_are_removed_and_content_kept():
    paragraphs = [EN_PARAS[0], "AI 生成的图像", ZH_PARAS[0], "由 AI 报道 AI 生成的图像", EN_PARAS[1],
                  "Photo: Harbour Ledger archive", "Read more: Port workers end strike after two days",
                  "相关文章", ZH_PARAS[1], EN_PARAS[2],
                  "此网站使用 cookie", "我们使用 cookie 进行分析以改进我们的网站。阅读我们的 隐私政策 以获取更多信息。", "拒绝"]
    page = extract_page(html_page(paragraphs), "https://example.net/story/2")
    lines = [line.strip() for line in page["text"].splitlines()]
    for gone in ("AI 生成的图像", "由 AI 报道 AI 生成的图像", "拒绝", "此网站使用 cookie",
                 "Photo: Harbour Ledger archive", "Read more: Port workers end strike after two days"):
        assert gone not in lines
    assert not any(line.startswith("我们使用 cookie") for line in lines)
    for kept in (EN_PARAS[0], EN_PARAS[2], ZH_PARAS[0], ZH_PARAS[1]):
        assert kept in page["text"]
    # a section heading stays in the stored text (it tells related stories from the main one)
    assert "相关文章" in lines


def test_clean_text_keeps_content_that_looks_like_furniture():
    text = "\n".join(["Copyright law is changing across the bloc.", "Auch interessant ist die Frage, wer zahlt.",
                      "Published by a small press in 2003, the report sold well.", "}", "=)", "|---|---|",
                      "Quelle: Statistisches Bundesamt", "来源：新华社"])
    assert clean_text(text) == text
    assert is_boilerplate_line("  ") and is_boilerplate_line("Share Tweet Email")
    assert is_boilerplate_line("Related") and is_section_marker("Related") and not is_section_marker("拒绝")


def test_first_character_dispatch_gives_the_whole_patterns_verdict():
    """_kind tries, for a line beginning with an ASCII character, only the boilerplate patterns that can begin
    with it (and "pieces" only when one of them opens the line): every line here gets the verdict of the
    whole "line" and "pieces" regexes."""
    import itertools

    from newstrace.ingest.extract import clean

    rx = clean._regexes()
    words = ["Share", "Tweet", "Email", "Photo: Reuters", "Copyright 2024 Example", "© Example", "Read more",
             "Related", "OK", "Accept all", "We use cookies to improve it", "12.03.2024", "Monday, 3 March 2024",
             "10:45 AM", "3 comments", "Lire aussi : la suite", "Reklama", "The minister said", "1 Kommentar",
             "(AP)", ">> more <<", "k", "\u212a", "\u017f", "i", "Sign up for our newsletter", "|", "/", "•"]
    lines = EN_PARAS + [" ".join(combo) for n in (1, 2, 3) for combo in itertools.permutations(words, n)]
    lines += [line + end for line in words for end in (".", " :", "!", "。")] + [w.upper() for w in words]
    checked = 0
    for line in (line.strip() for line in lines):
        if not line or line[0] >= "\x80":
            continue
        whole = bool(rx["line"].fullmatch(line)) or (len(line) <= rx["max_pieces"] and bool(rx["pieces"].fullmatch(line)))
        line_rx, opens = clean._starting_with(line[0])
        mine = bool(line_rx and line_rx.fullmatch(line)) or \
            (len(line) <= rx["max_pieces"] and bool(opens and opens.match(line)) and bool(rx["pieces"].fullmatch(line)))
        assert mine == whole, line
        checked += whole
    assert checked > 100  # furniture among them, not only content


def test_empty_and_navigation_only_pages_raise():
    for html in ("", "   ", "<html><head><title>x</title></head><body></body></html>"):
        with pytest.raises(ExtractError) as err:
            extract_page(html)
        assert str(err.value).endswith(".")
    nav_only = ("<html><head><title>Harbour Ledger</title></head><body><nav><ul>"
                + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12))
                + "</ul></nav><footer><a href='/privacy'>Privacy</a></footer></body></html>")
    with pytest.raises(ExtractError):
        extract_page(nav_only, "https://example.net/")


def test_boilerplate_only_page_raises():
    html = html_page(["We use cookies to improve our website.", "Accept all", "Reject", "Skip to content"])
    with pytest.raises(ExtractError) as err:
        extract_page(html, "https://example.net/cookies")
    assert not isinstance(err.value, ExtractTimeout)


def test_timeout_on_a_large_page():
    paragraphs = [f"{EN_PARAS[i % 3]} Paragraph {i} adds a detail about shipment {i * 7}." for i in range(20000)]
    html = html_page(paragraphs)
    previous = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(ExtractTimeout) as err:
        extract_page(html, "https://example.net/huge", timeout=0.05)
    assert time.monotonic() - started < 30
    assert "0.05" in str(err.value)
    # the alarm is disarmed and the old handler back: a normal page still extracts
    assert signal.getsignal(signal.SIGALRM) == previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert extract_page(html_page(EN_PARAS), "https://example.net/small")["text"]


def test_language_by_script():
    assert detect_language(ZH_PARAS[0]) == "zh"
    assert detect_language("経済産業省は水曜日、レアアースの加工技術について新たな輸出許可制度を導入すると発表した。") == "ja"
    assert detect_language("산업통상자원부는 수요일 희토류 가공 기술에 대한 새로운 수출 허가 제도를 도입한다고 발표했다.") == "ko"
    assert detect_language(" ".join(EN_PARAS)) == "en"
    assert detect_language("Die Bundesregierung prüft neue Exportregeln für kritische Rohstoffe und seltene Erden.") == "de"
    assert detect_languages("") == [] and detect_language("") is None


def test_word_count_counts_cjk_characters():
    assert word_count("稀土 exports rose") == 4
    assert word_count("It's a well-known U.S. policy.") == 5


def test_a_callers_own_alarm_keeps_running():
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        extract_page(html_page(EN_PARAS), "https://example.net/small", timeout=5)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def test_cached_language_model_is_py3langids_own(tmp_path, monkeypatch):
    "The inflated copy of py3langid's model in the cache gives the same identifier and the same answers."
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from newstrace.ingest.extract import language

    own = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    samples = [" ".join(EN_PARAS), "Die Bundesregierung prüft neue Exportregeln für kritische Rohstoffe.",
               "Le gouvernement examine de nouvelles règles d'exportation pour les terres rares.", "12 34", ""]
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(folder))
    for run in ("fills the cache", "reads the cache"):
        language._identifier.cache_clear()
        mine = language._identifier()
        # the inflated model and each of its arrays (mapped), the automaton's window, the float32 table of the
        # faster walk (_WindowedWalk)
        assert sorted(p.name.split("-", 2)[2] for p in folder.iterdir()) == sorted(
            ["model.npz", "ptc-float32.npy", "window.json"] +
            [f"model-{name}.npy" for name in ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")]), run
        assert type(mine).__name__ == "_WindowedWalk", run
        assert mine.nb_classes == own.nb_classes and mine.tk_output == own.tk_output, run
        assert mine.tk_nextmove == own.tk_nextmove and mine.tk_row == own.tk_row, run
        assert np.array_equal(mine.nb_ptc, own.nb_ptc) and mine.nb_ptc.dtype == own.nb_ptc.dtype, run
        assert np.array_equal(mine.nb_pc, own.nb_pc), run
        assert [mine.classify(s) for s in samples] == [own.classify(s) for s in samples], run
    # the faster walk scores every language as py3langid does, to the bit, whatever the bytes
    rng = random.Random(7)
    texts = samples + ["\n".join(EN_PARAS)[:300], "Ünïcödé ß", "政府正在审查关键矿产的新出口规则。", "ABC DEF", "\U0001F600" * 5]
    texts += ["\n".join(EN_PARAS), "\n".join(ZH_PARAS), "\n".join(EN_PARAS + ZH_PARAS) * 2]  # the NumPy walk's lengths
    texts += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))) for _ in range(200)]
    for text in texts:
        assert np.array_equal(mine._decide(text).view(np.uint32), own._decide(text).view(np.uint32)), text
    mine.set_languages(["en", "de", "fr"])  # a narrowed identifier takes py3langid's own path
    own.set_languages(["en", "de", "fr"])
    assert [mine.classify(s) for s in samples] == [own.classify(s) for s in samples]
    own.set_languages(None)
    # turned off, or a cache that cannot be written: py3langid's own load
    for value in ("", str(tmp_path / "file" / "below-a-file")):
        (tmp_path / "file").write_text("not a folder")
        monkeypatch.setenv("NEWSTRACE_CACHE_DIR", value)
        language._identifier.cache_clear()
        assert language._identifier().classify(samples[1]) == own.classify(samples[1])
    language._identifier.cache_clear()
