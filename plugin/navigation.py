"""Links to the custom pages from every Datasette page: the navigation menu (every archive served), the
database actions of an archive and the table actions of its tables. Each link is built with
`datasette.urls`, so it holds under any `base_url` and for any database name, and is shown only to an actor
who may see the table the page needs. The pages are urls.PAGES (the navigation bar's list); a page is
linked once the plugin serves its route, so adding one is an entry there, its route, and its `NEEDS` here."""
import re
from functools import lru_cache

from . import compat, federated
from .archive import archive_kind, visible_tables
from .urls import PAGES

# the tables a page cannot do without (its route answers 403 without them)
NEEDS = {"overview": ("articles",), "search": ("articles",), "claims": ("claims",), "countries": ("countries",),
         "initiatives": ("initiatives",), "articles": ("articles",)}
DESCRIPTIONS = {
    "overview": "The archive at a glance",
    "search": "Ranked full-text search in English and Chinese, with snippets",
    "claims": "Claims traced across articles, outlets and languages",
    "countries": "Which countries take part in which initiative, on a map",
    "initiatives": "Initiatives with participants named and claimed",
}


def _served(path):
    "True when one of the plugin's routes answers this page (checked with a made-up database name)."
    from . import routes  # the routes import the page modules, which import this one's neighbours

    return any(re.match(pattern, "/db" + path) for pattern, _ in routes())


@lru_cache(maxsize=1)
def _pages():
    # the routes are registered once, at import
    return [(key, label, path) for key, label, path in PAGES if path.startswith("/-/") and _served(path)]


def _needed(pages):
    return sorted({t for key, _, _ in pages for t in NEEDS.get(key, ())})


async def page_links(datasette, actor, database, seen=None):
    """The custom pages of one archive the actor may open: [{href, label, description}] (none elsewhere). `seen`:
    the tables the actor may see there, when already known."""
    db = datasette.databases.get(database)
    if db is None or await archive_kind(datasette, db) is None:
        return []
    pages = _pages()
    if seen is None:
        seen = await visible_tables(datasette, actor, database, _needed(pages))
    base = datasette.urls.database(database)
    return [{"href": base + path, "label": label, "description": DESCRIPTIONS.get(key, label)}
            for key, label, path in pages if all(t in seen for t in NEEDS.get(key, ()))]


def menu_links(datasette, actor):
    async def links():
        archives = [name for name, db in datasette.databases.items()
                    if not name.startswith("_") and await archive_kind(datasette, db)]
        # a partitioned archive is one entry, its archive-wide database's: its months' own pages stay linked from
        # their database and table pages
        served = {(await federated.role(datasette.databases[name]))[1] for name in archives
                  if (await federated.role(datasette.databases[name]))[0] == "wide"}
        archives = [name for name in archives if (await federated.role(datasette.databases[name]))[0] != "partition"
                    or (await federated.role(datasette.databases[name]))[1] not in served]
        # every archive's answers at once (a partitioned archive serves one a month)
        answers = await compat.visibility(datasette, actor, archives, _needed(_pages()))
        out = []
        for name in archives:
            for link in await page_links(datasette, actor, name, answers[name][1]):
                label = link["label"] if len(archives) == 1 else f"{link['label']} ({name})"
                out.append({"href": link["href"], "label": label})
        return out
    return links


def database_actions(datasette, actor, database):
    async def links():
        return await page_links(datasette, actor, database)
    return links


def table_actions(datasette, actor, database):
    async def links():
        return await page_links(datasette, actor, database)
    return links
