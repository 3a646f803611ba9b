"""`talent`: set up the store, import and export records, build indexes, search, match, serve, benchmark."""

import re
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

try:  # typer >= 0.2x vendors its own click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

from cli import taxonomy
from cli.console import fail, handle_errors, match_payload, out, print_json, print_matches, progress_bars
from cli.users import users_app
from crawlers.runner import LOCAL_SITE_SETTINGS, CrawlRequest, CrawlSummary, run_crawl, run_crawls
from index import VectorIndex
from matcher.config import get_settings
from matcher.errors import Invalid, NotFound
from matcher.ingest.export import export_jsonl
from matcher.ingest.importer import ImportReport
from matcher.platform import Platform
from matcher.search.indexing import KINDS, Kind, build_index, index_path, update_index
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import Candidate, Job

MAX_ID = 2**63 - 1
MIN_BENCH_SIZE, MAX_BENCH_SIZE = 1_000, 5_000_000

app = typer.Typer(
    help="TalentBridge: match overseas talent with jobs across Chinese and English.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)
index_app = typer.Typer(help="Build the FAISS indexes from the database.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(taxonomy.majors_app, name="majors")
app.add_typer(taxonomy.occupations_app, name="occupations")
app.add_typer(users_app, name="users")
app.command("eval")(taxonomy.eval_command)


class ImportKind(StrEnum):
    candidates = "candidates"
    jobs = "jobs"
    enterprises = "enterprises"


class SearchKind(StrEnum):
    candidates = "candidates"
    jobs = "jobs"


class MatchSide(StrEnum):
    job = "job"
    candidate = "candidate"


class IndexChoice(StrEnum):
    all = "all"
    candidates = "candidates"
    jobs = "jobs"


Limit = Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="How many results.")]
Offset = Annotated[int, typer.Option(min=0, help="Skip this many results (paging).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print a JSON array instead of a table.")]
Location = Annotated[str | None, typer.Option(help="Only results at/wanting this place, e.g. 郑州, Zhengzhou, 高新区.")]
MinDegree = Annotated[
    str | None,
    typer.Option(help="Only results whose degree is at least this: bachelor, master, doctorate, 硕士..."),
]
Industry = Annotated[str | None, typer.Option(help="Only results in this industry, e.g. 电子信息.")]


def platform() -> Platform:
    return Platform(get_settings())


@app.command()
@handle_errors
def init() -> None:
    """Create or migrate the database and load the major catalogue."""
    p = platform()
    majors = p.init()
    out.print(
        f"database ready at {p.settings.resolved_database_url} ({majors} catalogue majors, "
        "the CSCO 2022 occupation classification)"
    )


def _print_import(report: ImportReport) -> None:
    out.print(
        f"{report.kind}: {report.inserted} inserted, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.errors)} bad lines"
    )
    for error in report.errors:
        print(f"line {error.line}: {error.reason}", file=sys.stderr)


@app.command("import")
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
    _print_import(report)
    if kind.value in KINDS and report.changed_ids:
        index_kind: Kind = "candidates" if kind.value == "candidates" else "jobs"
        if VectorIndex.exists(index_path(p.settings, index_kind)):
            with progress_bars() as progress, p.session(write=True) as session:
                _, encoded = update_index(
                    session, p.encoder, p.settings, index_kind, report.changed_ids, progress=progress
                )
            out.print(f"{index_kind} index updated ({encoded} texts encoded)")
        else:
            out.print(f"no {index_kind} index yet: run `talent index build`")
    if report.errors:
        raise typer.Exit(1)


@app.command()
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


@app.command()
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


@app.command()
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


