"""`talent demo`: create the database, load the synthetic demo data and the catalogue, build the indexes."""

from dataclasses import dataclass, field
from pathlib import Path

from matcher.demo.generator import generate
from matcher.progress import Progress, no_progress
from matcher.services.indexing import KINDS, IndexReport, build_index
from matcher.services.ingest import Importer, ImportReport
from matcher.services.platform import Platform

IMPORT_ORDER = ("enterprises", "jobs", "candidates")


@dataclass
class DemoReport:
    majors: int
    files: dict[str, Path]
    imports: list[ImportReport] = field(default_factory=list)
    indexes: list[IndexReport] = field(default_factory=list)


def load_demo(
    platform: Platform,
    *,
    candidates: int = 2000,
    jobs: int = 500,
    enterprises: int = 80,
    seed: int = 2026,
    progress: Progress = no_progress,
) -> DemoReport:
    """Generate the synthetic demo files (seeded), import them, and build both indexes."""
    majors = platform.init()
    files = generate(
        platform.settings.data_dir / "demo",
        seed=seed,
        candidates=candidates,
        jobs=jobs,
        enterprises=enterprises,
    )
    report = DemoReport(majors=majors, files=files)
    for kind in IMPORT_ORDER:
        with platform.session(write=True) as session, files[kind].open("rb") as lines:
            importer = Importer(session, kind, platform.major_mapper(session))
            report.imports.append(importer.run(lines, progress))
    for kind in KINDS:
        with platform.session(write=True) as session:
            report.indexes.append(build_index(session, platform.encoder, platform.settings, kind, progress))
    return report
