"""The sample corpus and its local HTTP server: right bytes and headers, lists on the server's own base URL,
failure endpoints that fail the way the manifest says, a page that changes, pages that extract well."""
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from importlib import resources
from pathlib import Path

import httpx
import pytest
import trafilatura

from newstrace.ingest.sample import sample_pages, sample_urls, serve_sample, text_to_html

SAMPLE = resources.files("newstrace.ingest") / "sample"
PAGES = sample_pages()
BY_ID = {p["id"]: p for p in PAGES}
ARTICLES = [p for p in PAGES if p["kind"] == "article"]
STATIC = [p for p in PAGES if "file" in p]
TRICKY = [p for p in PAGES if p["kind"] == "tricky" and "file" in p]
# words of the navigation, cookie banners, share tools and footers: never in a page's main text
BOILERPLATE = ["We use cookies", "privacy policy", "Reject", "Accept", "此网站使用", "拒绝", "隐私政策",
               "Related stories", "相关文章", "Share on", "分享到", "Newsletters", "Podcasts",
               "sample page for newstrace", "示例页面"]


def read(rel):
    node = SAMPLE
    for part in rel.split("/"):
        node = node / part
    return node.read_bytes()


def decode(entry, body):
    return body.decode({"gbk": "gb18030"}.get(entry.get("encoding", "utf-8"), entry.get("encoding", "utf-8")))


def extract(html, url=None):
    return json.loads(trafilatura.extract(html, output_format="json", with_metadata=True, url=url) or "null") or {}


@pytest.fixture(scope="module")
def server():
    with serve_sample() as server:
        yield server


# --- the corpus as designed ---------------------------------------------------------------------------

def test_corpus_size_outlets_and_languages():
    assert len(ARTICLES) >= 20
    outlets = Counter(p["outlet"] for p in ARTICLES)
    assert len(outlets) >= 5
    domains = {p["outlet"]: p["domain"] for p in ARTICLES}
    assert len(set(domains.values())) == len(domains)
    assert all(d.endswith(".example") for d in domains.values())
    languages = Counter(p["language"] for p in ARTICLES)
    assert languages["en"] >= 10 and languages["zh"] >= 6


def test_designed_features_are_present():
    features = Counter(f for p in ARTICLES for f in p["features"])
    for feature in ("gbk_no_charset", "changing", "republished_original", "republished_copy", "script_in_title",
                    "us_local", "capitals", "zh_country_traps", "bilingual"):
        assert features[feature] >= 1, feature
    assert features["date_meta_only"] >= 3


def test_the_70_90_chain_is_designed_as_briefed():
    chain = {p["id"]: p["claim_70_90"] for p in ARTICLES if "claim_70_90" in p}
    roles = Counter((c["role"], BY_ID[i]["language"]) for i, c in chain.items())
    assert roles[("origin", "en")] == 1 and roles[("cites", "en")] == 1 and roles[("cites", "zh")] == 1
    assert roles[("variant", "en")] == 1 and roles[("confirms", "en")] == 1 and roles[("disputes", "en")] == 1
    origin = next(i for i, c in chain.items() if c["role"] == "origin")
    origin_name = BY_ID[origin]["sitename"]
    for i, c in chain.items():
        if c["role"] in ("cites", "variant"):
            assert c["cited_source"] == origin_name
    confirms = next(i for i, c in chain.items() if c["role"] == "confirms")
    assert BY_ID[confirms]["published"].startswith("2026-03")
    variant = next(c for c in chain.values() if c["role"] == "variant")
    assert variant["figures"] == [60, 90]


def test_page_files_carry_metadata_footer_and_dates():
    for p in ARTICLES:
        html = decode(p, read(p["file"]))
        domain = re.escape(p["domain"])
        assert re.search(rf'<link rel="canonical" href="https://{domain}/', html), p["id"]
        assert f'<meta property="og:url" content="{p["canonical"]}">' in html
        assert f'<meta property="og:site_name" content="{p["sitename"]}">' in html
        assert f'<meta name="author" content="{p["author"]}">' in html
        assert f'<span class="author">{p["author"]}</span>' in html, "byline is visible"
        assert f'<meta property="article:published_time" content="{p["published"]}">' in html
        assert p["published"].startswith("2026-02") or "claim_70_90" in p and p["claim_70_90"]["role"] == "confirms"
        assert "sample page for newstrace" in html and "February 2026" in html
        assert "cookie" in html and ("Reject" in html or "拒绝" in html)
        if p["date_in"] == "meta_only":
            assert "<time" not in html
            day = int(p["published"][8:10])
            assert f"February {day}" not in html and f"2月{day}日" not in html and p["published"][:10] not in \
                html.replace(f'content="{p["published"]}"', "")


