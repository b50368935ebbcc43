"""Which countries take part in which initiative, in what role, with the sentence as evidence.

The initiatives are found in the text (newstrace.ingest.initiatives: the shipped catalogue, the user's
data/initiatives.json, names and descriptions the text itself gives); this module keeps the country
family's entry point and the user's list. (Imports inside: the initiatives package reads the gazetteer.)
"""


def load_initiatives() -> list[dict]:
    "The user's initiatives (data/initiatives.json) as written."
    from ..initiatives.catalogue import user_initiatives

    return user_initiatives()


def extract_participation(text: str, mentions: list[dict], language: str | None = None,
                          date: str | None = None) -> dict:
    """{"participation": [rows], "claimed": {initiative_id: number}, "initiatives": [found]}. `mentions` are
    extract_countries' output for the same text; `date` (ISO) dates roles and resolves 'until June'."""
    from ..initiatives.extract import find_initiatives

    return find_initiatives(text, mentions, language, date)
