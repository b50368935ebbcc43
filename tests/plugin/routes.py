"""Every route the plugin registers, as URLs on the sample archive: read from `newstrace.plugin.routes()` (what
`register_routes` returns), so a page added later is in the permission, other-database and CORS tests without
anyone listing it. A route whose page family or URL part is unknown here fails `test_every_route_has_examples`
with what to add."""
import re
import sqlite3
from dataclasses import dataclass

from newstrace.plugin import routes as plugin_routes

# the table each page family (the path part after /-/) is about: its route answers what that table's page
# answers the same actor. A new family: add the table its page cannot do without.
ABOUT = {"search": "articles", "claims": "claims", "countries": "countries", "initiatives": "initiatives",
         "articles": "articles", "overview": "articles"}
# a page under a family that also reads another table it cannot do without, named by a later path part
ALSO = {"snapshots": "snapshots"}
# parameters a page needs to show rows (the search page lists nothing without a query)
PARAMS = {"search": "q=rare"}

GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()\\]|\\.)*)\)")
FORMATS = re.compile(r"\(\\\.\(\?P<format>([\w|]+)\)\)\?")


@dataclass(frozen=True)
class Example:
    url: str         # path and query, under the database `database`
    pattern: str     # the route's regular expression
    family: str      # the path part after /-/ ("claims"), or "" for an instance route
    about: tuple     # the tables the route cannot do without, () for an instance route (e.g. the world map)
    fmt: str         # "", "json", "csv", "geojson", ...
    database: bool   # whether the route is under a database


def sample_values(db):
    "A value for each named URL part, picked from the archive so that every page has rows to show."
    with sqlite3.connect(db) as conn:
        claim = conn.execute("SELECT id FROM claims ORDER BY n_mentions DESC, id LIMIT 1").fetchone()[0]
        initiative = conn.execute("SELECT initiative_id FROM participation GROUP BY 1 ORDER BY COUNT(*) DESC, 1 "
                                  "LIMIT 1").fetchone()[0]
        article, snapshot = conn.execute("SELECT article_id, id FROM snapshots WHERE article_id IS NOT NULL "
                                         "ORDER BY article_id, id LIMIT 1").fetchone()
    return {"claim_id": claim, "id": initiative, "initiative_id": initiative, "code": "US", "article_id": article,
            "snapshot_id": snapshot}


def examples(db, database="newstrace"):
    "[Example] for every registered route and every format it serves."
    values = dict(sample_values(db), database=database)
    out = []
    for pattern, _view in plugin_routes():
        formats = FORMATS.search(pattern)
        body = pattern.strip("^$")
        alternatives = [""]
        if formats:
            body = body.replace(formats.group(0), "{format}")
            alternatives += formats.group(1).split("|")
        missing = [name for name, _ in GROUP.findall(body) if name not in values]
        assert not missing, f"{pattern}: no sample value for {missing} in tests/plugin/routes.py sample_values"
        path = GROUP.sub(lambda m: str(values[m.group(1)]), body).replace("\\.", ".")
        assert "\\" not in path and "(" not in path, f"{pattern}: tests/plugin/routes.py cannot write it ({path})"
        under_db = "(?P<database>" in pattern
        family = path.split("/-/", 1)[1].split("/")[0].split("{")[0].split(".")[0] if under_db else ""
        assert not under_db or family in ABOUT, \
            f"{pattern}: add the table the {family!r} pages are about to ABOUT in tests/plugin/routes.py"
        about = ()
        if under_db:
            parts = path.split("/-/", 1)[1].split("/")[1:]
            about = (ABOUT[family], *(ALSO[p] for p in parts if p in ALSO))
        for fmt in alternatives:
            url = path.replace("{format}", "." + fmt if fmt else "")
            assert re.match(pattern, url.split("?")[0]), (pattern, url)
            query = PARAMS.get(family)
            out.append(Example(url + ("?" + query if query else ""), pattern, family, about, fmt, under_db))
    return out
