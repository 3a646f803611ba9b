"""`talent bench`: encoder throughput and exact vs approximate search latency and recall, or the cost of matching
queries, or the load time of every console page, on this machine (figures printed, not a test)."""

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.console import fail, handle_errors, out, print_json, progress_bars
from cli.options import AsJson, platform
from matcher.config import get_settings

MIN_BENCH_SIZE, MAX_BENCH_SIZE = 1_000, 5_000_000
LEXICAL_ENGINES = ("numpy", "bm25index", "tantivy", "fts5", "bm25s")  # matcher.demo.lexical_bench.ENGINES


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
    scale: Annotated[
        int | None,
        typer.Option(
            min=10,
            help="Instead: N synthetic candidates (and N/10 jobs) in a throwaway database, served by `talent serve "
            "--workers W`, under load (docs/operations.md).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="With --scale: server worker processes.")] = 2,
    threads: Annotated[
        int, typer.Option(min=1, max=1000, help="With --scale: requests each worker works on at once.")
    ] = 1,
    concurrency: Annotated[int, typer.Option(min=1, max=1000, help="With --scale: concurrent connections.")] = 8,
    duration: Annotated[float, typer.Option(min=1, help="With --scale: seconds of concurrent load.")] = 20.0,
    requests: Annotated[int, typer.Option(min=1, help="With --scale: sequential requests of each kind.")] = 60,
    crawl: Annotated[
        int,
        typer.Option(
            min=0, max=100_000, help="With --scale: new postings stored as a crawl does while the API runs (0: none)."
        ),
    ] = 1_000,
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="TALENT_BENCH_DATABASE_URL",
            help="With --scale: a PostgreSQL server (postgresql+psycopg://user@host:5432/postgres) to make and drop "
            "its own database on; default: SQLite in a temporary folder.",
        ),
    ] = None,
    what: Annotated[
        str | None,
        typer.Argument(
            help="`lexical`: instead, the lexical engines on --docs synthetic documents (docs/lexical-engine.md); "
            "`growth`: an IVF index trained on --docs vectors as it grows 8-fold without a rebuild."
        ),
    ] = None,
    occupations: Annotated[
        Path | None,
        typer.Option(
            "--occupations",
            help="Instead: map every title of this file (CSV with a `text` column, or one title a line) to "
            "occupations and print the time taken, the model's start-up apart.",
        ),
    ] = None,
    people: Annotated[
        int | None,
        typer.Option(
            "--people",
            min=2,
            max=5_000_000,
            help="Instead: resolve this many synthetic candidate records into people (duplicates planted) and "
            "print the time taken and what was linked.",
        ),
    ] = None,
    stored: Annotated[
        bool,
        typer.Option(
            "--stored",
            help="With --people: store the records in a throwaway SQLite database and link them as `talent people "
            "resolve` does (profiles compared by the encoder).",
        ),
    ] = False,
    docs: Annotated[int, typer.Option(min=1_000, max=5_000_000, help="With `lexical`: documents.")] = 100_000,
    engines: Annotated[str, typer.Option(help="With `lexical`: engines, comma-separated.")] = ",".join(LEXICAL_ENGINES),
) -> None:
    """Print encoder texts/s and exact vs approximate search latency and recall (a benchmark, not a test)."""
    if what == "growth":
        _bench_growth(docs, as_json)
        return
    if occupations is not None:
        _bench_occupations(occupations, as_json)
        return
    if people is not None:
        _bench_people(people, as_json, stored)
        return
    if what is not None:
        _bench_lexical(what, docs, engines, as_json)
        return
    from matcher.demo.bench import query_costs, run_benchmark

    if scale is not None:
        _bench_scale(as_json, scale, workers, threads, concurrency, duration, requests, crawl, database_url)
        return
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


