"""`talent demo`: create the database, generate the synthetic demo data, load it (directly, or through the demo
site and the crawlers, which `cli` runs), build the indexes."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from matcher.demo.activity import ActivityReport, seed_activity
from matcher.demo.generator import generate
from matcher.demo.vocabulary import SOURCE
from matcher.errors import Invalid
from matcher.ingest.importer import ImportReport
from matcher.people import accounts
from matcher.people.accounts import Role
from matcher.platform import Platform
from matcher.progress import Progress, no_progress
from matcher.search.indexing import KINDS, IndexReport, build_index
from matcher.store.models import Candidate, Enterprise

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


DEMO_KEYS = "demo-keys.json"


def demo_accounts(platform: Platform) -> tuple[Path, ActivityReport | None]:
    """One account per role on the demo data, their keys written to <data_dir>/demo-keys.json (readable by the
    owner only), and the synthetic activity of those accounts (demo_activity.py). Keys are shown once: a second run
    keeps the file and makes no new accounts or activity. Returns the file and the activity made now (None when
    the file was there)."""
    path = platform.settings.data_dir / DEMO_KEYS
    if path.exists():
        return path, None
    with platform.session(write=True) as session:
        enterprise = session.scalars(
            select(Enterprise).where(Enterprise.source == SOURCE).order_by(Enterprise.id)
        ).first()
        candidate = session.scalars(select(Candidate).where(Candidate.source == SOURCE).order_by(Candidate.id)).first()
        if enterprise is None or candidate is None:
            raise Invalid("the demo data is not loaded: run `talent demo` first")
        made = {
            "admin": accounts.create_account(session, Role.admin, "Demo talent office (synthetic)"),
            "partner": accounts.create_account(
                session, Role.partner, "Demo consultant (synthetic)", organization="Demo Partner Firm (synthetic)"
            ),
            "enterprise": accounts.create_account(
                session, Role.enterprise, "Demo HR (synthetic)", organization=enterprise.name
            ),
            "candidate": accounts.create_account(session, Role.candidate, candidate.name, candidate_id=candidate.id),
        }
        keys = {role: {"account_id": account.id, "key": key} for role, (account, key) in made.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(keys, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path, seed_activity(platform, {role: key for role, (_, key) in made.items()})