def test_gbk_page_has_no_charset_anywhere():
    p = next(p for p in ARTICLES if "gbk_no_charset" in p["features"])
    body = read(p["file"])
    assert p["content_type"] == "text/html"
    assert b"charset" not in body.lower()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "美墨" in body.decode("gbk")


def test_country_trap_pages():
    belarus = decode(BY_ID["kuangguan-belarus"], read(BY_ID["kuangguan-belarus"]["file"]))
    article = belarus.split("<article", 1)[1].split("</article>", 1)[0]
    for needle in ("白俄罗斯", "印度洋", "印度尼西亚"):
        assert needle in article
    assert "俄罗斯" not in article.replace("白俄罗斯", "")
    assert "印度" not in article.replace("印度洋", "").replace("印度尼西亚", "")
    roundup = decode(BY_ID["dongfang-roundup"], read(BY_ID["dongfang-roundup"]["file"]))
    for name in ("日本", "墨西哥", "印度", "欧盟", "美国", "中国", "韩国"):
        assert name in roundup
    local = read(BY_ID["harborcity-robotics"]["file"]).decode("utf-8")
    for name in ("Georgia", "Jordan", "Paris", "New Mexico"):
        assert local.count(name) >= 2
    for foreign in ("China", "France", "Mexico City", "Greece", "Tbilisi", "Amman"):
        assert foreign not in local


def test_script_text_is_escaped_in_the_source():
    p = next(p for p in ARTICLES if "script_in_title" in p["features"])
    html = read(p["file"]).decode("utf-8")
    assert "<script>alert(1)</script>" in p["title"]
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title, og:title, h1, text


def test_tree_fits_the_package_data_globs():
    root = Path(str(SAMPLE))
    files = [f.relative_to(root) for f in root.rglob("*") if f.is_file()]
    assert files and all(len(f.parts) <= 3 for f in files), "setup.py ships sample/*, sample/*/*, sample/*/*/*"
    for p in STATIC:
        read(p["file"])
    for p in ARTICLES:
        for version in p.get("versions", []):
            read(version["file"])


def test_no_seed_sentence_is_copied(seed_text):
    def shingles(text, n=8):
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}

    def cjk_runs(text, n=14):
        runs = re.findall(r"[\u4e00-\u9fff]+", text)
        return {r[i:i + n] for r in runs for i in range(len(r) - n + 1)}

    # the figure whose travel the corpus traces is quoted as the brief words it; nothing else may overlap
    allowed = shingles("that China controls about 70% of rare-earth mining and 90% of processing")
    seed_words, seed_cjk = shingles(seed_text) - allowed, cjk_runs(seed_text)
    files = [(p, p["file"]) for p in STATIC if p["kind"] in ("article", "tricky", "list")]
    files += [(p, v["file"]) for p in ARTICLES for v in p.get("versions", [])[1:]]
    for p, rel in files:
        text = decode(p, read(rel))
        assert not shingles(text) & seed_words, p["id"]
        assert not cjk_runs(text) & seed_cjk, p["id"]


# --- extraction quality ---------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ARTICLES, ids=lambda p: p["id"])
def test_article_extracts_cleanly(entry):
    out = extract(decode(entry, read(entry["file"])), url="http://127.0.0.1:8000" + entry["path"])
    text = out.get("text") or ""
    assert out["title"] == entry["title"]
    assert out["date"] == entry["published"][:10]
    assert out["source-hostname"] == entry["sitename"]
    assert out["author"] == entry["author"]
    for snippet in entry["must_contain"]:
        assert snippet in text
    leaked = [w for w in BOILERPLATE if w in text]
    assert not leaked


def test_republished_copy_has_the_same_text_and_its_own_canonical():
    copy = next(p for p in ARTICLES if "republished_copy" in p["features"])
    original = BY_ID[copy["republished_from"]]
    texts = [extract(decode(p, read(p["file"])))["text"] for p in (original, copy)]
    assert texts[0] == texts[1] and len(texts[0]) > 1000
    assert original["canonical"] != copy["canonical"] and original["domain"] != copy["domain"]


@pytest.mark.parametrize("entry", TRICKY, ids=lambda p: p["id"])
def test_tricky_pages_still_hold_an_article(entry):
    body = read(entry["file"])
    text = extract(decode(entry, body)).get("text") or ""
    for snippet in entry["must_contain"]:
        assert snippet in text


# --- the server -------------------------------------------------------------------------------------------

