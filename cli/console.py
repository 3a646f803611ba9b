"""Terminal output: progress bars on stderr, tables or JSON on stdout, one-line errors."""

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from index import VectorIndexError
from matcher.errors import TalentError
from matcher.progress import Progress as ProgressCallback
from matcher.search.matching import Match

out = Console(soft_wrap=True)
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one readable line to stderr and return the Exit to raise."""
    first_line = " ".join(str(message).split())
    print(f"error: {first_line}", file=sys.stderr)
    return typer.Exit(code)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Expected failures become one line on stderr and a non-zero exit, never a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except TalentError as exc:
            raise fail(exc.message, 2 if exc.status_code in (400, 404, 409, 422) else 1) from None
        except VectorIndexError as exc:
            raise fail(f"{exc} (rebuild with `talent index build`)") from None
        except SQLAlchemyError as exc:
            detail = str(exc).splitlines()[0]
            if "no such table" in detail or ("relation" in detail and "does not exist" in detail):
                raise fail("the database is not set up yet: run `talent init` (or `talent demo`)") from None
            raise fail(f"database error: {exc.__class__.__name__}: {detail}") from None
        except OSError as exc:
            raise fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)) from None

    return wrapper


@contextmanager
def progress_bars() -> Iterator[ProgressCallback]:
    """A progress callback drawing one bar per task on stderr (nothing when stderr is not a terminal)."""
    bars = Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    tasks: dict[str, Any] = {}

    def update(task: str, done: int, total: int) -> None:
        if task not in tasks:
            tasks[task] = bars.add_task(task, total=total)
        bars.update(tasks[task], completed=done, total=total)

    with bars:
        yield update


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def match_payload(matches: list[Match]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.id,
            "source": m.source,
            "external_id": m.external_id,
            "score": m.score,
            **m.summary,
            "explanation": m.explanation,
        }
        for m in matches
    ]


def print_matches(matches: list[Match], kind: str) -> None:
    """A table of results with the main reasons each ranks where it does."""
    if not matches:
        out.print("no results")
        return
    table = Table(show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("id", justify="right")
    table.add_column("score", justify="right")
    table.add_column("candidate" if kind == "candidates" else "job", overflow="fold")
    table.add_column("why", overflow="fold")
    for rank, match in enumerate(matches, start=1):
        s = match.summary
        if kind == "candidates":
            who = f"{s['name']} — {s['headline']}\n{s['location']} · {s['highest_degree']}"
        else:
            who = f"{s['title']} — {s['enterprise']}\n{s['location']} · {s['industry']}"
        table.add_row(str(rank), str(match.id), f"{match.score:.3f}", who, reasons(match.explanation))
    out.print(table)


def reasons(explanation: dict[str, Any]) -> str:
    parts = [f"dense {explanation['components']['dense']:.2f}"]
    lexical = explanation["components"].get("lexical")
    if lexical is not None:
        parts.append(f"lexical {lexical:.2f}")
    structured = explanation["components"].get("structured")
    if structured is not None:
        parts.append(f"fit {structured:.2f}")
    lines = [" · ".join(parts)]
    if explanation["matched_majors"]:
        lines.append("majors: " + ", ".join(explanation["matched_majors"]))
    if explanation["matched_skills"]:
        lines.append("skills: " + ", ".join(explanation["matched_skills"][:6]))
    if explanation.get("matched_concepts"):
        lines.append("concepts: " + ", ".join(f"{c['en']} / {c['zh']}" for c in explanation["matched_concepts"][:6]))
    elif explanation["matched_terms"]:
        lines.append("terms: " + ", ".join(explanation["matched_terms"][:6]))
    lines.extend(explanation["notes"])
    return "\n".join(lines)
