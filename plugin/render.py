"""One response in three forms, with Datasette's conventions: every newstrace page is HTML, `.json` and `.csv`
(some also `.jsonld` / `.geojson`), and its query string is read the way Datasette reads a table page's.

- `.json`: the page's object (rows as objects, `next`, `next_url`); `_shape=objects` the same,
  `_shape=arrays` rows as lists beside `columns`, `_shape=array` the rows alone, `_shape=object` the rows
  keyed by their id; `_nl=on` with `_shape=array` writes one row per line.
- `.csv`: `text/plain` to read in the browser, `_dl=1` a `text/csv` download; `_stream=on` every row, all
  pages, when Datasette's `allow_csv_stream` allows it (bounded by `max_csv_mb`); `_header=off`.
  Lists and objects in cells are written as readable text, not JSON.
- `_size=N` (up to `max_returned_rows`, or `max`) sets the page size; `page=N` pages; `next_url` links the
  next page in every format (also as a `Link` header), as an absolute URL; the page's own links in rows
  (`url`, `*_url`) are absolute in exports.
- `_sort=col` / `_sort_desc=col` sort a list by one of its sortable columns.
- CORS headers when Datasette runs with `--cors`.
- every bad parameter: a 400 with a message (Datasette's error page, or its JSON error for `.json`).
"""
import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from datasette.utils import LimitedWriter, WriteLimitExceeded, add_cors_headers
from datasette.utils.asgi import AsgiStream, BadRequest, NotFound, Response
from markupsafe import Markup

# SQLite integers are signed 64-bit: a page or id past this is no page or id at all
MAX_INT = 2 ** 63 - 1
SHAPES = ("objects", "arrays", "array", "object")


# --- reading the query string: a 400 with a message for every bad value ------------------------------

def read_text(request, name, default=""):
    "A text parameter, stripped; a NUL in it is a 400 (SQLite and FTS5 would fail on it later)."
    value = request.args.get(name)
    if value is None:
        return default
    if "\x00" in value:
        raise BadRequest(f"{name} must not contain a NUL character")
    return value.strip()


def parse_int(name, value, minimum=None, maximum=MAX_INT):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number, not {value!r}"[:200])
    if minimum is not None and number < minimum:
        raise BadRequest(f"{name} must be {minimum} or more")
    if number > maximum:
        raise BadRequest(f"{name} must be at most {maximum}")
    return number


def read_int(request, name, default=None, minimum=None, maximum=MAX_INT):
    "An integer parameter (absent or empty: `default`), checked against its bounds."
    value = read_text(request, name)
    if value == "":
        return default
    return parse_int(name, value, minimum, maximum)


def url_int(request, name):
    "An integer from the URL path (a claim id): past SQLite's range it is a 400, not an overflow."
    return parse_int(name, request.url_vars[name], 0)


def read_choice(request, name, choices, default=None):
    value = read_text(request, name)
    if value == "":
        return default
    if value not in choices:
        raise BadRequest(f"{name} must be one of {', '.join(choices)}")
    return value


@dataclass
class Paging:
    "Which slice of a list a request asks for: ?page=N&_size=M (`_size=max`: max_returned_rows)."
    page: int
    size: int
    stream: bool  # a CSV with _stream=on: every page

    @property
    def offset(self):
        return (self.page - 1) * self.size


def read_paging(datasette, request, default_size):
    limit = datasette.setting("max_returned_rows")
    raw = read_text(request, "_size")
    if raw == "max":
        size = limit
    elif raw:
        size = parse_int("_size", raw, 1, limit)
    else:
        size = min(default_size, limit)
    page = read_int(request, "page", 1, 1)
    if (page - 1) * size > MAX_INT:
        raise BadRequest("page is too large")
    stream = request.url_vars.get("format") == "csv" and bool(request.args.get("_stream"))
    if stream and not datasette.setting("allow_csv_stream"):
        raise BadRequest("CSV streaming is disabled")
    if stream:
        size = limit
    return Paging(page, size, stream)


