"""Links to the custom pages from every Datasette page: the navigation menu (every archive served), the
database actions of an archive and the table actions of its tables. Each link is built with
`datasette.urls`, so it holds under any `base_url` and for any database name, and is shown only to an
actor who may see the table the page needs. A new page is one more entry in PAGES."""
from dataclasses import dataclass

from .archive import ARCHIVE_KINDS, archive_kind, visible_tables


@dataclass(frozen=True)
class Page:
    path: str            # after the database's URL
    label: str
    description: str
    needs: tuple         # the tables the page cannot do without (its route answers 403 without them)
    kinds: tuple = ARCHIVE_KINDS


PAGES = [
    Page("/-/search", "Search articles", "Ranked full-text search in English and Chinese, with snippets",
         ("articles",)),
    Page("/-/claims", "Claims", "Claims traced across articles, outlets and languages", ("claims",)),
    Page("/-/countries", "Countries map", "Which countries take part in which initiative, on a map", ("countries",)),
    Page("/-/initiatives", "Initiatives", "Initiatives with participants named and claimed", ("initiatives",)),
]


async def page_links(datasette, actor, database):
    "The pages of one database the actor may open: [{href, label, description}] (none for other databases)."
    db = datasette.databases.get(database)
    if db is None:
        return []
    kind = await archive_kind(datasette, db)
    if kind is None:
        return []
    pages = [p for p in PAGES if kind in p.kinds]
    seen = await visible_tables(datasette, actor, database, {t for p in pages for t in p.needs})
    base = datasette.urls.database(database)
    return [{"href": base + p.path, "label": p.label, "description": p.description}
            for p in pages if all(t in seen for t in p.needs)]


def menu_links(datasette, actor):
    async def links():
        archives = [name for name, db in datasette.databases.items()
                    if not name.startswith("_") and await archive_kind(datasette, db)]
        out = []
        for name in archives:
            for link in await page_links(datasette, actor, name):
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
