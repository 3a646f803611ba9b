"""`talent init|import|export`: set up the store, import JSONL records into it, export them again."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.console import handle_errors, out, progress_bars
from cli.options import SearchKind, platform
from matcher.ingest.export import export_jsonl
from matcher.ingest.importer import ImportReport
from matcher.platform import index_updates


class ImportKind(StrEnum):
    candidates = "candidates"
    jobs = "jobs"
    enterprises = "enterprises"


@handle_errors
def init() -> None:
    """Create or migrate the database and load the major catalogue."""
    p = platform()
    majors = p.init()
    out.print(
        f"database ready at {p.settings.resolved_database_url} ({majors} catalogue majors, "
        "the CSCO 2022 occupation classification)"
    )


def print_import(report: ImportReport) -> None:
    out.print(
        f"{report.kind}: {report.inserted} inserted, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.errors)} bad lines"
    )
    for error in report.errors:
        print(f"line {error.line}: {error.reason}", file=sys.stderr)


@handle_errors
def import_(
    kind: Annotated[ImportKind, typer.Argument(help="What the file holds.")],
    file: Annotated[Path, typer.Argument(help="A JSONL file, one record a line (see docs/data-format.md).")],
) -> None:
    """Import records; good lines go in even when others are bad, which are reported by line number."""
    p = platform()
    p.init()
    with file.open("rb") as lines, progress_bars() as progress, p.session(write=True) as session:
        report = p.importer(session, kind.value).run(lines, progress)
    print_import(report)
    for update in index_updates(session).values():  # the post-write hook ran when the import committed
        if update.problem:
            out.print(update.problem)
            raise typer.Exit(1)
        out.print(
            f"{update.rows} {update.kind} logged for the indexes ({update.encoded} texts encoded); "
            "running servers find them within seconds"
        )
    if report.errors:
        raise typer.Exit(1)


@handle_errors
def export(
    kind: Annotated[SearchKind, typer.Argument(help="candidates or jobs.")],
    file: Annotated[Path, typer.Argument(help="Where to write the JSONL ('-' for standard output).")],
) -> None:
    """Export stored records as JSONL in the import format."""
    p = platform()
    with p.session() as session:
        if str(file) == "-":
            written = export_jsonl(session, kind.value, sys.stdout)
        else:
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(file.name + ".partial")
            with partial.open("w", encoding="utf-8") as handle:
                written = export_jsonl(session, kind.value, handle)
            partial.replace(file)
    print(f"{written} {kind.value} exported", file=sys.stderr)
