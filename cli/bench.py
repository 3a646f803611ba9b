"""`talent bench`: encoder throughput and exact vs approximate search latency and recall, or the cost of matching
queries, or the load time of every console page, on this machine (figures printed, not a test)."""

from typing import Annotated

import typer

from cli.console import fail, handle_errors, out, print_json, progress_bars
from cli.options import AsJson, platform
from matcher.config import get_settings

MIN_BENCH_SIZE, MAX_BENCH_SIZE = 1_000, 5_000_000


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
