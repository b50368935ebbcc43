"""Everything derived from one article's text (analyze_text: claims, country mentions, participation), and
`newstrace analyze`: the extraction pipeline on one document, nothing stored."""
from ..extract import ExtractError, detect_language, extract_page, is_boilerplate_line


def analyze_text(text, language=None, published=None, title=None):
    """Everything derived from an article's text: claims, country mentions, participation.

    Used by ingest, reextract and `newstrace analyze`, so all three agree. `published` (ISO date) dates
    leaders' terms and resolves "until June" to a year-month; `title` is read as the headline when the text
    does not repeat it (its claim has segment "title", offsets into the title)."""
    from ..claims import extract_claims
    from ..countries import document_countries, extract_countries, extract_participation

    mentions = extract_countries(text, language, date=published)
    found = extract_participation(text, mentions, language, date=published)
    return {
        "claims": extract_claims(text, language, title=title),
        "countries": document_countries(mentions),
        "country_mentions": mentions,
        "participation": found["participation"],
        "claimed": found["claimed"],
        "initiatives": found["initiatives"],
    }


def analyze_document(content, doc_id, *, is_html=False):
    """The documented output object. For plain text, `text` is the input unchanged (offsets index it);
    for HTML, offsets index the cleaned text."""
    error = published = None
    if is_html:
        try:
            page = extract_page(content)
            text, title, language = page["text"], page.get("title"), page.get("language")
            published = page.get("published")
        except ExtractError as err:
            text, title, language, error = "", None, None, str(err)
    else:
        text = content
        title = next((line.strip() for line in text.splitlines() if not is_boilerplate_line(line)), None)
        language = detect_language(text)
    # plain text: the title is the text's first line, already read with the rest
    derived = analyze_text(text, language, published, title=title if is_html else None)
    out = {
        "id": doc_id,
        "title": title,
        "language": language,
        "published": published,
        "text": text,
        "claims": derived["claims"],
        "countries": derived["countries"],
        "country_mentions": derived["country_mentions"],
        "participation": derived["participation"],
        "participants_claimed": derived["claimed"],
        "initiatives": [{k: i[k] for k in ("id", "name", "aliases", "kind", "source", "name_zh", "parent", "series",
                                           "year", "place", "parties")} for i in derived["initiatives"]],
    }
    if error:
        out["error"] = error
    return out
