"""`talent majors|occupations map` and `talent eval`: the reference lists, mapping free text to them, measuring that."""

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cli import parity, people
from cli.console import handle_errors, out, print_json
from matcher.config import get_settings
from matcher.errors import Invalid
from matcher.office.priority import PriorityList
from matcher.platform import Platform
from matcher.reference import leading_industries
from matcher.reference.evaluation import MAX_TEXT, EvalReport, Ranked, evaluate, hierarchical, read_labelled
from matcher.reference.majors import MajorHit, MajorMapper
from matcher.reference.occupations import OccupationHit, OccupationMapper, clean_title, group_of

majors_app = typer.Typer(help="The national major catalogue: map degree names to it.", no_args_is_help=True)
occupations_app = typer.Typer(
    help="The occupation classification (CSCO 2022): map posting titles to it.", no_args_is_help=True
)

MapLimit = Annotated[int, typer.Option("--limit", "-n", min=1, max=50, help="How many majors per text.")]


class EvalTask(StrEnum):
    majors = "majors"
    occupations = "occupations"
    parity = "parity"
    exposure = "exposure"
    people = "people"


Mapper = MajorMapper | OccupationMapper


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


def _mapper(p: Platform, session: Session, kind: str) -> Mapper:
    return p.major_mapper(session) if kind == "majors" else p.occupation_mapper(session)


def _cleaned(kind: str, text: str) -> dict[str, str]:
    """For occupations, what was compared after the title was cleaned (as the API shows it)."""
    return {"cleaned": clean_title(text)} if kind == "occupations" else {}


def _map(kind: str, text: str | None, file: Path | None, limit: int, as_json: bool) -> None:
    """Map TEXT, or every line of FILE (one JSON line each, in order), with the mapper for `kind`."""
    texts = _texts(text, file)
    p = Platform(get_settings())
    with p.session() as session:
        mapper = _mapper(p, session, kind)
        fits = [bool(t.strip()) and len(t) <= MAX_TEXT for t in texts]
        results: list[Sequence[MajorHit | OccupationHit]]
        guess = mapper.guess(texts[0]) if isinstance(mapper, OccupationMapper) and file is None and fits[0] else None
        if isinstance(mapper, OccupationMapper):  # one batch: the titles encoded together
            batch = iter(mapper.map_many([t for t, ok in zip(texts, fits, strict=True) if ok], limit))
            results = [next(batch) if ok else [] for ok in fits]
        else:
            results = [mapper.map(t, limit) if ok else [] for t, ok in zip(texts, fits, strict=True)]
    if file is not None:  # blank or too long lines give no results rather than a guess
        for t, hits in zip(texts, results, strict=True):
            line = json.dumps(
                {"text": t, **_cleaned(kind, t), "results": [asdict(h) for h in hits]}, ensure_ascii=False
            )
            out.print(line, markup=False, highlight=False)
    elif as_json:
        print_json({"text": texts[0], **_cleaned(kind, texts[0]), "results": [asdict(h) for h in results[0]]})
    else:
        for rank, hit in enumerate(results[0], start=1):
            group = hit.class_name if isinstance(hit, MajorHit) else hit.group_name
            out.print(f"{rank}. {hit.code} {hit.name} ({group}) score {hit.score:.3f}", highlight=False)
        if guess is not None:
            shown = f"{guess.code} {guess.name}" if guess.code else "occupation uncertain"
            level = {
                2: " (its middle group: the exact occupation is uncertain)",
                3: " (its minor group: the exact occupation is uncertain)",
            }
            out.print(
                f"a job titled so shows: {shown}{level.get(guess.level, '')}, confidence {guess.confidence:.2f}",
                highlight=False,
            )


