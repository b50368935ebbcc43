#!/usr/bin/env python3
"""Write N synthetic news pages (HTML) for the ingest benchmark.

usage: python bench/generate_pages.py OUT_DIR [--pages 600] [--seed 7]

Varied on purpose: five page layouts (news site, blog with comments, legacy table layout, aggregator with
summaries of other stories, press release with a figures table), boilerplate of every kind (navigation,
cookie banner, share prompts, related-story boxes, image captions and credits, footers), log-normal
lengths (median ~600 words), 20 % Chinese (a third of those saved as GBK with no charset declared),
quotations, figures, country names, dates in meta tags / JSON-LD / only in the text, and a quarter of
the files gzipped (.html.gz). All text comes from textgen.py: our own sentences, no copied content.
"""
import argparse
import gzip
import html
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from textgen import TextGen  # noqa: E402

NAV_EN = ["Home", "World", "Business", "Markets", "Energy", "Opinion", "Video", "Podcasts", "Subscribe", "Sign in"]
NAV_ZH = ["首页", "国际", "财经", "市场", "能源", "评论", "视频", "订阅", "登录"]
COOKIE_EN = ("We use cookies to improve your experience and to measure our audience. "
             "<button>Accept all</button> <button>Reject</button> <a href='/privacy'>Settings</a>")
COOKIE_ZH = "本网站使用Cookie以改善您的体验。<button>接受</button> <button>拒绝</button>"
SHARE_EN = "Share this article: <a>Facebook</a> <a>X</a> <a>LinkedIn</a> <a>Email</a>"
SHARE_ZH = "分享到：<a>微信</a> <a>微博</a> <a>复制链接</a>"


def _e(text):
    return html.escape(text, quote=False)


def _paragraphs(art):
    return [p for p in art["text"].split("\n\n") if p.strip()]


def _head(art, outlet, url, date, rng, declare_charset=True):
    bits = ["<meta charset=\"utf-8\">" if declare_charset else "", f"<title>{_e(art['title'])} | {_e(outlet['sitename'])}</title>",
            f"<link rel=\"canonical\" href=\"{url}\">"]
    style = rng.random()
    if style < 0.4:
        bits += [f"<meta property=\"og:title\" content=\"{html.escape(art['title'])}\">",
                 f"<meta property=\"og:site_name\" content=\"{html.escape(outlet['sitename'])}\">",
                 f"<meta property=\"article:published_time\" content=\"{date}T08:30:00Z\">"]
    elif style < 0.7:
        bits.append("<script type=\"application/ld+json\">" + json.dumps({
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
            "datePublished": date, "publisher": {"@type": "Organization", "name": outlet["sitename"]},
            "author": {"@type": "Person", "name": "Staff reporter"}}, ensure_ascii=False) + "</script>")
    elif style < 0.85:
        bits.append(f"<meta name=\"date\" content=\"{date}\">")
    # else: the date is only in the page text
    bits.append("<style>body{font-family:sans-serif}.nav li{display:inline}</style>")
    bits.append("<script>window.dataLayer=window.dataLayer||[];function track(){}</script>")
    return "<head>" + "".join(bits) + "</head>"


def _nav(zh, rng):
    items = NAV_ZH if zh else NAV_EN
    return "<nav class=\"nav\"><ul>" + "".join(f"<li><a href=\"/{i}\">{_e(x)}</a></li>" for i, x in enumerate(items)) + "</ul></nav>"


def _related(gen, zh, rng, n=4):
    heads = [(gen.zh_sentence(rng.randint(8, 16)) if zh else gen.en_sentence(rng.randint(5, 9))) for _ in range(n)]
    label = "相关报道" if zh else "Related stories"
    return (f"<aside class=\"related\"><h3>{label}</h3><ul>"
            + "".join(f"<li><a href=\"/story/{rng.randrange(10**6)}\">{_e(h)}</a></li>" for h in heads) + "</ul></aside>")


def _figure(zh, rng):
    caption = ("AI 生成的图像" if zh and rng.random() < 0.5 else
               "图片来源：资料图" if zh else
               f"A cargo ship at port. Photo: {rng.choice(['Reuters', 'AFP', 'Staff', 'Getty Images'])}")
    return f"<figure><img src=\"/img/{rng.randrange(10**6)}.jpg\" alt=\"\"><figcaption>{_e(caption)}</figcaption></figure>"