def _bench_scale(
    as_json: bool,
    n: int,
    workers: int,
    threads: int,
    concurrency: int,
    duration: float,
    requests: int,
    crawl: int,
    database_url: str | None,
) -> None:
    from matcher.demo.scale_bench import ScaleOptions, run_scale_bench

    options = ScaleOptions(
        n=n,
        workers=workers,
        threads=threads,
        concurrency=concurrency,
        duration=duration,
        requests=requests,
        crawl=crawl,
        database_url=database_url or None,
        encoder=get_settings().encoder,
    )
    try:
        with progress_bars() as progress:
            figures = run_scale_bench(options, progress)
    except (ValueError, RuntimeError, TimeoutError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(figures)
        return
    out.print(
        f"n={figures['n']} candidates, {figures['jobs']} jobs on {figures['backend']}; "
        f"{figures['workers']} workers of {figures['threads']} threads, {figures['concurrency']} connections, "
        f"{figures['cpu_count']} cores",
        highlight=False,
    )
    ingest = figures["ingest"]
    out.print(
        f"ingest {figures['ingest_rows_per_s']:.0f} rows/s ({ingest['seconds']} s, pool {ingest['pool_seconds']} s); "
        f"indexes built in {figures['index_build_s']} s",
        highlight=False,
    )
    out.print(
        f"start-up {figures['startup_s']} s to the first search answered (all workers {figures['all_workers_ready_s']} "
        f"s); memory {figures['rss_mb']:.0f} MB over {figures['server_processes']} processes",
        highlight=False,
    )
    for phase in ("sequential", "under_load"):
        for kind in ("search", "match", "filtered"):
            row = figures[phase].get(kind)
            if row:
                out.print(
                    f"{phase:>10} {kind:<9} p50 {row['p50_ms']:7.1f} ms  p90 {row['p90_ms']:7.1f} ms  "
                    f"p99 {row['p99_ms']:7.1f} ms  ({row['n']} requests)",
                    highlight=False,
                )
        if figures[phase]["errors"]:
            out.print(f"{phase:>10} errors: {figures[phase]['errors']}", highlight=False)
    out.print(f"throughput {figures['throughput_rps']} requests/s over {figures['duration_s']} s", highlight=False)
    if figures["crawl"]:
        crawled = figures["crawl"]
        out.print(
            f"crawl: {crawled['postings']} new postings stored in {crawled['batches']} batches in "
            f"{crawled['store_s']} s ({crawled['postings_per_s']}/s); every worker's index held them after "
            f"{crawled['searchable_s']} s",
            highlight=False,
        )
    for note in figures["notes"]:
        out.print(f"note: {note}", highlight=False)


def _bench_growth(start: int, as_json: bool) -> None:
    """`talent bench growth`: recall, latency and batch cost of an IVF index grown without retraining, against one
    built afresh at each size (clustered synthetic vectors; the drift thresholds in docs/operations.md)."""
    from index.benchmark import GROWTH_KEYS, benchmark_growth

    rows = benchmark_growth(start)
    if as_json:
        print_json(rows)
        return
    out.print("  ".join(f"{key:>14}" for key in GROWTH_KEYS), highlight=False)
    for row in rows:
        out.print("  ".join(f"{row[key]!s:>14}" for key in GROWTH_KEYS), highlight=False)


def _bench_lexical(what: str, docs: int, engines: str, as_json: bool) -> None:
    """`talent bench lexical`: memory, start-up, query and update costs of the lexical engines (each in a process of
    its own) on a synthetic collection made from the demo generator's token lists."""
    from matcher.demo.lexical_bench import run_lexical_bench

    if what != "lexical":
        raise fail(f"`talent bench {what}`: the benchmarks named this way are `lexical` and `growth`")
    chosen = [name.strip() for name in engines.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(LEXICAL_ENGINES))
    if not chosen or unknown:
        raise fail(f"--engines takes some of {', '.join(LEXICAL_ENGINES)}, got {engines!r}")
    report = run_lexical_bench(docs, chosen, progress=lambda message: typer.echo(message, err=True))
    if as_json:
        print_json(report)
        return
    out.print(f"{report['docs']} documents, {report['tokens_per_doc']} tokens each, {report['vocabulary']} terms")
    for name, row in report["engines"].items():
        if "build_s" not in row:
            out.print(f"{name:<10} {row}", highlight=False)
            continue

        def ms(key: str, row: dict[str, Any] = row) -> str:
            figures = row[key]
            if "p50_ms" not in figures:
                return "static (rebuild)"
            return f"{figures['p50_ms']:.1f}/{figures['p99_ms']:.1f} ms"

        out.print(
            f"{name:<10} build {row['build_s']:.1f} s, memory {row['rss_anon_mb']:.0f} MB "
            f"(+{row['rss_file_mb']:.0f} MB mapped) | p50/p99 profile {ms('profile_query')}, text {ms('text_query')}, "
            f"restricted {ms('restricted_query')} | batch of 50: add {ms('update_batch')}, remove {ms('remove_batch')} "
            f"| snapshot {row['snapshot']}",
            highlight=False,
        )


def _bench_people(n: int, as_json: bool, stored: bool) -> None:
    """Duplicate resolution over n synthetic records, with progress bars: in memory, or stored and linked as
    `talent people resolve` links (`stored`)."""
    from matcher.demo.people_bench import run_people_bench, run_stored_people_bench

    if stored:
        encoder = platform().encoder
        with progress_bars() as progress:
            figures = run_stored_people_bench(n, encoder.encode, progress=progress)
        if as_json:
            print_json(figures)
            return
        out.print(
            f"{figures['records']:,} records stored in {figures['store_s']} s ({figures['planted_duplicates']:,} "
            f"planted duplicates); linked in {figures['link_s']} s: {figures['pairs_scored']:,} pairs scored, "
            f"{figures['linked']:,} linked, {figures['to_review']:,} to review, {figures['records_in_a_person']:,} "
            f"records in a person; planted duplicates found {figures['planted_found']:,}",
            highlight=False,
        )
        return
    with progress_bars() as progress:
        figures = run_people_bench(n, progress=progress)
    if as_json:
        print_json(figures)
        return
    out.print(
        f"{figures['records']:,} records ({figures['planted_duplicates']:,} planted duplicates): evidence "
        f"{figures['evidence_s']} s, {figures['pairs_scored']:,} pairs scored and linked in {figures['link_s']} s; "
        f"{figures['people']:,} people, planted duplicates found {figures['planted_found']:,}, other links "
        f"{figures['links_not_planted']:,}, to review {figures['to_review']:,}",
        highlight=False,
    )


def _bench_occupations(file: Path, as_json: bool) -> None:
    """Titles per second of the occupation coder on FILE, encoded afresh (not from the embedding cache)."""
    import csv
    import io
    import time

    from matcher.platform import Platform

    text = file.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    titles = (
        [row["text"] for row in csv.DictReader(io.StringIO(text))] if "text" in first.split(",") else text.splitlines()
    )
    p = Platform(get_settings())
    started = time.perf_counter()
    with p.session() as session:
        mapper = p.occupation_mapper(session)
    ready = time.perf_counter()
    mapper.map_many([t for t in titles if t.strip()][:20])  # warm the model
    warm = time.perf_counter()
    mapper.map_many(titles, 5)
    done = time.perf_counter()
    figures = {
        "titles": len(titles),
        "start_up_s": round(ready - started, 2),
        "map_s": round(done - warm, 2),
        "titles_per_s": round(len(titles) / max(done - warm, 1e-9), 1),
    }
    if as_json:
        print_json(figures)
        return
    out.print(
        f"{figures['titles']} titles mapped in {figures['map_s']} s ({figures['titles_per_s']} titles/s); "
        f"start-up (the coder built from the classification and its titles) {figures['start_up_s']} s",
        highlight=False,
    )
