"""newstrace's ingest side: news pages in, an SQLite archive with full-text search and analyses out.

    acquire/   sources -> fetched or read bytes -> decoded text             (sources, fetch, decode)
    extract/   HTML -> main text + metadata, cleaned, with its languages     (page, clean, language)
    claims/    claims in the text; across articles, the same claim traced   (extractor ..., trace/)
    countries/ countries referred to; who takes part in which initiative   (mentions, participation)
    store/     one transaction per page; schema, summaries, CJK full text   (archive, articles, derived ...)
    pipeline/  the stages put together: worker, batch, reextract, analyze
    sample/    the demo's corpus and its local HTTP server;  cli.py: the `newstrace` command
"""