def _body_html(paras, zh, gen, rng):
    out = []
    for i, p in enumerate(paras):
        if i == 2 and rng.random() < 0.6:
            out.append(_figure(zh, rng))
        if rng.random() < 0.06:
            out.append(f"<blockquote><p>{_e(p)}</p></blockquote>")
        elif rng.random() < 0.04:
            out.append(f"<h2>{_e(gen.zh_sentence(10) if zh else gen.en_sentence(5))}</h2><p>{_e(p)}</p>")
        else:
            out.append(f"<p>{_e(p)}</p>")
    return "".join(out)


def page_news(art, outlet, url, date, gen, rng, zh, charset):
    paras = _paragraphs(art)
    byline = "记者 王明" if zh else "By Staff Reporter"
    return ("<!doctype html><html>" + _head(art, outlet, url, date, rng, charset) + "<body>"
            f"<div id=\"cookie-banner\">{COOKIE_ZH if zh else COOKIE_EN}</div>"
            f"<header><a class=\"logo\" href=\"/\">{_e(outlet['sitename'])}</a>{_nav(zh, rng)}</header>"
            f"<main><article><h1>{_e(art['title'])}</h1><p class=\"byline\">{byline} · <time>{date}</time></p>"
            f"<div class=\"share\">{SHARE_ZH if zh else SHARE_EN}</div>"
            + _body_html(paras, zh, gen, rng) +
            f"<div class=\"share\">{SHARE_ZH if zh else SHARE_EN}</div></article>"
            + _related(gen, zh, rng) + "</main>"
            f"<footer><p>© 2026 {_e(outlet['sitename'])}. All rights reserved.</p><a href=\"/terms\">Terms</a></footer>"
            "</body></html>")


def page_blog(art, outlet, url, date, gen, rng, zh, charset):
    paras = _paragraphs(art)
    comments = "".join(
        f"<li class=\"comment\"><b>reader{rng.randrange(999)}</b><p>{_e(gen.zh_sentence() if zh else gen.en_sentence())}</p></li>"
        for _ in range(rng.randint(0, 8)))
    widgets = "".join(f"<div class=\"widget\"><h4>{'归档' if zh else 'Archives'}</h4><ul>"
                      + "".join(f"<li><a>{2020 + k}</a></li>" for k in range(6)) + "</ul></div>" for _ in range(2))
    return ("<!doctype html><html>" + _head(art, outlet, url, date, rng, charset) + "<body><div id=\"page\">"
            f"<div id=\"masthead\"><h2>{_e(outlet['sitename'])}</h2>{_nav(zh, rng)}</div>"
            f"<div class=\"post\"><h1 class=\"entry-title\">{_e(art['title'])}</h1>"
            f"<span class=\"posted-on\">{date}</span><div class=\"entry-content\">"
            + _body_html(paras, zh, gen, rng) +
            f"</div></div><div id=\"comments\"><h3>{'评论' if zh else 'Comments'}</h3><ol>{comments}</ol></div>"
            f"<div id=\"sidebar\">{widgets}</div></div></body></html>")


def page_table(art, outlet, url, date, gen, rng, zh, charset):
    paras = _paragraphs(art)
    text = "<br><br>".join(_e(p) for p in paras)
    links = "".join(f"<a href=\"/c/{i}\">{_e(x)}</a><br>" for i, x in enumerate(NAV_ZH if zh else NAV_EN))
    return ("<html>" + _head(art, outlet, url, date, rng, charset) + "<body bgcolor=\"#ffffff\">"
            f"<table width=\"100%\"><tr><td colspan=2><font size=5>{_e(outlet['sitename'])}</font></td></tr>"
            f"<tr><td width=\"160\" valign=\"top\">{links}</td><td class=\"content\" valign=\"top\">"
            f"<font size=4><b>{_e(art['title'])}</b></font><br><font size=2>{date}</font><br><br>"
            f"<font size=3>{text}</font></td></tr>"
            f"<tr><td colspan=2><font size=1>{'版权所有' if zh else 'Copyright'} {_e(outlet['sitename'])}</font></td></tr>"
            "</table></body></html>")