@dataclass
class Sort:
    column: str
    desc: bool

    def order_by(self, expressions, tiebreak=""):
        "An ORDER BY clause from {column: SQL expression} (request values never reach the SQL)."
        expression = expressions[self.column]
        return f"{expression} {'DESC' if self.desc else 'ASC'}" + (f", {tiebreak}" if tiebreak else "")

    def apply(self, rows):
        "Sort a list of dicts in place the same way: missing values last, either direction."
        present = [r for r in rows if r.get(self.column) is not None]
        missing = [r for r in rows if r.get(self.column) is None]
        present.sort(key=lambda r: _sort_key(r[self.column]), reverse=self.desc)
        rows[:] = present + missing
        return rows


def _sort_key(value):
    return (0, value) if isinstance(value, (int, float)) else (1, str(value).lower())


def read_sort(request, sortable, default):
    """`_sort=col` / `_sort_desc=col` (Datasette's names and messages) over the columns in `sortable`;
    `default` is a Sort, or None for the page's own order."""
    asc, desc = read_text(request, "_sort"), read_text(request, "_sort_desc")
    if asc and desc:
        raise BadRequest("Cannot use _sort and _sort_desc at the same time")
    column = asc or desc
    if not column:
        return default
    if column not in sortable:
        raise BadRequest(f"Cannot sort by {column}: sortable columns are {', '.join(sortable)}")
    return Sort(column, bool(desc))


def pages_of(rows):
    "A fetch(page, size) over a list already in memory."
    async def fetch(page, size):
        start = (page - 1) * size
        return rows[start:start + size], len(rows) > start + size
    return fetch


# --- URLs ------------------------------------------------------------------------------------------

def format_url(request, fmt):
    "This page's URL in another format, keeping the query string."
    path = request.path
    current = request.url_vars.get("format")
    if current:
        path = path[: -(len(current) + 1)]
    query = request.query_string
    return path + ("." + fmt if fmt else "") + ("?" + query if query else "")


def query_string(request, **changes):
    "The current query string with some parameters replaced (None removes one)."
    args = {k: request.args.get(k) for k in request.args.keys()}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return urlencode(args)


def page_url(request, page):
    "This page (same format and parameters) at another page number."
    return request.path + "?" + query_string(request, page=str(page))


def _absolute_links(datasette, request, row):
    "The row with the page's own links (url, *_url starting with /) made absolute."
    out = None
    for key, value in row.items():
        if (key == "url" or key.endswith("_url")) and isinstance(value, str) and value.startswith("/"):
            out = out or dict(row)
            out[key] = datasette.absolute_url(request, value)
    return out or row


# --- the three forms -------------------------------------------------------------------------------

