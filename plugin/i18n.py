"""The custom pages' own labels in the reader's language: English, or Chinese when the browser asks for it
(Accept-Language: zh...) or the URL says ?_lang=zh. One file of translations: data/translations.json, keyed by
the English label. Article texts, names and data values are never translated, only the pages' words."""
import datetime
import json
from functools import lru_cache
from importlib import resources
from urllib.parse import parse_qsl, urlencode

from markupsafe import Markup, escape

LANGUAGES = ("en", "zh")


@lru_cache(maxsize=1)
def catalogue():
    data = json.loads(resources.files(__package__).joinpath("data/translations.json").read_text("utf-8"))
    return {lang: table for lang, table in data.items() if not lang.startswith("_")}


def language(request):
    "en or zh: ?_lang= first, then the browser's Accept-Language (by q-value), else en."
    if request is None:
        return "en"
    asked = (request.args.get("_lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    ranked = []
    for i, part in enumerate((request.headers.get("accept-language") or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().lower().split("-")[0]))
    # the highest q-value first, earlier tags first among equals (browsers list preferences in order)
    for neg_q, _, base in sorted(ranked):
        if base in LANGUAGES and neg_q < 0:
            return base
    return "en"


def translator(lang):
    "_(label, **values): the label in `lang` (the English label when untranslated), values filled in."
    table = catalogue().get(lang, {})
    english = catalogue().get("en", {})  # keyed labels (status_none -> "not rated") have an English text too

    def _(label, **values):
        text = table.get(label) or english.get(label, label)
        return text.format(**values) if values else text

    return _


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def readable_date(value, lang="en"):
    "'2026-02-04T16:10:00Z' -> '4 Feb 2026, 16:10' (en) or '2026年2月4日 16:10' (zh); the value itself if unparsed."
    if not value:
        return ""
    text = str(value)
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        if len(text) == 7 and text[4] == "-" and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
            year, month = int(text[:4]), int(text[5:])
            return f"{year}年{month}月" if lang == "zh" else f"{MONTHS_EN[month - 1]} {year}"
        return text
    clock = text[11:16] if len(text) >= 16 and text[10] in "T " else ""
    if clock:
        zone = text[19:].lstrip(".0123456789") if len(text) > 19 else ""
        clock += " UTC" if zone in ("Z", "+00:00") else (f" {zone}" if zone else "")
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日" + (f" {clock}" if clock else "")
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}" + (f", {clock}" if clock else "")


def time_tag(value, lang="en", date_only=False):
    "<time datetime=ISO>readable</time>, the ISO value kept for machines and on hover."
    if not value:
        return Markup("")
    shown = readable_date(str(value)[:10] if date_only else value, lang)
    iso = escape(value)
    return Markup(f'<time datetime="{iso}" title="{iso}">{escape(shown)}</time>')


def template_vars(request):
    "What every template gets: _(), the language, a <time> helper and the URL of this page in the other language."
    lang = language(request)
    return {
        "_": translator(lang),
        "newstrace_lang": lang,
        "nt_time": lambda value, date_only=False: time_tag(value, lang, date_only),
        "nt_date": lambda value: readable_date(value, lang),
    }


def switch_url(request):
    "This page in the other language (?_lang= replaced)."
    if request is None:
        return "?_lang=zh"
    other = "en" if language(request) == "zh" else "zh"
    args = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True) if k != "_lang"]
    return request.path + "?" + urlencode(args + [("_lang", other)])


def query_url(request):
    "nt_query(name=value, other=None): this page's query string with parameters replaced or (None) removed."
    def nt_query(**changes):
        args = [(k, v) for k, v in parse_qsl(request.query_string if request else "", keep_blank_values=True)
                if k not in changes]
        args += [(k, str(v)) for k, v in changes.items() if v is not None]
        return "?" + urlencode(args)
    return nt_query