@app.command()
@handle_errors
def demo(
    candidates: Annotated[int, typer.Option(min=1, help="Synthetic candidates to generate.")] = 2000,
    jobs: Annotated[int, typer.Option(min=1, help="Synthetic jobs to generate.")] = 500,
    enterprises: Annotated[int, typer.Option(min=1, help="Synthetic enterprises to generate.")] = 80,
    seed: Annotated[int, typer.Option(help="Generator seed: the same seed gives the same data.")] = 2026,
    direct: Annotated[
        bool, typer.Option("--direct", help="Import the generated files instead of crawling the demo site.")
    ] = False,
) -> None:
    """Generate the synthetic demo (labelled synthetic-demo), publish it on a local demo site, crawl that site
    into the database (jobs, profiles, major catalogue) and build the indexes."""
    from matcher.demo.load import build_indexes, demo_accounts, generate_demo, load_demo

    p = platform()
    counts = {"candidates": candidates, "jobs": jobs, "enterprises": enterprises, "seed": seed}
    if direct:
        with progress_bars() as progress:
            report = load_demo(p, **counts, progress=progress)
        out.print(f"catalogue: {report.majors} majors")
        for imported in report.imports:
            _print_import(imported)
        indexes = report.indexes
    else:
        from matcher.demo import vocabulary
        from matcher.demo.server import serve_site
        from matcher.demo.site import write_site

        majors, files = generate_demo(p, **counts)
        site = write_site(files, p.settings.data_dir / "demo" / "site")
        out.print(f"catalogue: {majors} majors")
        out.print(
            f"demo site: {site.job_pages} job pages, {site.person_pages} profile pages, "
            f"{site.orcid_records} ORCID records, {site.majors} majors"
        )
        with serve_site(site.directory) as base:
            out.print(f"crawling {base}/ (the demo site, served until the crawls end)")
            requests = [
                CrawlRequest("majors", [f"{base}/majors/catalogue.html"], vocabulary.SOURCE),
                CrawlRequest("jobs-sitemap", [f"{base}/robots.txt"], vocabulary.SOURCE),
                CrawlRequest("profiles", [f"{base}/profiles/"], vocabulary.SOURCE),
            ]
            for summary in run_crawls(requests, LOCAL_SITE_SETTINGS):
                _print_crawl(summary)
        with progress_bars() as progress:
            indexes = build_indexes(p, progress)
    for built in indexes:
        out.print(f"{built.kind} index: {built.count} vectors ({built.index_kind}), {built.encoded} encoded")
    keys, activity = demo_accounts(p)
    state = "written to" if activity else "kept in"
    out.print(f"demo API keys (one per role: admin, partner, enterprise, candidate) {state} {keys}")
    if activity:
        stages = ", ".join(f"{count} {stage}" for stage, count in sorted(activity.by_stage.items()))
        out.print(
            f"demo activity (synthetic): {activity.referrals} referrals ({stages}), {activity.saved_searches} saved "
            f"searches, {activity.shortlisted} shortlisted, {activity.contact_requests} contact requests, "
            f"{activity.feedback} feedback; birth years for {activity.birth_years} candidates"
        )
    out.print(f"web console: http://{p.settings.api_host}:{p.settings.api_port}/console (sign in with a key above)")


def _print_crawl(summary: CrawlSummary) -> None:
    out.print(f"crawl {summary.spider}: {summary.pages} pages")
    out.print(
        f"items: {summary.inserted} stored, {summary.updated} updated, {summary.unchanged} unchanged; "
        f"{summary.encoded} texts encoded"
    )
    if len(summary.records) > 1:
        out.print("records: " + ", ".join(f"{kind} {count}" for kind, count in sorted(summary.records.items())))
    dropped = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.dropped.items())) or "none"
    errors = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.errors.items())) or "none"
    out.print(f"dropped: {dropped}")
    out.print(f"errors: {errors}")


class CrawlKind(StrEnum):
    jobs = "jobs"
    jobs_sitemap = "jobs-sitemap"
    profiles = "profiles"
    majors = "majors"


