"""Storage: the SQLite archive newstrace writes (schema.py: every table, a public interface).

archive.py opens it and keeps it tuned, articles.py writes one page's rows, derived.py the rows analysed
from its text, summaries.py the counts the pages read, fts.py the full-text indexes in cjk.py's spaced form.
`from newstrace.ingest import store; store.open_db(path)` is the way in.
"""
from .archive import (TransactionLost, WriteGroup, atomic, compact, compress, content_hash, decompress, ensure_schema, insert, insert_many,
                      load_reference_data, migrate, open_db, optimize, sha256, update)
from .articles import ARTICLE_FIELDS, find_article, known_article, log_fetch, record_page, site, update_article_text
from .derived import DERIVED_TABLES, write_derived
from .fts import clear_fts, fts_delete, fts_in_sync, fts_insert, rebuild_fts
from .summaries import (REFRESH_INITIATIVES_SQL, SUMMARY_STATE_SQL, SUMMARY_TABLES, SUMMARY_VERSION, TOTALS_RECOUNT_SQL,
                        ensure_summaries, rebuild_facet_counts, rebuild_initiative_totals, rebuild_summaries,
                        refresh_initiative_counts, refresh_summaries, summaries_current)

__all__ = ["TransactionLost", "WriteGroup", "atomic", "compact", "compress", "content_hash", "decompress", "ensure_schema", "insert", "insert_many", "load_reference_data",
           "migrate", "open_db", "optimize", "sha256", "update", "ARTICLE_FIELDS", "find_article", "known_article", "log_fetch", "site",
           "record_page", "update_article_text", "DERIVED_TABLES", "write_derived", "clear_fts", "fts_delete",
           "fts_in_sync", "fts_insert", "rebuild_fts", "SUMMARY_TABLES", "rebuild_facet_counts", "rebuild_summaries",
           "refresh_initiative_counts", "refresh_summaries", "REFRESH_INITIATIVES_SQL", "SUMMARY_STATE_SQL",
           "SUMMARY_VERSION", "ensure_summaries", "summaries_current", "rebuild_initiative_totals", "TOTALS_RECOUNT_SQL"]
