"""`talent people duplicates|show|link|apart|unlink|resolve`: which candidate records are one person (the office's
job; matcher.office.person_records)."""

from dataclasses import asdict
from typing import Annotated

import typer

from cli.console import handle_errors, out, print_json, progress_bars
from cli.options import AsJson, Offset, platform
from matcher.office import person_records
from matcher.office.person_records import LinkSummary, Person, RecordSummary

people_app = typer.Typer(
    help="One person's records: the pairs to review, the office's verdicts, linking every record again.",
    no_args_is_help=True,
)
RecordId = Annotated[int, typer.Argument(min=1, help="A candidate record's id.")]
PageSize = Annotated[int, typer.Option("--limit", "-n", min=1, max=person_records.MAX_PAGE, help="How many pairs.")]


def _record(r: RecordSummary) -> str:
    schools = ", ".join(e["school"] for e in r.education[:2] if e["school"])
    where = " · ".join(part for part in (r.headline, schools, ", ".join(r.employers[:2])) if part)
    return f"#{r.id} {r.name} [{r.source}:{r.external_id}] {r.email or ''} {where}".replace("  ", " ")


def _score(link: LinkSummary) -> str:
    return "identifier" if link.score is None else f"{link.score:.1f}"


def _pair(link: LinkSummary) -> str:
    return (
        f"{link.status:<7} {_score(link):>10}  {_record(link.first)}\n{'':19}{_record(link.second)}\n"
        f"{'':19}{'; '.join(link.reasons) or link.decided_by}"
    )


def _print_person(found: Person) -> None:
    out.print(f"person {found.person_id or '(one record)'}: {len(found.records)} record(s)", highlight=False)
    for r in found.records:
        out.print(f"  {_record(r)}", markup=False, highlight=False)
    for link in found.links:
        out.print(
            f"  #{link.first.id}–#{link.second.id}: {link.status} by {link.decided_by} ({_score(link)}) "
            f"{'; '.join(link.reasons)}",
            markup=False,
            highlight=False,
        )


@people_app.command("duplicates")
@handle_errors
def duplicates(limit: PageSize = 20, offset: Offset = 0, as_json: AsJson = False) -> None:
    """The pairs of records that may be one person, waiting for the office's verdict, likeliest first."""
    p = platform()
    with p.session() as session:
        total, pairs = person_records.duplicates(session, None, limit, offset)
    if as_json:
        print_json({"total": total, "pairs": [asdict(pair) for pair in pairs]})
        return
    out.print(f"{total} pair(s) to review", highlight=False)
    for pair in pairs:
        out.print(_pair(pair), markup=False, highlight=False)


@people_app.command("show")
@handle_errors
def show(candidate: RecordId, as_json: AsJson = False) -> None:
    """Every record of this record's person, and the verdicts among them."""
    p = platform()
    with p.session() as session:
        found = person_records.person(session, None, candidate)
    if as_json:
        print_json(asdict(found))
        return
    _print_person(found)


@people_app.command("link")
@handle_errors
def link(first: RecordId, second: RecordId) -> None:
    """Say two records are one person."""
    p = platform()
    with p.session() as session:
        found = person_records.decide(session, None, first, second, "linked")
    _print_person(found)


@people_app.command("apart")
@handle_errors
def apart(first: RecordId, second: RecordId) -> None:
    """Say two records are not one person: they are never linked again."""
    p = platform()
    with p.session() as session:
        person_records.decide(session, None, first, second, "apart")
    out.print(f"records {first} and {second} are kept apart", highlight=False)


@people_app.command("unlink")
@handle_errors
def unlink(candidate: RecordId) -> None:
    """Take a record out of its person: it stands alone again, the others stay one person."""
    p = platform()
    with p.session() as session:
        others = person_records.unlink(session, None, candidate)
    out.print(f"record {candidate} unlinked from {', '.join(map(str, others))}", highlight=False)


@people_app.command("resolve")
@handle_errors
def resolve(as_json: AsJson = False) -> None:
    """Link every candidate record again (after a bulk load with TALENT_LINK_PEOPLE=false, or new rules). The office's
    own verdicts stay."""
    p = platform()
    with progress_bars() as progress, p.session(write=True) as session:
        report = person_records.resolve(session, None, p.people_linker(), progress)
    if as_json:
        print_json(report.as_dict())
        return
    out.print(
        f"{report.records} records, {report.compared} pairs compared: {report.linked} linked, {report.review} to "
        f"review; {report.regrouped} records changed person",
        highlight=False,
    )