@app.command()
@handle_errors
def crawl(
    kind: Annotated[
        CrawlKind, typer.Argument(help="jobs (schema.org JobPosting pages), jobs-sitemap, profiles, majors.")
    ],
    urls: Annotated[list[str], typer.Argument(help="Start pages or sitemaps; the crawl stays on their sites.")],
    jobdir: Annotated[
        Path | None, typer.Option(help="Keep crawl state here to pause and resume (Scrapy JOBDIR).")
    ] = None,
    max_pages: Annotated[int | None, typer.Option(min=1, help="Stop after this many pages.")] = None,
    source: Annotated[
        str | None, typer.Option(help="Store everything under this source name (default: each site's host).")
    ] = None,
) -> None:
    """Crawl sites into the store and the indexes, then print what happened."""
    bad = [u for u in urls if not re.match(r"^https?://[^/\s]+", u)]
    if bad:
        raise Invalid(f"not an http(s) URL: {bad[0]!r}")
    platform().init()
    _print_crawl(run_crawl(kind.value, urls, source=source, jobdir=jobdir, max_pages=max_pages))


@app.command()
@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    application = create_app(settings)
    uvicorn.run(application, host=host or settings.api_host, port=port or settings.api_port, log_level="info")


@app.command()
@handle_errors
def bench(
    as_json: AsJson = False,
    texts: Annotated[int, typer.Option(min=10, help="Texts to encode for throughput.")] = 1000,
    sizes: Annotated[str, typer.Option(help="Index sizes, comma-separated.")] = "10000,100000",
    console: Annotated[
        bool, typer.Option("--console", help="Instead: time every web-console page per demo role on the stored data.")
    ] = False,
    queries: Annotated[
        bool, typer.Option("--queries", help="Instead: time matching and search queries on the stored data.")
    ] = False,
) -> None:
    """Print encoder texts/s and exact vs approximate search latency and recall (a benchmark, not a test)."""
    from matcher.demo.bench import query_costs, run_benchmark

    if console:
        _bench_console(as_json)
        return
    if queries:
        p = platform()
        with p.session() as session:
            costs = query_costs(session, p.matching(session))
        if as_json:
            print_json(costs)
        for name, figures in costs.items() if not as_json else ():
            out.print(f"{name:<18} p50 {figures['p50_ms']:.1f} ms  mean {figures['mean_ms']:.1f} ms", highlight=False)
        return

    try:
        size_list = tuple(int(s) for s in sizes.split(",") if s.strip())
    except ValueError:
        size_list = ()
    if not size_list or any(not MIN_BENCH_SIZE <= size <= MAX_BENCH_SIZE for size in size_list):
        limits = f"from {MIN_BENCH_SIZE} to {MAX_BENCH_SIZE}"
        raise fail(f"--sizes must be whole numbers {limits} separated by commas, got {sizes!r}")
    p = platform()
    with progress_bars() as progress:
        report = run_benchmark(p.encoder, texts=texts, sizes=size_list, progress=progress)
    if as_json:
        print_json(report)
        return
    enc = report["encoder"]
    out.print(
        f"encoder {enc['encoder']}: {enc['texts_per_second']} texts/s ({enc['texts']} texts, "
        f"mean {enc['mean_chars']} chars; one text p50 {enc['single_text_p50_ms']} ms)"
    )
    for row in report["index"]:
        out.print(
            f"{row['data']:>15} n={row['n']}: "
            f"exact p50 {row['exact_p50_ms']:.3f} ms p99 {row['exact_p99_ms']:.3f} ms | "
            f"approx p50 {row['approx_p50_ms']:.3f} ms p99 {row['approx_p99_ms']:.3f} ms | "
            f"speed-up {row['speedup_p50']:.1f}x | recall@{row['k']} {row['recall_at_k']:.3f} "
            f"(nlist {row['nlist']}, nprobe {row['nprobe']})"
        )


def _bench_console(as_json: bool) -> None:
    from dataclasses import asdict

    from cli.page_timing import time_console

    times = time_console(get_settings())
    if as_json:
        print_json([asdict(row) for row in times])
        return
    for row in times:
        out.print(
            f"{row.role:>10} {row.path:<60} {row.status} first {row.first_ms:7.1f} ms | "
            f"p50 {row.p50_ms:7.1f} ms max {row.max_ms:7.1f} ms"
        )
    slowest = max(times, key=lambda row: row.max_ms)
    out.print(f"slowest page: {slowest.path} ({slowest.role}), {slowest.max_ms:.0f} ms at most after the first load")


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
