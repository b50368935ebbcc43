"""Initiatives in the archive: found in the text and written with each article (source, first seen), one
identity across articles (a spelling merged with a redirect), ids that survive reextract, and the pages:
list search, kind and source filters, the redirect, where an initiative comes from and its editions."""
import pytest
from datasette.app import Datasette

from newstrace.ingest import store
from newstrace.ingest.pipeline.analyze import analyze_text
from newstrace.ingest.pipeline.batch import finish_batch

ARTICLES = [
    (1, "2025-05-02", "The Intergovernmental Lithium Organisation (ILO) met in Lima. Chile joined the "
                      "Intergovernmental Lithium Organisation in 2024. The G20 summit in Osaka in 2019 was recalled."),
    (2, "2026-01-20", "Peru joined the Intergovernmental Lithium Organization in January. NATO ally Norway spoke. "
                      "The G20 summit in Rome in 2021 was recalled. 北约发表声明。"),
]


def write(db, article_id, published, text):
    with db.conn:
        url = f"https://news.example/{article_id}"
        if db.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is None:
            db.conn.execute("INSERT INTO articles (id, url, canonical_url, title, published, published_month, language,"
                            " text) VALUES (?, ?, ?, ?, ?, ?, 'en', ?)",
                            [article_id, url, url, f"Story {article_id}", published, published[:7], text])
        store.write_derived(db, article_id, analyze_text(text, "en", published))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("initiatives") / "archive.db"
    db = store.open_db(str(path))
    for a in ARTICLES:
        write(db, *a)
    finish_batch(db, {1, 2})
    return db, path


def rows(db, sql, params=()):
    return [tuple(r) for r in db.conn.execute(sql, params)]


def test_found_initiatives_are_stored_with_source_and_first_seen(archive):
    db, _ = archive
    got = dict(rows(db, "SELECT id, source FROM initiatives WHERE id IN ('nato', 'g20-summit-2019', 'g20-summit-2021')"))
    assert got == {"nato": "catalogue", "g20-summit-2019": "text", "g20-summit-2021": "text"}
    assert rows(db, "SELECT series, year FROM initiatives WHERE id = 'g20-summit-2021'") == [("g20-summit", 2021)]
    assert rows(db, "SELECT first_seen, last_seen FROM initiatives WHERE id = 'nato'") == [("2026-01-20", "2026-01-20")]
    # the catalogue's members are background: on the row, never participation
    assert rows(db, "SELECT COUNT(*) FROM participation WHERE initiative_id = 'nato' AND country = 'FR'") == [(0,)]
    assert rows(db, "SELECT json_array_length(members) > 20 FROM initiatives WHERE id = 'nato'") == [(1,)]


def test_spellings_merge_into_one_with_a_redirect(archive):
    db, _ = archive
    ids = [r[0] for r in rows(db, "SELECT id FROM initiatives WHERE id LIKE 'intergovernmental-lithium-organi%'")]
    assert len(ids) == 1
    survivor = ids[0]
    (old,) = {"intergovernmental-lithium-organisation", "intergovernmental-lithium-organization"} - {survivor}
    assert rows(db, "SELECT new_id FROM initiative_redirects WHERE old_id = ?", [old]) == [(survivor,)]
    joined = rows(db, "SELECT country, valid_from FROM participation WHERE initiative_id = ? AND role = 'joined' "
                      "ORDER BY country", [survivor])
    assert joined == [("CL", "2024"), ("PE", "2026-01")]
    assert rows(db, "SELECT first_seen FROM initiatives WHERE id = ?", [survivor]) == [("2025-05-02",)]


def test_ids_survive_rewriting_and_redirects_apply(archive):
    db, _ = archive
    before = sorted(rows(db, "SELECT initiative_id, country, role FROM participation"))
    for a in ARTICLES:  # what reextract does for each article
        write(db, *a)
    finish_batch(db, {1, 2})
    assert sorted(rows(db, "SELECT initiative_id, country, role FROM participation")) == before


@pytest.fixture(scope="module")
def ds(archive):
    return Datasette([str(archive[1])])


