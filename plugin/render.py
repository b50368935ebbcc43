"""One response in three forms: every newstrace page is also .json and .csv (and some .jsonld/.geojson)."""
import csv
import io
import json
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response


def format_url(request, fmt):
    "This page's URL in another format, keeping the query string."
    path = request.path
    current = request.url_vars.get("format")
    if current:
        path = path[: -(len(current) + 1)]
    query = request.query_string
    return path + ("." + fmt if fmt else "") + ("?" + query if query else "")


def csv_response(rows, columns, filename):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [json.dumps(row.get(c), ensure_ascii=False) if isinstance(row.get(c), (list, dict)) else row.get(c)
             for c in columns]
        )
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'inline; filename="{filename}.csv"'},
    )


def json_response(data, content_type="application/json; charset=utf-8"):
    return Response(json.dumps(data, ensure_ascii=False, default=str), content_type=content_type)


async def respond(datasette, request, *, template, data, rows, columns, filename, context=None, formats=None):
    """HTML through `template`, or the same data as .json / .csv (rows x columns).

    `formats` maps extra format names (jsonld, geojson) to callables returning a Response."""
    fmt = request.url_vars.get("format")
    if fmt == "json":
        return json_response(data)
    if fmt == "csv":
        return csv_response(rows, columns, filename)
    if fmt:
        if formats and fmt in formats:
            return formats[fmt]()
        raise NotFound(f"No .{fmt} form of this page")
    links = {"json_url": format_url(request, "json"), "csv_url": format_url(request, "csv")}
    for name in formats or {}:
        links[f"{name}_url"] = format_url(request, name)
    return Response.html(
        await datasette.render_template(template, {**data, **(context or {}), **links}, request=request)
    )


async def database_for(datasette, request):
    "The database named in the URL, after checking the actor may see it."
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        raise NotFound(f"Database not found: {name}")
    await datasette.ensure_permissions(request.actor, [("view-database", name), "view-instance"])
    from .federated import federated

    # a partitioned archive's archive-wide database: the pages see every partition through it
    return await federated(datasette, db, request.actor) or db


def query_string(request, **changes):
    "The current query string with some parameters replaced (None removes one)."
    args = {k: request.args.get(k) for k in request.args.keys()}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return urlencode(args)