def page_aggregator(art, outlet, url, date, gen, rng, zh, charset):
    paras = _paragraphs(art)
    summaries = "".join(
        f"<div class=\"card\"><h3><a href=\"/s/{rng.randrange(10**6)}\">{_e(gen.zh_sentence(12) if zh else gen.en_sentence(7))}</a></h3>"
        f"<p>{_e(gen.zh_sentence() if zh else gen.en_sentence())}</p><a class=\"more\">{'阅读更多' if zh else 'Read more'}</a></div>"
        for _ in range(rng.randint(3, 7)))
    return ("<!doctype html><html>" + _head(art, outlet, url, date, rng, charset) + "<body>"
            f"<div class=\"consent\">{COOKIE_ZH if zh else COOKIE_EN}</div>{_nav(zh, rng)}"
            f"<div class=\"layout\"><section class=\"story\"><h1>{_e(art['title'])}</h1>"
            + _body_html(paras, zh, gen, rng) +
            f"<p class=\"social\">{'关注我们的公众号获取更多资讯' if zh else 'Follow us for more updates on this story.'}</p>"
            f"</section><section class=\"more-stories\">{summaries}</section></div>"
            f"<footer>{SHARE_ZH if zh else SHARE_EN}</footer></body></html>")


def page_release(art, outlet, url, date, gen, rng, zh, charset):
    paras = _paragraphs(art)
    rows = "".join(f"<tr><td>{_e(gen.zh_sentence(4) if zh else gen.en_sentence(2))}</td><td>{rng.randint(1, 999)}</td>"
                   f"<td>{rng.randint(1, 99)} %</td></tr>" for _ in range(rng.randint(2, 6)))
    bullets = "".join(f"<li>{_e(gen.zh_sentence(14) if zh else gen.en_sentence(9))}</li>" for _ in range(rng.randint(2, 5)))
    return ("<!doctype html><html>" + _head(art, outlet, url, date, rng, charset) + "<body>"
            f"<div class=\"gov-banner\">{'官方网站' if zh else 'An official website'}</div>{_nav(zh, rng)}"
            f"<main><section><h1>{_e(art['title'])}</h1><dl><dt>{'日期' if zh else 'Date'}</dt><dd>{date}</dd></dl>"
            + _body_html(paras, zh, gen, rng) +
            f"<ul>{bullets}</ul><table class=\"figures\">{rows}</table></section></main>"
            f"<footer><p>{'联系我们' if zh else 'Media contact'}: press@{outlet['hostname']}</p></footer></body></html>")


LAYOUTS = [page_news, page_news, page_blog, page_table, page_aggregator, page_release]


def generate(out_dir, pages=600, seed=7):
    "Write the pages; returns their paths."
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = TextGen(seed=seed, lexicon=20000)
    rng = random.Random(seed)
    initiatives = [{"id": "bench-initiative-1", "name": "the Northern Minerals Compact"},
                   {"id": "bench-initiative-2", "name": "the Refining Partnership"}]
    paths = []
    for i in range(pages):
        art = gen.article(300, initiatives)
        outlet = gen.outlet()
        date = gen.date()
        url = f"https://{outlet['hostname']}/news/{date[:7]}/bench-{i}"
        zh = art["language"] == "zh"
        gbk = zh and rng.random() < 0.33
        layout = LAYOUTS[rng.randrange(len(LAYOUTS))]
        markup = layout(art, outlet, url, date, gen, rng, zh, charset=not gbk)
        body = markup.encode("gbk", errors="replace") if gbk else markup.encode("utf-8")
        name = f"bench-{i:04d}-{layout.__name__[5:]}{'-gbk' if gbk else ''}.html"
        if rng.random() < 0.25:
            path = out / (name + ".gz")
            path.write_bytes(gzip.compress(body, 6))
        else:
            path = out / name
            path.write_bytes(body)
        paths.append(path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, args.pages, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} pages, {size / 1e6:.1f} MB in {args.out_dir}")


if __name__ == "__main__":
    main()
