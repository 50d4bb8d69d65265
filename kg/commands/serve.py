"""`kg serve OUTDIR`: a read-only SPARQL 1.1 Protocol endpoint over a build."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.commands.common import command, console, fail, out


@command("serve", no_args_is_help=True)
def serve_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help="A folder written by `kg build` (holds graph.ttl)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; loopback unless you say otherwise."),
    port: int = typer.Option(8000, "--port", help="TCP port (0: any free port, printed at startup)."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before the client gets 503."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Rows (or triples) returned at most; X-Truncated: true when cut."),
    engine: Optional[str] = typer.Option(None, "--engine", help="oxigraph or rdflib (default: kg.query.DEFAULT_ENGINE, oxigraph, the faster on large graphs)."),
    mentions: bool = typer.Option(False, "--mentions", help="Also load OUTDIR/mentions.ttl."),
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level: warning, info, debug."),
) -> None:
    """Serve OUTDIR as a SPARQL endpoint: /sparql (GET/POST, read-only) and the view at /.

    Query it with any SPARQL client, e.g.
    [cyan]curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' http://127.0.0.1:8000/sparql[/]

    Updates get 403, syntax errors 400, queries over --timeout 503.
    Exit codes: 0 stopped with Ctrl-C; 1 OUTDIR has no graph.ttl or the port is taken; 2 bad usage.
    """
    from kg.query import DEFAULT_ENGINE, ENGINES, QueryError
    from kg.serve import bind_socket, create_app, is_loopback, run_server

    engine = engine or DEFAULT_ENGINE  # resolved here: importing kg.query at start-up costs every command
    if engine not in ENGINES:
        raise fail(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}", code=2)
    if timeout <= 0 or max_rows < 1 or not 0 <= port <= 65535:
        raise fail("--timeout must be > 0, --max-rows ≥ 1 and --port in 0…65535", code=2)
    try:
        application = create_app(outdir, engine=engine, timeout=timeout, max_rows=max_rows, mentions=mentions)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    except QueryError as exc:
        raise fail(str(exc)) from None
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port (0 = any free one)") from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if not is_loopback(host):
        console.print(f"[yellow]warning:[/] listening on {host}, not loopback: anyone who can reach it can query the graph")
    eng = application.state.engine
    console.print(f"loaded {len(eng):,} triples into {eng.name}", highlight=False)
    out.print(f"SPARQL endpoint: http://{shown}:{bound_port}/sparql", highlight=False, soft_wrap=True)
    out.print(f"view: http://{shown}:{bound_port}/", highlight=False, soft_wrap=True)
    out.file.flush()
    try:
        run_server(application, sock, log_level=log_level)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass
    finally:
        sock.close()
