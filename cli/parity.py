"""`talent eval parity|exposure`: does a person rank the same whichever language their profile is in?"""

from dataclasses import asdict
from pathlib import Path

from cli.console import out, print_json
from matcher.config import get_settings
from matcher.platform import Platform
from matcher.search.parity import ExposureReport, ParityReport, measure_exposure, measure_parity, read_twins


def run_parity(file: Path, text: str, depth: int, as_json: bool) -> None:
    groups = read_twins(text)
    p = Platform(get_settings())
    with p.session() as session:
        engine = p.matching(session)
        importers = {kind: p.importer(session, kind, link_people=False) for kind in ("candidates", "jobs")}
        report = measure_parity(session, engine, importers, groups, depth)  # type: ignore[arg-type]
        session.rollback()
    if as_json:
        print_json({**asdict(report), "n": report.n, "file": str(file)})
    else:
        print_parity(report)


def print_parity(report: ParityReport) -> None:
    def rank(value: int | None) -> str:
        return str(value) if value is not None else f">{report.depth}"

    for q in report.queries:
        out.print(
            f"{q.group:<28} {q.query_kind:>9}:{q.query_language}  same {rank(q.same_rank):>5}  "
            f"cross {rank(q.cross_rank):>5}  gap {q.gap(report.depth):>4}",
            highlight=False,
        )
    for name, figures in report.by_direction.items():
        out.print(
            f"{name:<14} n={int(figures['n']):<3} median gap {figures['median_gap']:g}  "
            f"cross-lingual twin in the top 20: {int(figures['cross_top20'])}/{int(figures['n'])}",
            highlight=False,
        )
    out.print(
        f"all            n={report.n:<3} median gap {report.median_gap:g}  max gap {report.max_gap}  "
        f"cross-lingual twin in the top 10: {report.cross_top10}/{report.n}, top 20: {report.cross_top20}/{report.n} "
        f"(same-language twin in the top 10: {report.same_top10}/{report.n})",
        highlight=False,
    )


def run_exposure(jobs: int, k: int, seed: int, as_json: bool) -> None:
    p = Platform(get_settings())
    with p.session() as session:
        report = measure_exposure(session, p.matching(session), jobs=jobs, k=k, seed=seed)
    if as_json:
        payload = asdict(report)
        for language, group in report.by_language.items():
            payload["by_language"][language].update(
                shown_share=group.shown_share, pool_share=group.pool_share, ratio=group.ratio
            )
        print_json(payload)
    else:
        print_exposure(report)


def print_exposure(report: ExposureReport) -> None:
    out.print(
        f"{report.jobs} jobs, top {report.k}: precision@{report.k} by role {report.precision:.3f}", highlight=False
    )
    for language, g in report.by_language.items():
        out.print(
            f"{language} jobs (n={g.jobs}): precision {g.precision:.3f}; English-written share of the relevant "
            f"top {report.k} {g.shown_share:.1%} vs of the relevant pool {g.pool_share:.1%} (ratio {g.ratio:.2f})",
            highlight=False,
        )
