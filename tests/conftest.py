"""Shared fixtures: real models loaded once per session, real databases (SQLite, and PostgreSQL when
TALENT_TEST_POSTGRES_URL is set) prepared once per session with the reference data, each test in a transaction
rolled back afterwards (or, marked `committed`, on a second database whose rows are deleted first), and the
hand-written samples loaded once per module."""

import fcntl
import hashlib
import os
import shutil
import sqlite3

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Connection, Engine, MetaData, create_engine, delete, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from matcher.config import Settings
from matcher.embedding import embed_texts
from matcher.encoders import Encoder, load_encoder
from matcher.ingest.importer import ImportReport
from matcher.platform import Platform
from matcher.reference import english_names
from matcher.reference.majors import alias_records, load_catalogue, variant_records
from matcher.reference.occupations import embedded_texts, load_occupations
from matcher.search.indexing import KINDS, build_index
from matcher.store import embeddings
from matcher.store.db import make_engine
from matcher.store.majors import all_majors
from matcher.store.meta import dataset_id
from matcher.store.migrate import upgrade
from matcher.store.models import (
    Account,
    AuditEvent,
    Base,
    Candidate,
    ChangeLogEntry,
    EmbeddingCache,
    Enterprise,
    Job,
    MajorListing,
    Organization,
    PrioritySnapshot,
)
from matcher.text import content_hash

SAMPLES = Path(__file__).resolve().parent / "samples"
POSTGRES_URL = os.environ.get("TALENT_TEST_POSTGRES_URL", "")
# What `committed` tests delete first, in deletion order. Education and experience rows go with their candidate
# (ON DELETE CASCADE); keys, consents, referrals and claims go with their accounts, organizations and candidates.
ROW_TABLES = (
    AuditEvent,
    Account,
    Organization,
    Candidate,
    Job,
    Enterprise,
    MajorListing,
    PrioritySnapshot,
    ChangeLogEntry,
)


