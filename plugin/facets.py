"""A facet over JSON-array columns that stays fast on a large table (Datasette's register_facet_classes).

Datasette 0.65's own "array" facet runs `select distinct j.value, inner.* from json_each(...) join inner`:
it copies every column of every matching row (article text included) into a temporary b-tree before
counting — seconds at 10,000 articles. newstrace's arrays are sets (each value once per row), so the
per-row dedupe is not needed: this facet reads only the array column, or, when the table has an indexed
link table holding the same values, counts that instead.

metadata.json, per table (type "json_values", so the stock "array" facet keeps its meaning):
    {"json_values": "languages"}
    {"json_values": {"column": "countries", "table": "article_countries", "value": "country"}}
The link table (one row per value and row, indexed on the value) is counted when the table is not
filtered; otherwise each distinct array of the matching rows is parsed once and weighted by its rows.
Selecting a value filters with Datasette's own `column__arraycontains`, like the stock facet.
"""
import asyncio
import json

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.tracer import trace_child_tasks
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from .archive import is_archive
from .compat import expand_foreign_keys


def _prefixed(ds, path):
    "A path built from the request's (which holds base_url when Datasette is served under one) with base_url once."
    return path if path.startswith(ds.setting("base_url")) else ds.urls.path(path)


def _where_less(sql):
    "Datasette hands facets `select <columns> from <table> <where>`: no where clause means the whole table."
    return " where " not in sql.lower()


def facet_sql(config, sql, limit):
    "The counting statement for one facet config (see the module docstring)."
    col = escape_sqlite(config["column"])
    if config.get("table") and _where_less(sql):
        # the whole table: count the link table alone (one index scan, no JSON parsing)
        value = escape_sqlite(config["value"])
        return (f"select {value} as value, count(*) as count from {escape_sqlite(config['table'])} "
                f"group by {value} order by count(*) desc, value limit {limit}")
    # Otherwise json_each over the column alone (the subquery is flattened: no other column is read),
    # each distinct array parsed once: a few distinct arrays (claims.languages: ["en"], ["zh"], ["en","zh"])
    # make this a GROUP BY over an index instead of parsing every row's JSON.
    return (f"select j.value as value, sum(t.n) as count from (select {col} as arr, count(*) as n from ({sql}) "
            f"group by {col}) as t, json_each(t.arr) as j group by j.value order by count desc, value limit {limit}")