async def test_list_search_kind_source_and_redirect(ds, archive):
    db, path = archive
    name = path.stem
    data = (await ds.client.get(f"/{name}/-/initiatives.json")).json()
    ids = {r["id"] for r in data["rows"]}
    assert {"nato", "g20-summit-2019"} <= ids and "opec" not in ids  # catalogue entries never named: hidden
    everything = (await ds.client.get(f"/{name}/-/initiatives.json?all=1")).json()
    assert len(everything["rows"]) == 100 and everything["next_url"]  # the catalogue too, a page at a time
    assert {r["id"] for r in (await ds.client.get(f"/{name}/-/initiatives.json?q=petroleum")).json()["rows"]} == {"opec"}
    found = (await ds.client.get(f"/{name}/-/initiatives.json", params={"q": "lithium"})).json()["rows"]
    assert [r["source"] for r in found] == ["text"]
    by_zh = [r["id"] for r in (await ds.client.get(f"/{name}/-/initiatives.json?q=北约")).json()["rows"]]
    assert by_zh[0] == "nato" and all(i.startswith("nato") for i in by_zh)  # named in an article first
    summits = (await ds.client.get(f"/{name}/-/initiatives.json?kind=summit&source=text")).json()["rows"]
    assert {r["id"] for r in summits} == {"g20-summit-2019", "g20-summit-2021"}
    assert (await ds.client.get(f"/{name}/-/initiatives.json?source=nonsense")).status_code == 400
    (old,) = [r[0] for r in rows(db, "SELECT old_id FROM initiative_redirects")]
    moved = await ds.client.get(f"/{name}/-/initiatives/{old}.json?role=joined")
    assert moved.status_code == 302 and moved.headers["location"].endswith(".json?role=joined")


async def test_initiative_page_shows_source_series_and_membership_over_time(ds, archive):
    db, path = archive
    name = path.stem
    edition = (await ds.client.get(f"/{name}/-/initiatives/g20-summit-2019.json")).json()
    assert edition["initiative"]["source"] == "text" and edition["series"]["id"] == "g20-summit"
    series = (await ds.client.get(f"/{name}/-/initiatives/g20-summit.json")).json()
    assert {e["id"] for e in series["editions"]} == {"g20-summit-2019", "g20-summit-2021"}
    (survivor,) = [r[0] for r in rows(db, "SELECT new_id FROM initiative_redirects")]
    page = (await ds.client.get(f"/{name}/-/initiatives/{survivor}.json")).json()
    assert [(t["country"], t["role"], t["first_month"]) for t in page["timeline"]] == [
        ("CL", "joined", "2025-05"), ("PE", "joined", "2026-01")]
    assert {(d["country"], d["valid_from"]) for d in page["dated_roles"]} == {("CL", "2024")}
    nato = await ds.client.get(f"/{name}/-/initiatives/nato")
    assert "Members on record" in nato.text and "not evidence" in nato.text and "catalogue" in nato.text


async def test_list_sorts_by_its_headers_and_pages_by_size(ds, archive):
    name = archive[1].stem
    base = f"/{name}/-/initiatives.json"

    async def get(**params):
        return (await ds.client.get(base, params=params)).json()

    by_name = [(r["name_en"] or r["name_zh"] or r["id"]).lower() for r in (await get(_sort="name_en"))["rows"]]
    assert by_name == sorted(by_name) and len(by_name) > 2
    by_countries = [r["countries"] for r in (await get(_sort_desc="countries"))["rows"]]
    assert by_countries == sorted(by_countries, reverse=True) and by_countries[0] > by_countries[-1]
    first_seen = [r["first_seen"] for r in (await get(_sort="first_seen", all="1"))["rows"] if r["first_seen"]]
    assert first_seen == sorted(first_seen)
    two = await get(_size="2", _sort="name_en")
    assert len(two["rows"]) == 2 and two["next_url"] and "_size=2" in two["next_url"]
    following = (await ds.client.get(two["next_url"].removeprefix("http://localhost"))).json()["rows"]  # absolute
    assert [r["id"] for r in two["rows"] + following] == [r["id"] for r in (await get(_size="4", _sort="name_en"))["rows"]]
    for bad in ({"_sort": "nonsense"}, {"_sort_desc": "id; DROP"}, {"_size": "0"}, {"_size": "many"}):
        response = await ds.client.get(base, params=bad)
        assert response.status_code == 400, bad
