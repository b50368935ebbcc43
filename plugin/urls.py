"""The URLs of newstrace's pages, in one place (every page and every cell links through these)."""
from functools import lru_cache


@lru_cache(maxsize=256)
def _database(datasette, database):
    # a database's URL is fixed for the process (base_url is a startup setting); an article page builds
    # hundreds of links, and datasette.urls.database quotes and looks up the name each time
    return datasette.urls.database(database)


def article_url(datasette, database, article_id):
    return f"{_database(datasette, database)}/-/articles/{article_id}"


def claim_url(datasette, database, claim_id, fmt=None):
    return "{}/-/claims/{}{}".format(_database(datasette, database), claim_id, "." + fmt if fmt else "")


def country_url(datasette, database, code):
    return _database(datasette, database) + "/-/countries/" + code


def initiative_url(datasette, database, initiative_id):
    return _database(datasette, database) + "/-/initiatives/" + initiative_id


def search_url(datasette, database):
    return datasette.urls.database(database) + "/-/search"


# the pages every newstrace page links to (the navigation bar), in order: (key, English label, path under the db)
PAGES = (
    ("overview", "Overview", "/-/overview"),
    ("search", "Search", "/-/search"),
    ("claims", "Claims", "/-/claims"),
    ("countries", "Countries", "/-/countries"),
    ("initiatives", "Initiatives", "/-/initiatives"),
    ("articles", "Articles", "/articles"),
)


def page_links(datasette, database):
    "[{key, label, url}] of the archive's pages, for the navigation bar."
    base = datasette.urls.database(database)
    return [{"key": key, "label": label, "url": base + path} for key, label, path in PAGES]
