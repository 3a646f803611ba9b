"""Shared fixtures: real models loaded once per session, real databases (SQLite, and PostgreSQL when
TALENT_TEST_POSTGRES_URL is set), a clean set of tables for every test."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, create_engine, delete, make_url, select, text
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.embedding import embed_texts
from matcher.encoders import Encoder, load_encoder
from matcher.ingest.importer import ImportReport
from matcher.platform import Platform
from matcher.reference.majors import alias_records, load_catalogue
from matcher.reference.occupations import DETAILED, load_occupations, occupation_views
from matcher.search.indexing import KINDS, build_index
from matcher.store.db import make_engine
from matcher.store.majors import all_majors
from matcher.store.migrate import upgrade
from matcher.store.models import (
    Account,
    AuditEvent,
    Base,
    Candidate,
    EmbeddingCache,
    Enterprise,
    Job,
    MajorListing,
    Occupation,
    Organization,
)
from matcher.text import content_hash

SAMPLES = Path(__file__).resolve().parent / "samples"
POSTGRES_URL = os.environ.get("TALENT_TEST_POSTGRES_URL", "")
# Education and experience rows go with their candidate (ON DELETE CASCADE).
# In deletion order; keys, consents, referrals and claims go with their accounts, organizations and candidates.
ROW_TABLES = (AuditEvent, Account, Organization, Candidate, Job, Enterprise, MajorListing)


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The bundled multilingual model, loaded once for the whole run."""
    return load_encoder("use-multilingual", 2)


def _reset_postgres(engine: Engine) -> None:
    """Drop whatever an earlier run left (our tables and Alembic's), so migrations run from scratch."""
    name = engine.url.database or ""
    if "test" not in name:
        pytest.exit(
            f"TALENT_TEST_POSTGRES_URL names database {name!r}: the tests drop every table in it, so its "
            "name must contain 'test'",
            returncode=2,
        )
    with engine.begin() as connection:
        existing = MetaData()
        existing.reflect(connection)
        existing.drop_all(connection)


def _database_of_this_worker(url: str) -> str:
    """Under pytest-xdist (`make test` runs two workers) each worker gets a PostgreSQL database of its own, made on
    first use next to the configured one (test → test_gw0, test_gw1); alone, the configured one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    configured = make_url(url)
    name = f"{configured.database}_{worker}"
    admin = create_engine(configured.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if found.first() is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return configured.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Each database-backed test runs once per backend; PostgreSQL is skipped, saying so, when unconfigured."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("TALENT_TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite is skipped")
        url = _database_of_this_worker(POSTGRES_URL)
        engine = make_engine(url)
        _reset_postgres(engine)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'talent.db'}"
        engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        load_catalogue(session)
        load_occupations(session)
        session.commit()
    engine.dispose()
    yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", database_url=database_url, encoder="use-multilingual")


@pytest.fixture
def platform(settings: Settings, encoder: Encoder) -> Iterator[Platform]:
    """A platform on a clean database (catalogue and embedding cache kept: they are content-addressed)."""
    platform = Platform(settings)
    platform.__dict__["encoder"] = encoder  # the session's model instead of a second load
    with platform.session() as session:
        for model in ROW_TABLES:
            session.execute(delete(model))
    yield platform
    platform.close()


@pytest.fixture
def session(platform: Platform) -> Iterator[Session]:
    with platform.session() as session:
        yield session


def _reference_texts(session: Session) -> list[str]:
    """The texts the major and occupation mappers embed: reference data every test can keep cached."""
    texts = [major.name for major in all_majors(session=session)] + [alias for _, alias in alias_records()]
    detailed = session.scalars(select(Occupation).where(Occupation.level == DETAILED).order_by(Occupation.code))
    return texts + [text for _, text in occupation_views(detailed.all())]


def _reference_hashes(session: Session) -> list[str]:
    return sorted({content_hash(text) for text in _reference_texts(session)})


@pytest.fixture
def reference_embeddings(platform: Platform) -> None:
    """The reference texts embedded in this database's cache, as after a first crawl or import (the mappers of a
    process are built once, so a test cannot count on earlier tests having written them to its database)."""
    with platform.session(write=True) as session:
        embed_texts(session, platform.encoder, _reference_texts(session))


@pytest.fixture
def clear_embedding_cache(platform: Platform) -> Callable[[], None]:
    """Empty the embedding cache (for tests that count what gets encoded)."""

    def clear() -> None:
        with platform.session() as session:
            keep = _reference_hashes(session)
            session.execute(delete(EmbeddingCache).where(EmbeddingCache.content_hash.not_in(keep)))

    return clear


@pytest.fixture
def table_counts(platform: Platform) -> Callable[[], dict[str, int]]:
    """Rows per table, to show that a failed operation changed nothing."""

    def counts() -> dict[str, int]:
        with platform.engine.connect() as connection:
            return {
                table.name: connection.execute(text(f"SELECT COUNT(*) FROM {table.name}")).scalar_one()
                for table in Base.metadata.sorted_tables
            }

    return counts


@pytest.fixture
def import_file(platform: Platform) -> Callable[[str, Path], ImportReport]:
    """Import a JSONL file through the real importer, committed."""

    def run(kind: str, path: Path) -> ImportReport:
        with platform.session() as session, path.open(encoding="utf-8") as lines:
            return platform.importer(session, kind).run(lines)

    return run


@pytest.fixture
def loaded(platform: Platform, import_file: Callable[[str, Path], ImportReport]) -> Platform:
    """The hand-written zh/en samples imported and both indexes built."""
    import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")
    import_file("candidates", SAMPLES / "crosslingual_candidates.jsonl")
    with platform.session() as session:
        for kind in KINDS:
            build_index(session, platform.encoder, platform.settings, kind)
    return platform