class RememberingEncoder:
    """The bundled model, remembering what it encoded in this run: a text met again (a module's data on the other
    backend, a sample another module loads too) is not encoded twice. The vectors are the model's own."""

    def __init__(self, model: Encoder, limit: int = 200_000) -> None:
        self._model = model
        self._limit = limit
        self._vectors: dict[str, np.ndarray] = {}
        self.name = model.name
        self.dimension = model.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > self._limit:
                self._vectors.clear()
            self._vectors.update(zip(missing, self._model.encode(missing), strict=True))
        if not texts:
            return self._model.encode([])
        return np.stack([self._vectors[text] for text in texts])


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The bundled multilingual model, loaded once for the whole run (and each text encoded once)."""
    return RememberingEncoder(load_encoder("use-multilingual", 2))


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


def _database_of_this_worker(url: str, role: str) -> str:
    """Under pytest-xdist (`make test` runs two workers) each worker gets PostgreSQL databases of its own, made on
    first use next to the configured one (test → test_gw0, test_gw1; test_gw0_committed for committed tests);
    alone, the configured one (and test_committed)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    configured = make_url(url)
    suffix = "_".join(part for part in (worker, "" if role == "db" else role) if part)
    if not suffix:
        return url
    name = f"{configured.database}_{suffix}"
    admin = create_engine(configured.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if found.first() is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return configured.set(database=name).render_as_string(hide_password=False)


_REFERENCE_VECTORS: dict[str, np.ndarray] = {}  # encoded once per process, written into every test database
# The reference vectors on disk, by encoder and texts: the suite's workers (and later runs) encode them once.
REFERENCE_CACHE = Path(os.environ.get("TALENT_TEST_CACHE", Path(__file__).resolve().parents[1] / "var" / "test-cache"))


def _reference_vectors(session: Session, encoder: Encoder, texts: list[str]) -> dict[str, np.ndarray]:
    """The reference texts' vectors by content hash: read from REFERENCE_CACHE, or encoded by the first worker to
    get there while the others wait on the lock (they are the same content-addressed vectors either way)."""
    hashes = [content_hash(t) for t in texts]
    key = hashlib.sha256("\n".join([encoder.name, *hashes]).encode()).hexdigest()[:20]
    REFERENCE_CACHE.mkdir(parents=True, exist_ok=True)
    path = REFERENCE_CACHE / f"reference-{key}.npy"
    with (REFERENCE_CACHE / "reference.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            vectors = np.load(path)
        else:
            vectors, _ = embed_texts(session, encoder, texts)  # as the platform encodes them (in batches)
            partial = path.with_suffix(".partial")
            with partial.open("wb") as out:
                np.save(out, vectors)
            partial.replace(path)
    return dict(zip(hashes, vectors, strict=True))


def _prepare(url: str, encoder: Encoder) -> None:
    """Schema, catalogue, occupations and the reference embeddings the mappers read: committed once, kept by every
    test (reference data, content-addressed). The reference texts are encoded once per run (REFERENCE_CACHE)."""
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        load_catalogue(session)
        load_occupations(session)
        if not _REFERENCE_VECTORS:
            _REFERENCE_VECTORS.update(_reference_vectors(session, encoder, _reference_texts(session)))
        cached = embeddings.get_many(session=session, encoder=encoder.name, hashes=_REFERENCE_VECTORS)
        missing = {h: v for h, v in _REFERENCE_VECTORS.items() if h not in cached}
        embeddings.put_many(session=session, encoder=encoder.name, vectors=missing)
        dataset_id(session=session)  # made once, committed: every index built in a test's transaction carries it
        session.commit()
    engine.dispose()


_PREPARED: dict[tuple[str, str], str] = {}  # (backend, role) → url, prepared once per process


def _prepared(backend: str, tmp_path_factory: pytest.TempPathFactory, role: str, encoder: Encoder) -> str:
    """The database of `backend` for `role` ("db": the main one; "committed"), made and prepared on first use.

    pytest sets a parametrized session fixture up again whenever the backend changes between modules; the database
    it gave before is still good (tests roll back, committed tests delete their rows first), so it is reused."""
    if (backend, role) not in _PREPARED:
        url = _database(backend, tmp_path_factory, role)
        _prepare(url, encoder)
        _PREPARED[backend, role] = url
    return _PREPARED[backend, role]


def _database(backend: str, tmp_path_factory: pytest.TempPathFactory, role: str) -> str:
    """An empty database of `backend` for `role`."""
    if backend == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("TALENT_TEST_POSTGRES_URL is not set: the PostgreSQL half of the suite is skipped")
        url = _database_of_this_worker(POSTGRES_URL, role)
        engine = make_engine(url)
        _reset_postgres(engine)
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path_factory.mktemp(role) / 'talent.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> str:
    """Each database-backed test runs once per backend; PostgreSQL is skipped, saying so, when unconfigured. Tests
    run on it inside a transaction that is rolled back (see `platform`)."""
    return _prepared(request.param, tmp_path_factory, "db", encoder)


@pytest.fixture(scope="session")
def committed_database_url(database_url: str, tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> str:
    """A second database of the same backend for tests marked `committed`: what they write must be seen by other
    connections, threads or processes (a live server, the CLI, crawlers, racing writers), so it is committed for
    real and the rows are deleted before each such test."""
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    return _prepared(backend, tmp_path_factory, "committed", encoder)


def _committed(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("committed") is not None


@pytest.fixture
def prepared_data_dir(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """A data directory whose SQLite database (talent.db) already holds the schema, the reference data and its
    embeddings, as every test database does: a program started on it encodes only its own data. A copy of this
    worker's prepared database, made with SQLite's backup (the original is never written by a test)."""
    source = make_url(_prepared("sqlite", tmp_path_factory, "db", encoder)).database
    directory = tmp_path_factory.mktemp("data-dir")
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as original,
        closing(sqlite3.connect(directory / "talent.db")) as copy,
    ):
        original.backup(copy)
    return directory


@pytest.fixture(scope="module")
def module_connection(database_url: str) -> Iterator[Connection]:
    """One connection per test module, in a transaction that is rolled back when the module ends: the module's
    read-only data (`loaded`) is written once inside it, and each test runs in a savepoint on top."""
    engine = make_engine(database_url)
    connection = engine.connect()
    outer = connection.begin()
    yield connection
    outer.rollback()
    connection.close()
    engine.dispose()


def bind(platform: Platform, connection: Connection) -> Platform:
    """Make every unit of work of `platform` a savepoint on `connection` (commits release it; nothing is written
    for real until the connection's own transaction commits, which in tests it never does)."""
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    platform.sessions = platform.writer_sessions = factory
    return platform


def sql_target(platform: Platform) -> Engine | Connection:
    """What `platform`'s units of work run their SQL on, for listening to it (`before_cursor_execute`): the test's
    connection, or the engine of a `committed` test."""
    bind: Engine | Connection = platform.sessions.kw["bind"]
    return bind


def platform_like(platform: Platform, settings: Settings) -> Platform:
    """Another platform with other settings on the same database and unit of work as `platform` (an app with a
    stricter rate limit, say): sessions and model shared."""
    other = Platform(settings)
    other.__dict__["encoder"] = platform.encoder
    other.sessions, other.writer_sessions = platform.sessions, platform.writer_sessions
    return other


@pytest.fixture
def settings(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    url = request.getfixturevalue("committed_database_url") if _committed(request) else database_url
    return Settings(data_dir=tmp_path / "var", database_url=url, encoder="use-multilingual")


@pytest.fixture
def platform(request: pytest.FixtureRequest, settings: Settings, encoder: Encoder) -> Iterator[Platform]:
    """A platform on a database with nothing but reference data (and the module's `loaded` samples, once a test of
    the module asked for them).

    Each test runs in a savepoint of its module's connection, rolled back afterwards: no test sees another's rows
    and nothing is deleted. Tests marked `committed` get the second database instead, emptied of rows first."""
    platform = Platform(settings)
    platform.__dict__["encoder"] = encoder  # the session's model instead of a second load
    if _committed(request):
        with platform.session() as session:
            for model in ROW_TABLES:
                session.execute(delete(model))
        yield platform
        platform.close()
        return
    connection: Connection = request.getfixturevalue("module_connection")
    test = connection.begin_nested()
    bind(platform, connection)
    yield platform
    if test.is_active:
        test.rollback()
    platform.close()


@pytest.fixture
def session(platform: Platform) -> Iterator[Session]:
    with platform.session() as session:
        yield session


def _reference_texts(session: Session) -> list[str]:
    """The texts the major and occupation mappers embed: reference data every test can keep cached."""
    majors = all_majors(session=session)
    english = english_names.major_names()
    texts = [major.name for major in majors] + [alias for _, alias in alias_records() + variant_records()]
    texts += [english[major.code] for major in majors if english.get(major.code)]
    return texts + embedded_texts(session)


def _reference_hashes(session: Session) -> list[str]:
    return sorted({content_hash(text) for text in _reference_texts(session)})


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
        with platform.session() as session:  # in the test's transaction: what the test's units of work left
            return {
                table.name: session.execute(text(f"SELECT COUNT(*) FROM {table.name}")).scalar_one()
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


def _load_samples(platform: Platform) -> None:
    for kind, name in (("jobs", "crosslingual_jobs.jsonl"), ("candidates", "crosslingual_candidates.jsonl")):
        with platform.session() as session, (SAMPLES / name).open(encoding="utf-8") as lines:
            platform.importer(session, kind).run(lines)
    with platform.session() as session:
        for kind in KINDS:
            build_index(session, platform.encoder, platform.settings, kind)


@pytest.fixture(scope="module")
def module_samples(
    database_url: str, module_connection: Connection, encoder: Encoder, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The hand-written zh/en samples imported and both indexes built, once per module, in the module's
    transaction; returns the folder holding the indexes."""
    data_dir = tmp_path_factory.mktemp("samples") / "var"
    platform = Platform(Settings(data_dir=data_dir, database_url=database_url, encoder="use-multilingual"))
    platform.__dict__["encoder"] = encoder
    _load_samples(bind(platform, module_connection))
    platform.close()
    return data_dir / "indexes"


@pytest.fixture
def loaded(request: pytest.FixtureRequest, module_samples: Path, platform: Platform) -> Platform:
    """The hand-written zh/en samples imported and both indexes built: read-only data loaded once per module, before
    the test's savepoint begins (the test gets its own copy of the index files); per test for tests marked
    `committed`."""
    if _committed(request):
        _load_samples(platform)
    else:
        shutil.copytree(module_samples, platform.settings.index_dir, dirs_exist_ok=True)
    return platform


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests whose writes other connections must see run `committed`: a live server, the CLI and crawlers (their
    own platforms and processes)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "live_server" in fixtures or item.path.parent.name in ("cli", "crawlers"):
            item.add_marker(pytest.mark.committed)