TextArg = Annotated[str | None, typer.Argument(help="The text to map (Chinese or English).")]
FileOption = Annotated[Path | None, typer.Option("--file", help="One text a line; prints one JSON line each.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@majors_app.command("map")
@handle_errors
def majors_map(text: TextArg = None, file: FileOption = None, limit: MapLimit = 5, as_json: JsonOption = False) -> None:
    """Map degree names ('MSc Cyber Security', '金融学', '080901') to catalogue majors, best first."""
    _map("majors", text, file, limit, as_json)


@occupations_app.command("map")
@handle_errors
def occupations_map(
    text: TextArg = None, file: FileOption = None, limit: MapLimit = 5, as_json: JsonOption = False
) -> None:
    """Map posting titles ('会计（金水区）4500-6000元') to CSCO 2022 detailed occupations, best first."""
    _map("occupations", text, file, limit, as_json)


def _major_codes(mapper: MajorMapper, text: str) -> list[str]:
    return [hit.code for hit in mapper.map(text, 10)]


def _eval_occupations(mapper: OccupationMapper, session: Session, text: str, misses: int) -> EvalReport:
    """Every title ranked in one batch; gold codes may be groups (2-02-00-00: any occupation under it is right)."""
    rows = read_labelled(text, mapper.all_codes())
    answers = dict(zip([r.text for r in rows], mapper.ranked(session, [r.text for r in rows]), strict=True))

    def rank(title: str) -> Ranked:
        hits, guess = answers[title]
        codes = [h.code for h in hits]
        return Ranked(codes, guess.confidence, guess.code) if guess else Ranked(codes)

    return evaluate("occupations", rows, rank, group_of, misses, right=hierarchical, seen=mapper.seen)


@occupations_app.command("train")
@handle_errors
def occupations_train(
    output: Annotated[
        Path | None, typer.Option(help="Write the ranker (JSON) to this file instead of the screen.")
    ] = None,
) -> None:
    """Fit the occupation ranker's weights and calibration on the known job-board titles, each left out in turn
    (no labelled evaluation set takes part). The packaged ranker is matcher/data/occupation-ranker.json."""
    p = Platform(get_settings())
    with p.session() as session:
        ranker = p.train_occupation_ranker(session)
    _emit(ranker.to_json(), output, "the occupation ranker")


def _print_report(report: EvalReport) -> None:
    def line(label: str, n: int, at_1: float, at_5: float, mrr: float, group: float | None) -> str:
        extra = f"  group@1 {group:.1%}" if group is not None else ""
        return f"{label:<10} n={n:<4} accuracy@1 {at_1:.1%}  accuracy@5 {at_5:.1%}  MRR {mrr:.3f}{extra}"

    o = report.overall
    out.print(line("all", o.n, o.at_1, o.at_5, o.mrr, o.group_at_1), highlight=False)
    for language, s in report.by_language.items():
        out.print(line(language, s.n, s.at_1, s.at_5, s.mrr, s.group_at_1), highlight=False)
    if report.unseen is not None:
        u = report.unseen
        out.print("unseen: the texts the mapping's own data does not hold (nor a near duplicate)", highlight=False)
        out.print(line("unseen", u.n, u.at_1, u.at_5, u.mrr, u.group_at_1), highlight=False)
        for language, s in report.unseen_by_language.items():
            out.print(line(f"unseen {language}", s.n, s.at_1, s.at_5, s.mrr, s.group_at_1), highlight=False)
    if report.reliability:
        out.print("reliability: the first answer's confidence against how often it is right", highlight=False)
        for band in report.reliability:
            right = f"{band.accuracy:.1%} right" if band.accuracy is not None else "-"
            out.print(f"  confidence {band.low:.1f}–{band.high:.1f}  n={band.n:<5} {right}", highlight=False)
    if report.shown is not None and report.shown.n:
        shown = report.shown
        out.print(
            f"shown: {shown.shown} of {shown.n} get a code ({shown.backed_off} of them a group), "
            f"{shown.right / max(shown.shown, 1):.1%} of those right; {shown.n - shown.shown} 'occupation uncertain'",
            highlight=False,
        )
    for miss in report.misses:
        out.print(f"  miss: {miss['text']!r}: gold {miss['gold']}, top {miss['top'] or '-'}", highlight=False)


@handle_errors
def eval_command(
    task: Annotated[
        EvalTask,
        typer.Argument(help="What to measure: majors, occupations, parity (twins), exposure (demo) or people."),
    ],
    file: Annotated[
        Path | None,
        typer.Argument(
            help="majors/occupations: CSV with a header: text, code (gold) and optionally language; "
            "parity: JSONL of twin groups (docs/evaluation.md); people: JSONL of labelled record pairs; exposure: none."
        ),
    ] = None,
    misses: Annotated[int, typer.Option(min=0, max=1000, help="List up to this many wrong answers.")] = 10,
    depth: Annotated[int, typer.Option(min=1, max=1000, help="parity: ranks looked at per query.")] = 100,
    jobs: Annotated[int, typer.Option(min=1, max=10_000, help="exposure: jobs sampled.")] = 120,
    top: Annotated[int, typer.Option("--top", "-k", min=1, max=100, help="exposure: results per job.")] = 10,
    seed: Annotated[int, typer.Option(help="exposure: seed of the job sample.")] = 2026,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Measure quality on your own labelled data. majors/occupations: accuracy@1, accuracy@5 and MRR of a mapping
    (for occupations also group@1: the top answer is in the gold occupation's minor group). parity: every twin of
    FILE (the same person or job in Chinese and in English) as a query among the current population, with the
    rank of the same-language and of the cross-lingual twin. exposure: on the synthetic demo's ground truth, the
    English-written share of the relevant top k against the relevant pool, per job language. people: precision and
    recall of automatic links between candidate records on labelled pairs (same person or not), per half and kind."""
    if task is EvalTask.exposure:
        parity.run_exposure(jobs, top, seed, as_json)
        return
    if file is None:
        raise Invalid(f"`talent eval {task.value}` needs a FILE")
    if task is EvalTask.parity:
        parity.run_parity(file, _read(file), depth, as_json)
        return
    if task is EvalTask.people:
        people.run_people_eval(file, _read(file), misses, as_json)
        return
    p = Platform(get_settings())
    with p.session() as session:
        if task is EvalTask.occupations:
            report = _eval_occupations(p.occupation_mapper(session), session, _read(file), misses)
        else:
            majors = p.major_mapper(session)
            rows = read_labelled(_read(file), majors.codes())
            report = evaluate(task.value, rows, partial(_major_codes, majors), None, misses, seen=majors.seen)
    if as_json:
        print_json(asdict(report))
    else:
        _print_report(report)


OutputOption = Annotated[Path | None, typer.Option(help="Write to this file instead of the screen.")]
AsOfOption = Annotated[str | None, typer.Option(help="As of this date, YYYY-MM-DD (default: today).")]
ConfigOption = Annotated[Path | None, typer.Option(help="Industries and weights (YAML); default: packaged.")]


def _emit(text: str, output: Path | None, what: str) -> None:
    """`text` to `output` (saying so), or to stdout."""
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    out.print(f"wrote {what} to {output}")


class PriorityFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@majors_app.command("priority")
@handle_errors
def majors_priority(
    output_format: Annotated[PriorityFormat, typer.Option("--format", help="table, json, csv or xlsx.")] = (
        PriorityFormat.table
    ),
    output: OutputOption = None,
    as_of: AsOfOption = None,
    save: Annotated[bool, typer.Option("--save", help="Keep it as the snapshot of its period (YYYY-MM).")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N majors.")] = None,
    config: Annotated[
        Path | None, typer.Option(help="Industries and weights (YAML); default: the packaged one.")
    ] = None,
) -> None:
    """The priority-major list (专业清单): demand from jobs, supply from candidates, shortage, stars, evidence."""
    from matcher.office import priority, priority_export

    if output_format is PriorityFormat.xlsx and output is None:
        raise Invalid("--format xlsx writes a file: give --output FILE.xlsx")
    day = _date(as_of) if as_of else date.today()
    p = Platform(get_settings())
    settings, hashed = leading_industries.load_config(config or p.settings.priority_config)
    with p.session(write=save) as session:
        period = priority.period_of(day)
        result = priority.compare_with_previous(
            session, priority.compute_priority(session, settings, hashed, day), period
        )
        if save:
            priority.save_snapshot(session, result, period)
    shown = result.entries[:limit] if limit else result.entries
    result.entries = shown
    if output_format is PriorityFormat.xlsx:
        assert output is not None
        priority_export.write_xlsx(result, output)
        out.print(f"wrote {len(shown)} majors to {output}")
        return
    if output_format is PriorityFormat.json:
        text = json.dumps(priority_export.to_json(result), ensure_ascii=False, indent=2)
    elif output_format is PriorityFormat.csv:
        text = priority_export.to_csv(shown)
    else:
        _print_priority(result)
        return
    _emit(text, output, f"{len(shown)} majors")


def _print_priority(result: PriorityList) -> None:
    out.print(
        f"as of {result.as_of} (jobs from {result.window_start}): {result.jobs_counted} jobs, "
        f"{result.candidates_counted} candidates"
        + (f"; changes since {result.previous_period}" if result.previous_period else ""),
        highlight=False,
    )
    for e in result.entries:
        change = "" if e.rank_change is None else f" ({e.rank_change:+d})"
        industries = ", ".join(f"{i['industry']} {i['share']:.0%}" for i in e.top_industries)
        out.print(
            f"{e.rank:>3}{change} {'★' * e.stars:<5} {e.code:<9} {e.name}  shortage {e.shortage:.2f}  "
            f"demand {e.demand_per_mille:.1f}‰ supply {e.supply_per_mille:.1f}‰  {e.jobs} jobs  [{industries}]",
            highlight=False,
        )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"--as-of must be a date YYYY-MM-DD, not {text!r}") from None


class CatalogueFormat(StrEnum):
    md = "md"
    csv = "csv"


@majors_app.command("catalogue")
@handle_errors
def majors_catalogue(
    output_format: Annotated[CatalogueFormat, typer.Option("--format", help="md (Markdown) or csv.")] = (
        CatalogueFormat.md
    ),
    output: OutputOption = None,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
) -> None:
    """The talent catalogue (人才目录指南): per leading industry, occupations and majors in demand, employers."""
    from matcher.office import catalogue as talent_catalogue

    day = _date(as_of) if as_of else date.today()
    p = Platform(get_settings())
    settings, _ = leading_industries.load_config(config or p.settings.priority_config)
    with p.session() as session:
        entries = talent_catalogue.talent_catalogue(session, settings, day)
    if output_format is CatalogueFormat.md:
        text = talent_catalogue.to_markdown(entries, day)
    else:
        text = talent_catalogue.to_csv(entries)
    _emit(text, output, f"the catalogue of {len(entries)} industries")
