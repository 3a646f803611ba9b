"""`talent majors ...` and `talent eval ...`: the reference lists, mapping free text to them, measuring that."""

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.console import handle_errors, out, print_json
from matcher.config import get_settings
from matcher.errors import Invalid
from matcher.services.evaluation import MAX_TEXT, EvalReport, evaluate, read_labelled
from matcher.services.majors import MajorHit
from matcher.services.platform import Platform

majors_app = typer.Typer(help="The national major catalogue: map degree names to it.", no_args_is_help=True)

MapLimit = Annotated[int, typer.Option("--limit", "-n", min=1, max=50, help="How many majors per text.")]


class EvalTask(StrEnum):
    majors = "majors"


def _texts(text: str | None, file: Path | None) -> list[str]:
    if (text is None) == (file is None):
        raise Invalid("give either a TEXT or --file FILE (one text a line)")
    if file is None:
        assert text is not None
        if not text.strip() or len(text) > MAX_TEXT:
            raise Invalid(f"the text must be 1 to {MAX_TEXT} characters")
        return [text]
    return _read(file).splitlines()


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Invalid(f"{file} is not UTF-8 text") from None


def hit_payload(hit: MajorHit) -> dict[str, Any]:
    return asdict(hit)


@majors_app.command("map")
@handle_errors
def majors_map(
    text: Annotated[
        str | None, typer.Argument(help="A degree or major as written: 'MSc Cyber Security', '金融学'.")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="One text a line; prints one JSON line each.")] = None,
    limit: MapLimit = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Map degree names (any language) to catalogue majors, best first, with scores."""
    texts = _texts(text, file)
    p = Platform(get_settings())
    with p.session() as session:
        mapper = p.major_mapper(session)
        results = [mapper.map(t[:MAX_TEXT], limit) if t.strip() else [] for t in texts]
    if file is not None:  # one JSON line per input line, in order (blank or too long lines give no results)
        for t, hits in zip(texts, results, strict=True):
            line = {"text": t, "results": [hit_payload(h) for h in hits] if len(t) <= MAX_TEXT else []}
            out.print(json.dumps(line, ensure_ascii=False), markup=False, highlight=False)
        return
    if as_json:
        print_json({"text": texts[0], "results": [hit_payload(h) for h in results[0]]})
        return
    for rank, hit in enumerate(results[0], start=1):
        out.print(f"{rank}. {hit.code} {hit.name} ({hit.class_name}) score {hit.score:.3f}", highlight=False)


def _print_report(report: EvalReport) -> None:
    def line(label: str, n: int, at_1: float, at_5: float, mrr: float, group: float | None) -> str:
        extra = f"  group@1 {group:.1%}" if group is not None else ""
        return f"{label:<10} n={n:<4} accuracy@1 {at_1:.1%}  accuracy@5 {at_5:.1%}  MRR {mrr:.3f}{extra}"

    o = report.overall
    out.print(line("all", o.n, o.at_1, o.at_5, o.mrr, o.group_at_1), highlight=False)
    for language, s in report.by_language.items():
        out.print(line(language, s.n, s.at_1, s.at_5, s.mrr, s.group_at_1), highlight=False)
    for miss in report.misses:
        out.print(f"  miss: {miss['text']!r}: gold {miss['gold']}, top {miss['top'] or '-'}", highlight=False)


@handle_errors
def eval_command(
    task: Annotated[EvalTask, typer.Argument(help="What to measure: majors.")],
    file: Annotated[Path, typer.Argument(help="CSV with a header: text, code (gold) and optionally language.")],
    misses: Annotated[int, typer.Option(min=0, max=1000, help="List up to this many wrong answers.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Measure mapping quality on your own labelled file: accuracy@1, accuracy@5 and MRR."""
    p = Platform(get_settings())
    with p.session() as session:
        mapper = p.major_mapper(session)
        rows = read_labelled(_read(file), mapper.codes())
        report = evaluate(task.value, rows, lambda t: [h.code for h in mapper.map(t, 10)], misses=misses)
    if as_json:
        print_json(asdict(report))
    else:
        _print_report(report)
