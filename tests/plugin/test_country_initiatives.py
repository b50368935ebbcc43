"""A country page's initiatives on a single file come from one row an initiative (countries.COUNTRY_INITIATIVE_ROLES_SQL:
its roles gathered, its names read once) instead of one row an (initiative, role) with the names joined to every
evidence row (COUNTRY_INITIATIVES_SQL, which a partitioned archive still answers): both must give the page the same
initiatives — names, kinds, roles in the page's order, evidence counts — with and without filters, for an
initiative missing from the initiatives table and a role left empty. The sections of those without evidence on the
page are written by one BareSections a page, its repeated parts written once: the same bytes as one each. The
evidence articles' list is read from idx_participation_country_article, which an older archive gets (with its
statistics, so that the planner keeps idx_participation_map where that one covers) from any newstrace command."""
import json
import sqlite3

import pytest
from markupsafe import escape

from newstrace.ingest import store
from newstrace.ingest.store.schema import SCHEMA
from newstrace.plugin.countries import (COUNTRY_INITIATIVE_ROLES_SQL, COUNTRY_INITIATIVES_SQL, BareSections, _esc,
                                        bare_section)
from newstrace.plugin.i18n import translator
from newstrace.plugin.participation import (ARTICLE_CLAUSES, ARTICLE_JOIN, LATEST_BOUNDED_SQL, participation_where,
                                            role_order)

# invented rows: initiatives with several roles each, one absent from the initiatives table, one row without a role
INITIATIVES = [("tin-pact", "Tin Pact", "锡协定", "agreement"), ("salt-forum", "Salt Forum", None, None),
               ("zinc-summit", None, "锌峰会", "summit")]
