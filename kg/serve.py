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
  body or a query text that is an update (``INSERT``, ``LOAD`` …) gets
  **403**; a syntax error 400.
* No outgoing requests: :func:`kg.query.check_query` refuses a query with
  ``SERVICE`` (federation: **403**; both engines would otherwise fetch the
  URL) or ``FROM``/``FROM NAMED`` (400, like ``default-graph-uri``: the
  endpoint has one graph; rdflib may fetch them) before any engine sees it.
* Request size: a body or query text over ``max_body`` bytes gets **413**;
  a body is refused by its ``Content-Length`` before it is read, and a
  chunked one is read only up to the cap.
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
    DatasetNotAllowed,
    QueryCancelled,
    QueryError,
    QueryResult,
    QuerySyntaxError,
    ServiceNotAllowed,
    UpdateNotAllowed,
    check_query,
    is_update,
    normalize_format,
    open_engine,
    serialize_result,
)

MAX_BODY = 1_000_000  # bytes of query text accepted

_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (``_TooLarge``) past ``limit`` bytes without reading the rest."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            if int(length) > limit:
                raise _TooLarge(int(length))
        except ValueError:
            pass
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge(size)
        chunks.append(chunk)
    return b"".join(chunks)

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
    max_body: int = MAX_BODY,
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
        # Errors are returned, not raised, and without their traceback: its frames hold the
        # engine's result iterator, and pyoxigraph's may only be dropped in this thread.
        try:
            result: QueryResult = eng.query(text, max_rows=max_rows, cancel=cancel)
            fmt = choose_format(result.kind, accept, fmt_param)
            return result, fmt, serialize_result(result, fmt)
        except Exception as exc:
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            return exc

    async def index(request: Request) -> Response:
        if not html.is_file():
            return _text(404, f"{html.name} not found in {outdir}: rebuild with `kg build … -o {outdir}`; "
                              "the SPARQL endpoint is at /sparql")
        return HTMLResponse(html.read_text(encoding="utf-8"))

    async def sparql(request: Request) -> Response:
        qp = request.query_params
        fmt_param = qp.get("format")
        if "update" in qp:
            return _text(403, _READ_ONLY)
        if request.method == "GET":
            queries = qp.getlist("query")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return _text(403, _READ_ONLY)
            try:
                body = await _read_body(request, max_body)
            except _TooLarge as exc:
                return _text(413, f"request too large ({exc.args[0]} bytes or more; the limit is {max_body})")
            if ctype == "application/x-www-form-urlencoded":
                # parsed here (no python-multipart dependency for a urlencoded body)
                form = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
                if "update" in form:
                    return _text(403, _READ_ONLY)
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
        if len(text.encode("utf-8", "surrogatepass")) > max_body:
            return _text(413, f"query too large (over {max_body} bytes, the limit)")
        if is_update(text):
            return _text(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, …) is not accepted")
        try:
            check_query(text)  # the engines check it too; here it answers before a worker is taken
        except ServiceNotAllowed as exc:
            return _text(403, f"{exc} (this endpoint makes no outgoing requests)")
        except DatasetNotAllowed as exc:
            return _text(400, str(exc))
        cancel = threading.Event()
        cf = pool.submit(work, text, request.headers.get("accept"), fmt_param, cancel)
        try:
            outcome = await asyncio.wait_for(asyncio.wrap_future(cf), timeout)
        except asyncio.TimeoutError:
            cancel.set()
            cf.cancel()
            return _text(503, f"query timed out after {timeout:g} s (the server's limit); simplify it or add LIMIT",
                         **{"Retry-After": "5"})
        try:
            if isinstance(outcome, Exception):
                raise outcome
            result, fmt, data = outcome
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
        except Exception as exc:  # an engine failure: say so, keep serving
            return _text(500, f"the query failed in the engine ({type(exc).__name__}: {exc})")
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