def csv_cell(value):
    "A cell as a reader expects it: lists joined with '; ', objects as 'key: value', figures by their text."
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, list):
        return "; ".join(csv_cell(v) for v in value)
    if isinstance(value, dict):
        if "text" in value:
            return csv_cell(value["text"])
        return "; ".join(f"{k}: {csv_cell(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return int(value)
    return value


def csv_lines(rows, columns):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def json_response(data, content_type="application/json; charset=utf-8"):
    return Response(json.dumps(data, ensure_ascii=False, default=str), content_type=content_type)


def _with_cors(datasette, response):
    if datasette.cors:
        add_cors_headers(response.headers)
    return response


def _link_header(response, next_url):
    if next_url:
        response.headers["link"] = f'<{next_url}>; rel="next"'
    return response


def _csv_response(datasette, request, rows, columns, filename, paging, fetch, next_url):
    headers = {}
    if datasette.cors:
        add_cors_headers(headers)
    content_type = "text/plain; charset=utf-8"
    if request.args.get("_dl"):
        content_type = "text/csv; charset=utf-8"
        headers["content-disposition"] = f'attachment; filename="{filename}.csv"'
    header = read_text(request, "_header") != "off"
    head = csv_lines([dict(zip(columns, columns))], columns) if header else ""

    def absolute(batch):
        return [_absolute_links(datasette, request, r) for r in batch]

    if not (paging and paging.stream and fetch):
        response = Response(head + csv_lines(absolute(rows), columns), content_type=content_type, headers=headers)
        return _link_header(response, next_url)

    async def stream(writer):
        # every page, one at a time, within Datasette's max_csv_mb
        limited = LimitedWriter(writer, datasette.setting("max_csv_mb"))
        try:
            await limited.write(head)
            page, batch, more = 1, rows, True
            while True:
                await limited.write(csv_lines(absolute(batch), columns))
                if not more:
                    break
                page += 1
                batch, more = await fetch(page, paging.size)
        except WriteLimitExceeded as e:
            await writer.write(f"\r\n{e}\r\n")

    return AsgiStream(stream, headers=headers, content_type=content_type)


def _json_response(datasette, request, data, rows, columns, key, next_url):
    shape = read_text(request, "_shape") or "objects"
    if shape not in SHAPES:
        raise BadRequest(f"Invalid _shape: {shape}")
    listed = rows
    rows = [_absolute_links(datasette, request, r) for r in rows]
    if shape == "array":
        if request.args.get("_nl"):
            body = "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows)
            response = Response(body, content_type="text/plain; charset=utf-8")
        else:
            response = json_response(rows)
    elif shape == "object":
        if not key:
            raise BadRequest("_shape=object is not available for this page")
        response = json_response({str(r.get(key)): r for r in rows})
    else:
        # the page's list, wherever the object holds it (rows, participation ...), with absolute links
        out = {k: rows if v is listed else v for k, v in data.items()}
        if shape == "arrays":
            out["columns"] = columns
            out["rows"] = [[r.get(c) for c in columns] for r in rows]
        out["ok"] = True
        response = json_response(out)
    return _link_header(response, next_url)


async def respond(datasette, request, *, template, data, rows, columns, filename, context=None, formats=None,
                  paging=None, more=False, fetch=None, key="id"):
    """HTML through `template`, or the same data as .json / .csv (rows x columns), with the conventions above.

    `rows`: the page's list (what `_shape=array` and the CSV hold); `paging`, `more`, `fetch(page, size)
    -> (rows, more)`: the list's paging (`fetch` lets `_stream=on` read every page); `key`: the column
    `_shape=object` keys rows by. `formats` maps extra format names (jsonld, geojson) to callables
    returning a Response."""
    fmt = request.url_vars.get("format")
    next_url = prev_url = None
    if paging:
        data = dict(data, page=paging.page, page_size=paging.size)
        if more:
            next_url = datasette.absolute_url(request, page_url(request, paging.page + 1))
            data.update(next=str(paging.page + 1), next_url=next_url)
        else:
            data.update(next=None, next_url=None)
        if paging.page > 1:
            prev_url = page_url(request, paging.page - 1)
    if fmt == "json":
        return _with_cors(datasette, _json_response(datasette, request, data, rows, columns, key, next_url))
    if fmt == "csv":
        response = _csv_response(datasette, request, rows, columns, filename, paging, fetch, next_url)
        return response if isinstance(response, AsgiStream) else _with_cors(datasette, response)
    if fmt:
        if formats and fmt in formats:
            response = formats[fmt]()
            return _with_cors(datasette, _link_header(response, next_url))
        raise NotFound(f"No .{fmt} form of this page")
    links = {"json_url": format_url(request, "json"), "csv_url": format_url(request, "csv")}
    for name in formats or {}:
        links[f"{name}_url"] = format_url(request, name)
    if paging:
        links.update(next_url=page_url(request, paging.page + 1) if more else None, prev_url=prev_url)
    return Response.html(
        await datasette.render_template(template, {**data, **(context or {}), **links}, request=request)
    )