class JsonValuesFacet(Facet):
    type = "json_values"

    async def suggest(self):
        # suggestions stay with the stock facets; this one is configured in metadata.json
        return []

    async def facet_results(self):
        results, timed_out = [], []
        if not await is_archive(self.ds, self.database):  # other databases: as Datasette alone serves them
            return results, timed_out
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = dict(source_and_config["config"])
            source = source_and_config["source"]
            if "simple" in config:
                config.setdefault("column", config.pop("simple"))
            column = config["column"]
            try:
                rows = await self.ds.execute(
                    self.database, facet_sql(config, self.sql, size + 1), self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            pairs = self.get_querystring_pairs()
            values = []
            for row in rows.rows[:size]:
                value = str(row["value"])
                arg = {f"{column}__arraycontains": value}
                selected = (f"{column}__arraycontains", value) in pairs
                toggle = path_with_removed_args(self.request, arg) if selected else path_with_added_args(self.request, arg)
                values.append({"value": value, "label": value, "count": row["count"],
                               "toggle_url": self.ds.absolute_url(self.request, _prefixed(self.ds, toggle)),
                               "selected": selected})
            results.append({
                "name": column, "type": self.type, "results": values, "hideable": source != "metadata",
                "toggle_url": _prefixed(self.ds, path_with_removed_args(self.request, {f"_facet_{self.type}": column})),
                "truncated": len(rows) > size,
            })
        return results, timed_out


# --- "counts": the columns a table page facets on, counted together ------------------------------------

# string forms of a date or array config: "date(published)", "countries[]" (Datasette 1.0 sorts the facets of
# metadata by their config values, and fails on a dict value)
STRING_FORMS = {"date": ("date(", ")"), "array": ("", "[]")}


def _counts_config(config):
    "A counts facet config as {column, kind}: kind is 'column', 'date' (date(column)) or 'array' (JSON)."
    config = dict(config)
    column = config.get("column") or config.get("simple")
    kind = "date" if config.get("date") else "array" if config.get("array") else "column"
    if "simple" in config:
        for form, (start, end) in STRING_FORMS.items():
            if column.startswith(start) and column.endswith(end) and len(column) > len(start + end):
                kind, column = form, column[len(start):len(column) - len(end)]
    return {"column": column, "kind": kind, "key": f"date({column})" if kind == "date" else column}


def _counts_from_rows(index, config, limit):
    "One facet's top values among the matching rows, read from the CTE `m` (column f{index})."
    f = f"f{index}"
    if config["kind"] == "array":
        # each distinct array parsed once and weighted by its rows (see facet_sql above)
        return (f"select {index} as facet, j.value as value, sum(t.n) as count from "
                f"(select {f} as arr, count(*) as n from m group by {f}) as t, "
                "json_each(case when json_valid(t.arr) then t.arr else '[]' end) as j "
                f"group by j.value order by count desc, value limit {limit}")
    return (f"select {index} as facet, value, count from (select {f} as value, count(*) as count from m "
            f"where {f} is not null group by {f} order by count desc, value limit {limit})")


def _counts_from_summary(index, summary, limit):
    return (f"select {index} as facet, value, count from (select value, n as count from {escape_sqlite(summary)} "
            f"where facet = :_facet_{index} order by n desc, value limit {limit})")


def _counts_direct(index, config, sql, limit):
    "One facet's statement of its own, shaped like Datasette's: for a whole table (an index scan)."
    column = escape_sqlite(config["column"])
    if config["kind"] == "array":
        return f"select {index} as facet, value, count from ({facet_sql({'column': config['column']}, sql, limit)})"
    value = f"date({column})" if config["kind"] == "date" else column
    return (f"select {index} as facet, value, count from (select {value} as value, count(*) as count from ({sql}) "
            f"where {value} is not null group by {value} order by count desc, value limit {limit})")


def counts_sql(configs, sql, limit, summarised=None, only=None):
    """One statement counting the values of every config (or of those whose index is in `only`). For a
    whole table (`summarised` is a dict, maybe empty: index → summary table) each facet is read from the
    summary or counted on its own, over its index; otherwise the matching rows are read once, into a
    materialised CTE, and counted from there."""
    parts, columns = [], []
    for index, config in enumerate(configs):
        if only is not None and index not in only:
            continue
        if summarised is not None:
            parts.append(_counts_from_summary(index, summarised[index], limit) if index in summarised
                         else _counts_direct(index, config, sql, limit))
            continue
        column = escape_sqlite(config["column"])
        columns.append(f"date({column}) as f{index}" if config["kind"] == "date" else f"{column} as f{index}")
        parts.append(_counts_from_rows(index, config, limit))
    statement = " union all ".join(f"select * from ({part})" for part in parts)
    if columns:
        statement = f"with m as materialized (select {', '.join(columns)} from ({sql})) {statement}"
    return statement


class CountsFacet(Facet):
    """Datasette's column and date facets, and json_values' arrays, counted together.

    Datasette runs one statement per facet, and each statement finds the matching rows again: a search
    matching 300,000 of a million articles evaluated its full-text query and read 300,000 rows six times.
    This facet reads the matching rows once, into a materialised CTE, and counts every configured column
    from it (JSON arrays in a second statement, run at the same time on another connection). Without a
    filter it reads `<table>_facet_counts (facet, value, n)` instead when that table exists (newstrace's
    articles and claims tables have one, kept by triggers: schema.FACETS), falling back to an index scan
    for a facet the summary does not hold.

    metadata.json: {"counts": "sitename"}, {"counts": {"column": "published", "date": true}},
    {"counts": {"column": "countries", "array": true}}; in a URL `?_facet_counts=sitename`. Selecting a
    value filters like the stock facets: `sitename=…`, `published__date=…`, `countries__arraycontains=…`.
    """

    type = "counts"

    async def suggest(self):
        return []

    async def _summarised(self, configs):
        "None when the rows are filtered; else {config index: summary table} for the facets it holds."
        if not (self.table and _where_less(self.sql)):
            return None
        summary = f"{self.table}_facet_counts"
        db = self.ds.get_database(self.database)
        if not await db.table_exists(summary):
            return {}
        keys = [config["key"] for config in configs]
        # a facet with no rows in the summary is counted from the table (a column the triggers do not
        # keep, or one with no values at all: then its index scan is empty too)
        held = {row[0] for row in await db.execute(
            f"select distinct facet from {escape_sqlite(summary)} where facet in "
            f"({', '.join('?' for _ in keys)})", keys)}
        return {i: summary for i, config in enumerate(configs) if config["key"] in held}

    def _values(self, config, rows, expanded):
        pairs = self.get_querystring_pairs()
        column, kind = config["column"], config["kind"]
        if kind == "date":
            arg = f"{column}__date"
        elif kind == "array":
            arg = f"{column}__arraycontains"
        else:
            arg = f"{column}__exact" if column.startswith("_") else column
        values = []
        for row in rows:
            value = row["value"]
            selected = (arg, str(value)) in pairs
            toggle = (path_with_removed_args(self.request, {arg: str(value)}) if selected
                      else path_with_added_args(self.request, {arg: value}))
            values.append({"value": value, "label": expanded.get((column, value), value), "count": row["count"],
                           "toggle_url": self.ds.absolute_url(self.request, _prefixed(self.ds, toggle)),
                           "selected": selected})
        return values

    async def facet_results(self):
        sources = self.get_configs()
        if not sources or not await is_archive(self.ds, self.database):
            return [], []
        configs = [_counts_config(item["config"]) for item in sources]
        size = self.get_facet_size()
        summarised = await self._summarised(configs)
        params = self.params
        if summarised:  # only for a where-less statement, which has no parameters of its own
            params = dict(params or {}, **{f"_facet_{i}": configs[i]["key"] for i in summarised})
        groups = [set(range(len(configs)))]
        arrays = {i for i, config in enumerate(configs) if config["kind"] == "array"}
        if summarised is None and arrays and len(arrays) < len(configs):
            # two statements on two of Datasette's connections at once: parsing the JSON arrays of 300,000
            # matching rows costs as much as counting every other column
            groups = [groups[0] - arrays, arrays]

        async def count(group):
            return await self.ds.execute(self.database, counts_sql(configs, self.sql, size + 1, summarised, group),
                                         params, truncate=False,
                                         custom_time_limit=self.ds.setting("facet_time_limit_ms"))

        by_facet, timed_out = {}, set()
        with trace_child_tasks():  # ?_trace=1 lists the statements of both tasks
            counted = await asyncio.gather(*map(count, groups), return_exceptions=True)
        for group, rows in zip(groups, counted):
            if isinstance(rows, QueryInterrupted):
                timed_out |= group
                continue
            if isinstance(rows, BaseException):
                raise rows
            for row in rows.rows:
                by_facet.setdefault(row["facet"], []).append(row)
        results = []
        for index, (config, source) in enumerate(zip(configs, sources)):
            if index in timed_out:
                continue
            found = by_facet.get(index, [])
            expanded = {}
            if self.table and config["kind"] == "column":
                expanded = await expand_foreign_keys(self.ds, self.request.actor, self.database, self.table,
                                                     config["column"], [row["value"] for row in found[:size]])
            raw = source["config"].get("simple") or json.dumps(source["config"])
            results.append({
                "name": config["column"], "type": self.type, "hideable": source["source"] != "metadata",
                "toggle_url": _prefixed(self.ds, path_with_removed_args(self.request, {"_facet_counts": raw})),
                "results": self._values(config, found[:size], expanded), "truncated": len(found) > size,
            })
        return results, [configs[i]["column"] for i in sorted(timed_out)]