def test_every_static_path_is_served_with_its_bytes_and_type(server):
    for p in STATIC:
        r = httpx.get(server.url(p["path"]))
        assert r.status_code == 200, p["path"]
        assert r.headers["content-type"] == p["content_type"], p["path"]
        expected = read(p["versions"][0]["file"] if "versions" in p else p["file"])
        if p.get("template"):
            expected = expected.replace(b"{base}", server.base_url.encode())
        assert r.content == expected, p["path"]
    assert httpx.get(server.url("/nowhere.html")).status_code == 404


def test_gbk_page_is_served_without_charset(server):
    p = next(p for p in ARTICLES if "gbk_no_charset" in p["features"])
    r = httpx.get(server.url(p["path"]))
    assert r.headers["content-type"] == "text/html"
    assert "美墨关键矿产行动计划" in r.content.decode("gb18030")


def test_feed_sitemap_and_urls_cover_every_article_on_the_servers_base(server):
    base = server.base_url
    channel = ET.fromstring(httpx.get(server.url("/feed.xml")).content).find("channel")
    feed = [item.findtext("link") for item in channel.findall("item")]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = [loc.text for loc in ET.fromstring(httpx.get(server.url("/sitemap.xml")).content).findall("s:url/s:loc", ns)]
    listed = httpx.get(server.url("/urls.txt")).text.split()
    for urls in (feed, sitemap, listed):
        assert urls and all(u.startswith(base + "/") for u in urls)
    assert set(feed) != set(sitemap)
    assert set(feed) | set(sitemap) | set(listed) == set(sample_urls(base))
    assert len(sample_urls(base)) == len(ARTICLES)
    for url in set(feed) | set(sitemap) | set(listed):
        assert httpx.head(url).status_code == 200
    assert f"Sitemap: {base}/sitemap.xml" in httpx.get(server.url("/robots.txt")).text


def test_status_failures(server):
    for status in (404, 410, 500):
        assert httpx.get(server.url(f"/fail/{status}")).status_code == status


def test_slow_page_outlasts_a_short_timeout(server):
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(server.url("/fail/slow?seconds=3"), timeout=0.5)
    assert time.monotonic() - start < 2.5
    assert httpx.get(server.url("/fail/slow?seconds=0.2"), timeout=5).status_code == 200
    # trickle: headers at once, then a byte every half second, so only a total deadline stops it
    start = time.monotonic()
    with httpx.stream("GET", server.url("/fail/slow?seconds=2&trickle=1"), timeout=1) as r:
        assert r.status_code == 200
        body = r.read()
    assert time.monotonic() - start >= 1.5 and body.endswith(b"</html>")


def test_redirect_loop_and_good_redirect(server):
    r = httpx.get(server.url("/fail/redirect-loop"))
    assert r.status_code == 302 and r.headers["location"] == server.url("/fail/redirect-loop/b")
    with pytest.raises(httpx.TooManyRedirects):
        httpx.get(server.url("/fail/redirect-loop"), follow_redirects=True, timeout=5)
    r = httpx.get(server.url("/go/vance-price-floors"), follow_redirects=True)
    assert r.status_code == 200 and str(r.url) == server.url("/meridian/vance-price-floors.html")


@pytest.mark.parametrize("declared", [0, 1])
def test_huge_body_is_streamed(server, declared):
    with httpx.stream("GET", server.url(f"/fail/huge?declared={declared}"), timeout=10) as r:
        assert r.status_code == 200
        if declared:
            assert int(r.headers["content-length"]) == 64 * 2**20
        else:
            assert "content-length" not in r.headers
        read_bytes = 0
        for chunk in r.iter_bytes():
            read_bytes += len(chunk)
            if read_bytes >= 4 * 2**20:
                break
    assert read_bytes >= 4 * 2**20
    # the connection was dropped mid-body; the server keeps serving
    assert httpx.get(server.url("/feed.xml")).status_code == 200


