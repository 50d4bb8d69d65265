"""A read-only SPARQL 1.1 Protocol endpoint over a build (``kg serve``).

:func:`create_app` loads ``OUTDIR/graph.ttl`` once into an engine of
:mod:`kg.query` and returns a Starlette app:

* ``GET /sparql?query=…`` and ``POST /sparql`` with either
  ``application/x-www-form-urlencoded`` (``query=…``) or
  ``application/sparql-query`` (the query as the body).
* Results by content negotiation (``Accept``), or a ``format=`` parameter
  that wins over it: ``json`` (application/sparql-results+json, the default
  for SELECT/ASK), ``xml``, ``csv``, ``tsv``; ``ttl`` (the default for
  CONSTRUCT/DESCRIBE) and ``nt`` for graph results. An ``Accept`` that names
  only types this result cannot have gets 406.
* Read-only: an ``update=`` parameter, an ``application/sparql-update``
  body or a query text that is an update gets **403**; a syntax error 400.
* Each query runs in a worker thread with a time limit: past ``timeout``
  seconds the client gets **503** and the worker is told to stop at its next
  row (a query still inside one long native step finishes in the background;
  the pool has ``workers`` threads, so such queries cannot pile up beyond it).
* At most ``max_rows`` rows (or triples) are returned; when a result was cut
  the response carries ``X-Truncated: true`` (and ``X-Max-Rows``).
* ``GET /`` serves ``OUTDIR/graph.html``, the interactive view.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import urllib.parse
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.query import (
    DEFAULT_ENGINE,
    GRAPH_FORMATS,
    MEDIA_TYPES,
    SELECT_FORMATS,
    QueryCancelled,
    QueryError,
    QueryResult,
    QuerySyntaxError,
    UpdateNotAllowed,
    is_update,
    normalize_format,
    open_engine,
    serialize_result,
)

MAX_BODY = 1_000_000  # bytes of query text accepted

# media type → format, for content negotiation
_ACCEPT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
}


class NotAcceptable(QueryError):
    pass


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` media ranges with their q-values, best first (stable)."""
    items = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        items.append((bits[0].lower(), q, i))
    items.sort(key=lambda x: (-x[1], x[2]))
    return [(m, q) for m, q, _ in items if q > 0]


def choose_format(kind: str, accept: str | None, fmt_param: str | None) -> str:
    """The output format for a result of ``kind`` given ``format=`` and ``Accept``."""
    allowed = GRAPH_FORMATS if kind == "graph" else SELECT_FORMATS
    default = "ttl" if kind == "graph" else "json"
    if fmt_param:
        f = normalize_format(fmt_param)
        f = _ACCEPT.get(f, f)
        if f not in allowed:
            raise NotAcceptable(
                f"format={fmt_param!r} is not available for this {kind} result; use one of: {', '.join(allowed)}"
            )
        return f
    if not accept:
        return default
    for media, _ in parse_accept(accept):
        if media in ("*/*", "application/*", "text/*"):
            return default
        f = _ACCEPT.get(media)
        if f in allowed:
            return f
    offered = ", ".join(sorted({m for m, f in _ACCEPT.items() if f in allowed}))
    raise NotAcceptable(f"cannot answer this {kind} query as {accept!r}; acceptable types: {offered}")


def _text(status: int, message: str, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers or None)


def create_app(
    outdir: str | Path,
    engine: str = DEFAULT_ENGINE,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    mentions: bool = False,
    workers: int = 2,
) -> Starlette:
    """A Starlette app answering SPARQL over ``OUTDIR`` (see the module doc)."""
    if timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds, not {timeout}")
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, not {max_rows}")
    outdir = Path(outdir)
    eng = open_engine(outdir, engine, mentions)
    html = outdir / "graph.html" if outdir.is_dir() else outdir.with_name("graph.html")
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-sparql")

    def work(text: str, accept: str | None, fmt_param: str | None, cancel: threading.Event):
        result: QueryResult = eng.query(text, max_rows=max_rows, cancel=cancel)
        fmt = choose_format(result.kind, accept, fmt_param)
        return result, fmt, serialize_result(result, fmt)

    async def index(request: Request) -> Response:
        if not html.is_file():
            return _text(404, f"{html.name} not found in {outdir}: rebuild with `kg build … -o {outdir}`; "
                              "the SPARQL endpoint is at /sparql")
        return HTMLResponse(html.read_text(encoding="utf-8"))

    async def sparql(request: Request) -> Response:
        qp = request.query_params
        fmt_param = qp.get("format")
        if "update" in qp:
            return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if request.method == "GET":
            queries = qp.getlist("query")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")
            body = await request.body()
            if len(body) > MAX_BODY:
                return _text(413, f"query too large ({len(body)} bytes; the limit is {MAX_BODY})")
            if ctype == "application/x-www-form-urlencoded":
                # parsed here (no python-multipart dependency for a urlencoded body)
                form = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
                if "update" in form:
                    return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")
                queries = form.get("query", []) + qp.getlist("query")
                fmt_param = (form.get("format") or [""])[0] or fmt_param
            elif ctype == "application/sparql-query":
                queries = [body.decode("utf-8", errors="replace")]
            else:
                return _text(
                    415,
                    f"unsupported Content-Type {ctype or '(none)'!r}: POST application/x-www-form-urlencoded "
                    "(query=…) or application/sparql-query",
                )
        if qp.getlist("default-graph-uri") or qp.getlist("named-graph-uri"):
            return _text(400, "default-graph-uri / named-graph-uri are not supported: the endpoint has one graph")
        if not queries:
            return _text(400, "missing query: send ?query=SELECT… (GET) or a POST body; see /")
        if len(queries) > 1:
            return _text(400, "send exactly one query parameter")
        text = queries[0]
        if is_update(text):
            return _text(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, …) is not accepted")
        cancel = threading.Event()
        cf = pool.submit(work, text, request.headers.get("accept"), fmt_param, cancel)
        try:
            result, fmt, data = await asyncio.wait_for(asyncio.wrap_future(cf), timeout)
        except asyncio.TimeoutError:
            cancel.set()
            cf.cancel()
            return _text(503, f"query timed out after {timeout:g} s (the server's limit); simplify it or add LIMIT",
                         **{"Retry-After": "5"})
        except UpdateNotAllowed as exc:
            return _text(403, str(exc))
        except NotAcceptable as exc:
            return _text(406, str(exc))
        except QueryCancelled as exc:
            return _text(503, str(exc))
        except QuerySyntaxError as exc:
            return _text(400, str(exc))
        except QueryError as exc:
            return _text(400, str(exc))
        headers = {"Vary": "Accept"}
        if result.truncated:
            headers["X-Truncated"] = "true"
            headers["X-Max-Rows"] = str(max_rows)
        return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        pool.shutdown(wait=False, cancel_futures=True)

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/sparql", sparql, methods=["GET", "POST"]),
        ],
        lifespan=lifespan,
    )
    app.state.engine = eng
    app.state.outdir = outdir
    return app


def bind_socket(host: str, port: int):
    """A listening TCP socket on ``host:port`` (``port=0``: any free port)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(app: Starlette, sock, log_level: str = "warning") -> None:
    """Serve ``app`` with uvicorn on an already bound socket until interrupted."""
    import uvicorn

    config = uvicorn.Config(app, log_level=log_level, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
