"""`talent`: set up the store, import and export records, build indexes, search, match, serve, benchmark.

This module assembles the command line from the modules that hold the commands (records, search, crawl, demo,
bench, taxonomy, users, person_records) and runs it; `serve` is the one command it holds itself.
"""

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

try:  # typer >= 0.2x vendors its own click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

from cli import bench, crawl, demo, records, search, taxonomy
from cli.console import handle_errors
from cli.person_records import people_app
from cli.users import users_app
from matcher.config import get_settings

app = typer.Typer(
    help="TalentBridge: match overseas talent with jobs across Chinese and English.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
app.add_typer(search.index_app, name="index")
app.add_typer(taxonomy.majors_app, name="majors")
app.add_typer(taxonomy.occupations_app, name="occupations")
app.add_typer(users_app, name="users")
app.add_typer(people_app, name="people")


@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Worker processes on the one port, each with its own model and indexes (default 1)."
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    settings = get_settings()
    host, port = host or settings.api_host, port or settings.api_port
    if workers == 1:
        from api.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)
        return
    # Several processes, each listening on its own socket of the port (cli.serving says why); each worker's
    # create_app() reads the same TALENT_* environment (and .env) this command was given.
    from cli.serving import serve_workers

    serve_workers(host, port, workers)


# `talent --help` lists the commands in this order.
app.command("eval")(taxonomy.eval_command)
app.command()(records.init)
app.command("import")(records.import_)
app.command()(records.export)
app.command()(search.search)
app.command()(search.match)
app.command()(demo.demo)
app.command()(crawl.crawl)
app.command()(serve)
app.command()(bench.bench)


def main() -> None:
    """The console script: usage errors too become one `error:` line (exit 2), never a traceback."""
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(2)
    except click_errors.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "talent"
        print(f"error: {exc.format_message()} (see `{where} --help`)", file=sys.stderr)
        sys.exit(2)
    except ValidationError as exc:  # a TALENT_* setting that does not validate
        problem = exc.errors()[0]
        name = "TALENT_" + "_".join(str(part) for part in problem["loc"]).upper()
        print(f"error: setting {name}: {problem['msg']}", file=sys.stderr)
        sys.exit(2)
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