def test_binary_and_empty_responses(server):
    pdf = httpx.get(server.url("/fail/document.pdf"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    mislabelled = httpx.get(server.url("/fail/pdf-as-html.html"))
    assert mislabelled.headers["content-type"].startswith("text/html") and mislabelled.content.startswith(b"%PDF-")
    png = httpx.get(server.url("/fail/image.png"))
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    data = httpx.get(server.url("/fail/data.json"))
    assert data.headers["content-type"] == "application/json" and data.json()["status"] == "ok"
    empty = httpx.get(server.url("/fail/empty"))
    assert empty.status_code == 200 and empty.content == b"" and empty.headers["content-type"].startswith("text/html")


def test_boilerplate_only_page_has_no_article(server):
    html = httpx.get(server.url("/fail/boilerplate-only.html")).text
    assert "<article" not in html and "<p>" in html  # only the cookie banner's paragraph
    text = trafilatura.extract(html) or ""
    words = set(re.findall(r"\w+", text))
    allowed = set(re.findall(r"\w+", "Capitol Wire Home World Politics Business Markets Energy Opinion Podcasts "
                                     "Newsletters Subscribe About Privacy We use cookies to measure traffic and to "
                                     "improve this site See our privacy policy for the details Accept Reject"))
    assert words <= allowed


def test_malformed_and_bad_link_lists(server):
    with pytest.raises(ET.ParseError):
        ET.fromstring(httpx.get(server.url("/fail/malformed-feed.xml")).content)
    feed = ET.fromstring(httpx.get(server.url("/fail/bad-links-feed.xml")).content)
    links = [i.findtext("link") for i in feed.iter("item")]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in ET.fromstring(httpx.get(server.url("/fail/bad-links-sitemap.xml")).content)
            .findall("s:url/s:loc", ns)]
    for urls, entry in ((links, BY_ID["fail-bad-links-feed"]), (locs, BY_ID["fail-bad-links-sitemap"])):
        assert {u.split(":", 1)[0] for u in urls} == {"file", "javascript", "data", "http"}
        assert [u for u in urls if u.startswith("http")] == [server.url(g) for g in entry["good"]]


def test_mislabelled_charsets_are_declared_utf8(server):
    for name, encoding in (("big5", "big5"), ("shiftjis", "shift_jis"), ("cp1252", "cp1252")):
        r = httpx.get(server.url(f"/fail/{name}-as-utf8.html"))
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert b'<meta charset="utf-8">' in r.content
        with pytest.raises(UnicodeDecodeError):
            r.content.decode("utf-8")
        entry = BY_ID[f"fail-{name}-as-utf8"]
        assert all(s in r.content.decode(encoding) for s in entry["must_contain"])


def test_runaway_page_makes_extraction_take_seconds(server):
    full = httpx.get(server.url("/fail/runaway.html"), timeout=30)
    assert 2 << 20 < len(full.content) < 20 << 20, "large, yet under the default --max-bytes"
    # a fifth of the default page (extraction time grows linearly with it) keeps this test short
    fifth = httpx.get(server.url("/fail/runaway.html?blocks=800"), timeout=30)
    assert len(fifth.content) * 4.5 < len(full.content) < len(fifth.content) * 5.5
    start = time.monotonic()
    trafilatura.extract(fifth.text)
    assert time.monotonic() - start > 0.5, "the full page takes five times as long"


def test_changing_page_changes_after_bump():
    entry = next(p for p in ARTICLES if "changing" in p["features"])
    with serve_sample() as server:
        first, again = (httpx.get(server.url(entry["path"])).content for _ in range(2))
        assert first == again == read(entry["versions"][0]["file"])
        assert server.bump(entry["path"]) == 2
        second = httpx.get(server.url(entry["path"])).content
        assert second == read(entry["versions"][1]["file"]) != first
        text = extract(second.decode("utf-8"))
        assert text["title"] == entry["versions"][1]["title"]
        assert all(s in text["text"] for s in entry["versions"][1]["must_contain"])
        assert server.bump(server.url(entry["path"])) == 2, "stays on the last version"
        with pytest.raises(ValueError):
            server.bump("/meridian/vance-price-floors.html")
    with serve_sample() as fresh:
        assert httpx.get(fresh.url(entry["path"])).content == first


def test_extra_pages_requests_and_quiet(capfd):
    extra = {"/seed.html": text_to_html("First line & more\n\n  second <line>  \n", title="T<1>"),
             "/meridian/vance-price-floors.html": b"<html>override</html>",
             "/data.csv": ("a,b\n1,2\n", "text/csv")}
    with serve_sample(extra_pages=extra) as server:
        seed = httpx.get(server.url("/seed.html"))
        assert seed.headers["content-type"] == "text/html; charset=utf-8"
        assert re.findall(r"<p>(.*?)</p>", seed.text) == ["First line &amp; more", "second &lt;line&gt;"]
        assert "<title>T&lt;1&gt;</title>" in seed.text
        assert httpx.get(server.url("/meridian/vance-price-floors.html")).content == b"<html>override</html>"
        assert httpx.get(server.url("/data.csv")).headers["content-type"] == "text/csv"
        httpx.get(server.url("/missing"))
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(server.url("/fail/slow?seconds=1"), timeout=0.2)
        assert server.requests[:4] == ["/seed.html", "/meridian/vance-price-floors.html", "/data.csv", "/missing"]
        time.sleep(1.2)  # let the slow handler write to the closed socket
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
