"""`talent demo`: create the database, generate the synthetic demo data, load it (directly, or through the demo
site and the crawlers, which `cli` runs), build the indexes."""

from dataclasses import dataclass, field
from pathlib import Path

from matcher.demo.generator import generate
from matcher.progress import Progress, no_progress
from matcher.services.indexing import KINDS, IndexReport, build_index
from matcher.services.ingest import ImportReport
from matcher.services.platform import Platform

IMPORT_ORDER = ("enterprises", "jobs", "candidates")


@dataclass
class DemoReport:
    majors: int
    files: dict[str, Path]
    imports: list[ImportReport] = field(default_factory=list)
    indexes: list[IndexReport] = field(default_factory=list)


def generate_demo(
    platform: Platform, *, candidates: int = 2000, jobs: int = 500, enterprises: int = 80, seed: int = 2026
) -> tuple[int, dict[str, Path]]:
    """Create or migrate the database (with the catalogue) and write the synthetic demo files (seeded)."""
    majors = platform.init()
    files = generate(
        platform.settings.data_dir / "demo", seed=seed, candidates=candidates, jobs=jobs, enterprises=enterprises
    )
    return majors, files


def build_indexes(platform: Platform, progress: Progress = no_progress) -> list[IndexReport]:
    """Both indexes rebuilt from the tables (stored embeddings are reused, so only new texts are encoded)."""
    reports = []
    for kind in KINDS:
        with platform.session(write=True) as session:
            reports.append(build_index(session, platform.encoder, platform.settings, kind, progress))
    return reports


def load_demo(
    platform: Platform,
    *,
    candidates: int = 2000,
    jobs: int = 500,
    enterprises: int = 80,
    seed: int = 2026,
    progress: Progress = no_progress,
) -> DemoReport:
    """Generate the synthetic demo files, import them directly (no crawl), and build both indexes."""
    majors, files = generate_demo(platform, candidates=candidates, jobs=jobs, enterprises=enterprises, seed=seed)
    report = DemoReport(majors=majors, files=files)
    for kind in IMPORT_ORDER:
        with platform.session(write=True) as session, files[kind].open("rb") as lines:
            importer = platform.importer(session, kind)
            report.imports.append(importer.run(lines, progress))
    report.indexes = build_indexes(platform, progress)
    return report
