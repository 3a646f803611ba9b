"""`talent index build`, `talent search` and `talent match`: build the FAISS indexes, search them with free text,
match a job to candidates or a candidate to jobs (or to the leading industries that fit)."""

import re
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from cli.console import handle_errors, match_payload, out, print_json, print_matches, progress_bars
from cli.options import AsJson, Industry, Limit, Location, MinDegree, Offset, SearchKind, platform
from matcher.errors import Invalid, NotFound
from matcher.platform import Platform
from matcher.search.indexing import KINDS, Kind, build_index
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import Candidate, Job

MAX_ID = 2**63 - 1

index_app = typer.Typer(help="Build the FAISS indexes from the database.", no_args_is_help=True)


class MatchSide(StrEnum):
    job = "job"
    candidate = "candidate"


class IndexChoice(StrEnum):
    all = "all"
    candidates = "candidates"
    jobs = "jobs"


@index_app.command("build")
@handle_errors
def index_build(
    kind: Annotated[IndexChoice, typer.Option("--kind", help="Which index to rebuild.")] = IndexChoice.all,
) -> None:
    """Rebuild indexes from the database (only texts never seen are encoded; the old index stays until done)."""
    p = platform()
    kinds = KINDS if kind is IndexChoice.all else (kind.value,)
    for name in kinds:
        with progress_bars() as progress, p.session(write=True) as session:
            report = build_index(
                session, p.encoder, p.settings, "candidates" if name == "candidates" else "jobs", progress
            )
        out.print(
            f"{report.kind}: {report.count} vectors, {report.index_kind} index, {report.encoded} encoded "
            f"-> {report.path}"
        )


@handle_errors
def search(
    kind: Annotated[SearchKind, typer.Argument(help="Search candidates or jobs.")],
    text: Annotated[str, typer.Argument(help="What you are looking for, in Chinese, English or both.")],
    limit: Limit = 10,
    offset: Offset = 0,
    location: Location = None,
    min_degree: MinDegree = None,
    industry: Industry = None,
    as_json: AsJson = False,
) -> None:
    """Free-text search over candidates or jobs, with a hybrid score and its explanation."""
    filters = Filters.parse(location, min_degree, industry)
    p = platform()
    with p.session() as session:
        index_kind: Kind = "candidates" if kind is SearchKind.candidates else "jobs"
        matches = p.matching(session).search(session, index_kind, text, filters, limit, offset)
    print_json(match_payload(matches)) if as_json else print_matches(matches, kind.value)


def resolve_ref(session: Session, model: type[Candidate] | type[Job], ref: str) -> int:
    """An internal id, or SOURCE:EXTERNAL_ID, to an id that exists."""
    what = "candidate" if model is Candidate else "job"
    if re.fullmatch(r"[0-9]+", ref.strip()):
        number = int(ref)
        row = queries.get(model, session=session, row_id=number) if 1 <= number <= MAX_ID else None
    elif ":" in ref:
        source, _, external_id = ref.partition(":")
        row = queries.get_by_ref(model, session=session, source=source.strip(), external_id=external_id.strip())
    else:
        raise Invalid(f"{ref!r} is not a {what} reference; give an id (42) or SOURCE:EXTERNAL_ID")
    if row is None:
        raise NotFound(f"{what} {ref} not found")
    return row.id


@handle_errors
def match(
    side: Annotated[MatchSide, typer.Argument(help="job: find candidates for a job; candidate: find jobs.")],
    ref: Annotated[str, typer.Argument(help="An internal id, or SOURCE:EXTERNAL_ID.")],
    limit: Limit = 10,
    offset: Offset = 0,
    location: Location = None,
    min_degree: MinDegree = None,
    industry: Industry = None,
    as_json: AsJson = False,
    industries: Annotated[
        bool, typer.Option("--industries", help="For a candidate: which leading industries fit, not which jobs.")
    ] = False,
) -> None:
    """Best candidates for a job, or best jobs for a candidate, each with why."""
    filters = Filters.parse(location, min_degree, industry)
    p = platform()
    if industries:
        if side is MatchSide.job:
            raise Invalid("--industries is for `talent match candidate REF`")
        _print_industries(p, ref, as_json, limit)
        return
    with p.session() as session:
        engine = p.matching(session)
        if side is MatchSide.job:
            matches = engine.match_job(session, resolve_ref(session, Job, ref), filters, limit, offset)
        else:
            matches = engine.match_candidate(session, resolve_ref(session, Candidate, ref), filters, limit, offset)
    shown = "candidates" if side is MatchSide.job else "jobs"
    print_json(match_payload(matches)) if as_json else print_matches(matches, shown)


def _print_industries(p: Platform, ref: str, as_json: bool, limit: int) -> None:
    from matcher.search.industries import industries_for_candidate

    with p.session() as session:
        candidate_id = resolve_ref(session, Candidate, ref)
        profiles = p.industry_profiles(session)
        fits = industries_for_candidate(session, p.encoder, profiles, candidate_id)[:limit] if profiles else []
    if as_json:
        print_json([asdict(fit) for fit in fits])
        return
    if not fits:
        out.print("no leading industry has jobs yet")
    for rank, fit in enumerate(fits, start=1):
        majors = (
            ", ".join(f"{m['name']} ({m['code']})" for m in fit.matching_majors) or "none of the candidate's majors"
        )
        out.print(
            f"{rank}. {fit.industry}  score {fit.score:.3f}  ({fit.jobs} jobs; majors: {majors})", highlight=False
        )
        for job in fit.example_jobs:
            out.print(f"     #{job['id']} {job['title']} ({job['employer']})  {job['score']:.3f}", highlight=False)