ROLES = ["member", "host", "mentioned", "signatory", None]


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    conn = sqlite3.connect(tmp_path_factory.mktemp("country_initiatives") / "archive.db")
    conn.row_factory = sqlite3.Row
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO initiatives (id, name_en, name_zh, kind) VALUES (?, ?, ?, ?)", INITIATIVES)
    conn.executemany("INSERT INTO articles (id, url, canonical_url, published, language) VALUES (?, ?, ?, ?, ?)", [
        (i, f"https://news.example/{i}", f"https://news.example/{i}", f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}", "zh" if i % 3 else "en")
        for i in range(1, 61)])
    ids = [i[0] for i in INITIATIVES] + ["not-in-the-table"]
    rows = [(ids[(i * 7) % len(ids)], code, ROLES[(i // 4 + len(code)) % len(ROLES)], i)
            for i in range(1, 61) for code in ("CN", "NO") if (i + len(code)) % 4]
    conn.executemany("INSERT INTO participation (initiative_id, country, role, article_id, evidence) "
                     "VALUES (?, ?, ?, ?, 'a sentence')", rows)
    conn.commit()
    return conn


def before(conn, code, filters):
    "What the page built from COUNTRY_INITIATIVES_SQL (its loop, as it was)."
    where, params = participation_where(filters)
    join = ARTICLE_JOIN.format(alias="p") if any(k in filters for k in ARTICLE_CLAUSES) else ""
    initiatives = {}
    for r in conn.execute(COUNTRY_INITIATIVES_SQL.format(join=join, where=where), {**params, "code": code}):
        item = initiatives.setdefault(r["initiative_id"], {
            "id": r["initiative_id"], "name": r["initiative_name"] or r["initiative_id"],
            "name_zh": r["initiative_name_zh"], "kind": r["kind"], "roles": [], "evidence": 0})
        item["roles"].append(r["role"])
        item["evidence"] += r["evidence"]
    return initiatives


def now(conn, code, filters):
    "What the page builds from COUNTRY_INITIATIVE_ROLES_SQL (countries.country_view on a single file)."
    where, params = participation_where(filters)
    join = ARTICLE_JOIN.format(alias="p") if any(k in filters for k in ARTICLE_CLAUSES) else ""
    return {r[0]: {"id": r[0], "name": r[1] or r[0], "name_zh": r[2], "kind": r[3], "roles": json.loads(r[4]),
                   "evidence": r[5]}
            for r in conn.execute(COUNTRY_INITIATIVE_ROLES_SQL.format(join=join, where=where), {**params, "code": code})}


def ordered(initiatives):
    return {i: dict(item, roles=role_order(item["roles"])) for i, item in initiatives.items()}


@pytest.mark.parametrize("filters", [{}, {"role": "member"}, {"initiative": "tin-pact"}, {"language": "en"},
                                     {"from": "2025-03", "to": "2025-08"}, {"language": "zh", "role": "host"},
                                     {"initiative": "nothing-here"}])
@pytest.mark.parametrize("code", ["CN", "NO", "ZZ"])
def test_one_row_an_initiative_gives_the_same_initiatives(conn, code, filters):
    expected, got = before(conn, code, filters), now(conn, code, filters)
    assert ordered(got) == ordered(expected)
    if code != "ZZ" and not filters:
        assert "not-in-the-table" in got and got["not-in-the-table"]["name"] == "not-in-the-table"
        assert any(None in item["roles"] for item in got.values())  # a row without a role is kept as before
        assert any(len(item["roles"]) > 2 for item in got.values())


def test_the_names_are_read_once_an_initiative(conn):
    plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + COUNTRY_INITIATIVE_ROLES_SQL.format(
        join="", where=""), {"code": "CN"}))
    # the initiatives table is looked up from the grouped rows (after the grouping), not beside each evidence row
    assert plan.index("SEARCH i") > plan.index("idx_participation_map"), plan


TRICKY = ['A <b>"quoted"</b> & \'named\'', "中美-deal", "", "&amp; already", 12, None]


def test_esc_is_markupsafes_escape():
    for value in TRICKY:
        assert _esc(value) == str(escape(value))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_writer_a_page_gives_each_sections_bytes(lang):
    _ = translator(lang)
    items = [{"id": f"id {n} &", "name": TRICKY[n % len(TRICKY)] or "x", "name_zh": "锡" if n % 2 else None,
              "kind": ["agreement", None, "my_own_kind"][n % 3], "roles": [["member", "host"], [], ["target"]][n % 3],
              "evidence": n % 4} for n in range(12)]
    writer = BareSections("/prefix/news", _)
    for item in items:  # the writer's kept parts (roles, kinds, counts) reused across sections
        assert str(writer(item)) == str(bare_section(item, "/prefix/news", _))


def plan(conn, sql, params):
    return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


EVIDENCE_IDS = LATEST_BOUNDED_SQL.format(members="SELECT m.article_id FROM participation m WHERE m.country = :code")
WALK_PARAMS = {"code": "CN", "scan": 100, "limit": 51, "offset": 0}


def test_the_evidence_list_is_read_from_the_narrow_index(conn):
    # a country's evidence articles for latest_ids, in id order from (country, article_id): not from the wide
    # idx_participation_map in (role, initiative) order
    assert "idx_participation_country_article (country=?)" in plan(conn, EVIDENCE_IDS, WALK_PARAMS)
    # ... while the initiatives and roles still come from the covering idx_participation_map alone
    assert "COVERING INDEX idx_participation_map" in plan(
        conn, COUNTRY_INITIATIVE_ROLES_SQL.format(join="", where=""), {"code": "CN"})


def test_an_older_archive_with_statistics_gets_the_index_and_its_statistics(tmp_path):
    "What `newstrace optimize` (or any command) does to an archive written before the index, after an optimize."
    db = store.open_db(str(tmp_path / "archive.db"))
    db.conn.executemany("INSERT INTO articles (id, url, canonical_url, published) VALUES (?, ?, ?, ?)",
                        [(i, f"https://news.example/{i}", f"https://news.example/{i}", f"2025-{1 + i % 12:02d}-01")
                         for i in range(1, 401)])
    db.conn.executemany("INSERT INTO participation (initiative_id, country, role, article_id) VALUES (?, ?, ?, ?)",
                        [(f"i{i % 40}", ["CN", "NO", "US", "FR"][i % 4], ROLES[i % 4], i) for i in range(1, 401)])
    db.conn.execute("DROP INDEX idx_participation_country_article")
    db.conn.commit()
    store.optimize(db)  # statistics for every other index
    assert store.ensure_schema(db.conn) is True
    stats = dict(db.conn.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'participation'").fetchall())
    assert stats["idx_participation_country_article"].startswith("400 ")  # its own, at once
    assert stats[None].endswith(tuple(f"sz={n}" for n in range(2, 1000)))  # the table's size from optimize kept
    db.conn.close()
    conn = sqlite3.connect(tmp_path / "archive.db")  # a reader: the statistics as written
    assert "idx_participation_country_article (country=?)" in plan(conn, EVIDENCE_IDS, WALK_PARAMS)
    assert "COVERING INDEX idx_participation_map" in plan(
        conn, COUNTRY_INITIATIVE_ROLES_SQL.format(join="", where=""), {"code": "CN"})
