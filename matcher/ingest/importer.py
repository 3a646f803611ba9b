"""Import JSONL records: validate every line, upsert by (source, external_id), report bad lines by number.

A bad line never stops the good ones; each record is written in its own savepoint, so a record the database
refuses is reported like a line that failed validation and leaves nothing half-written.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel
from matcher.errors import FieldProblem, Invalid, InvalidFields
from matcher.progress import Progress, no_progress
from matcher.records import RECORD_TYPES, CandidateRecord, EnterpriseRecord, JobRecord, MajorListingRecord, Record
from matcher.reference.job_majors import JobMajorCodes, JobMajors
from matcher.reference.majors import MajorMapper
from matcher.reference.occupations import OccupationGuess, OccupationMapper
from matcher.store import embeddings, queries
from matcher.store.changes import note_changed
from matcher.store.models import Candidate, Education, Enterprise, Experience, Job, MajorListing
from matcher.text import candidate_text, content_hash, job_text
from matcher.tokenize import tokenize

MODELS: dict[str, type[Candidate] | type[Job] | type[Enterprise] | type[MajorListing]] = {
    "candidates": Candidate,
    "jobs": Job,
    "enterprises": Enterprise,
    "major_listings": MajorListing,
}


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class ImportReport:
    kind: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    changed: dict[int, None] = field(default_factory=dict)  # ids in first-seen order

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed_ids(self) -> list[int]:
        """Rows inserted or updated (each once), for the index to follow."""
        return list(self.changed)


def check_kind(kind: str) -> str:
    if kind not in RECORD_TYPES:
        raise Invalid(f"unknown record kind {kind!r}; use one of {', '.join(RECORD_TYPES)}")
    return kind


R = TypeVar("R", bound=Record)


def parse_record(model: type[R], fields: dict[str, Any]) -> R:
    """A record from fields given through the API, or Invalid worded as the importer words a bad line."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidFields(_validation_reason(exc), field_problems(exc)) from None


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """The validator's problems (the first three), each with where, what kind and its bounds."""
    return [
        FieldProblem(tuple(item["loc"]), item["type"], item["msg"], dict(item.get("ctx") or {}))
        for item in error.errors()[:3]
    ]


def _validation_reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"]) or "record"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _decode(line: str | bytes, number: int) -> str:
    """One line as text: UTF-8, with a byte-order mark allowed on the first line."""
    if isinstance(line, str):
        return line.lstrip("\ufeff") if number == 1 else line
    return line.decode("utf-8-sig" if number == 1 else "utf-8")


def parse_lines(kind: str, lines: Iterable[str | bytes]) -> Iterator[tuple[int, Record | LineError]]:
    """(line number, record) for each good line, (line number, LineError) for each bad one; blank lines skipped.

    Lines may be bytes (a file opened in binary mode): each is decoded on its own, so one line that is not UTF-8
    is reported like any other bad line instead of stopping the file.
    """
    model = RECORD_TYPES[check_kind(kind)]
    for number, raw in enumerate(lines, start=1):
        try:
            line = _decode(raw, number)
        except UnicodeDecodeError as exc:
            yield number, LineError(number, f"not UTF-8 text (byte {exc.start + 1}: {exc.reason})")
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, LineError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except (RecursionError, ValueError) as exc:
            yield number, LineError(number, f"not usable JSON ({exc.__class__.__name__}: nested too deep or too large)")
            continue
        if not isinstance(data, dict):
            yield number, LineError(number, f"expected a JSON object, got {type(data).__name__}")
            continue
        try:
            yield number, model.model_validate(data)
        except ValidationError as exc:
            yield number, LineError(number, _validation_reason(exc))
        except RecursionError:
            yield number, LineError(number, "record nested too deep")


def record_hash(record: Record) -> str:
    """A fingerprint of what a record says (fetch time aside), to tell a real change from a re-import."""
    payload = record.model_dump(mode="json", exclude={"fetched_at"})
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _provenance(record: Record, fingerprint: str) -> dict[str, Any]:
    return {
        "source": record.source,
        "external_id": record.external_id,
        "url": record.url,
        "fetched_at": record.fetched_at,
        "imported_at": datetime.now(UTC),
        "record_hash": fingerprint,
        "extras": record.extras,
    }


class Importer:
    """Upserts records of one kind into a session (flushes; the caller commits)."""

    def __init__(
        self,
        session: Session,
        kind: str,
        mapper: MajorMapper | None = None,
        occupations: OccupationMapper | None = None,
        job_majors: JobMajors | None = None,
        link_people: Callable[[Session, list[int]], object] | None = None,
    ) -> None:
        self.session = session
        self.link_people = link_people  # candidates: links the records written with the people they belong to
        self.kind = check_kind(kind)
        self.model = MODELS[kind]
        self.mapper = mapper
        self.occupations = occupations
        self.job_majors = job_majors
        self._occupations: dict[str, OccupationGuess | None] = {}
        self._job_majors: dict[int, JobMajorCodes] = {}

    def run(self, lines: Iterable[str | bytes], progress: Progress = no_progress) -> ImportReport:
        """Import JSONL lines: each good line upserted, each bad one reported by its number."""
        report = ImportReport(kind=self.kind)
        parsed = list(parse_lines(self.kind, lines))
        report.errors.extend(item for _, item in parsed if isinstance(item, LineError))
        self._upsert_all([(n, item) for n, item in parsed if isinstance(item, Record)], report, progress)
        return report

    def run_records(self, records: Sequence[Record], progress: Progress = no_progress) -> ImportReport:
        """Import records already validated (a crawler's items); errors are numbered by position from 1."""
        report = ImportReport(kind=self.kind)
        self._upsert_all(list(enumerate(records, start=1)), report, progress)
        return report

    def _upsert_all(self, records: list[tuple[int, Record]], report: ImportReport, progress: Progress) -> None:
        major_codes = self._map_majors([r for _, r in records])
        if self.occupations is not None:
            titles = sorted({r.title for _, r in records if isinstance(r, JobRecord)})
            self._occupations = dict(zip(titles, self.occupations.guesses(self.session, titles), strict=True))
        if self.job_majors is not None:
            jobs = [r for _, r in records if isinstance(r, JobRecord)]
            found = self.job_majors.for_jobs([(j.title, j.majors, f"{j.requirements}\n{j.description}") for j in jobs])
            self._job_majors = {id(job): codes for job, codes in zip(jobs, found, strict=True)}
        for done, (number, record) in enumerate(records, start=1):
            try:
                with self.session.begin_nested():
                    outcome, row_id = self._upsert(record, major_codes)
            except SQLAlchemyError as exc:
                report.errors.append(LineError(number, f"refused by the database: {exc.__class__.__name__}"))
                continue
            if outcome == "unchanged":
                report.unchanged += 1
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
                report.changed[row_id] = None
            progress("import", done, len(records))
        report.errors.sort(key=lambda e: e.line)
        note_changed(self.session, self.kind, report.changed_ids)
        if self.link_people is not None and report.changed_ids:
            self.link_people(self.session, report.changed_ids)

    def _listing_code(self, record: MajorListingRecord) -> str | None:
        """The catalogue major a listing names: by the code it gives when that is a catalogue code, else by name."""
        if self.mapper is None:
            return None
        if record.code:
            hits = self.mapper.map(record.code, limit=1)
            if hits and hits[0].code == record.code.upper():
                return hits[0].code
        return self.mapper.best_code(record.name)

    def _map_majors(self, records: list[Record]) -> dict[str, str | None]:
        """Catalogue codes for every major text in the batch (each distinct text mapped once)."""
        if self.mapper is None:
            return {}
        texts: set[str] = set()
        for record in records:
            if isinstance(record, CandidateRecord):
                texts.update(e.major for e in record.education if e.major)
        return {text: self.mapper.best_code(text) for text in sorted(texts)}

    def _upsert(self, record: Record, major_codes: dict[str, str | None]) -> tuple[str, int]:
        fingerprint = record_hash(record)
        row = queries.get_by_ref(self.model, session=self.session, source=record.source, external_id=record.external_id)
        if row is not None and row.record_hash == fingerprint:
            return "unchanged", row.id
        outcome = "updated" if row is not None else "inserted"
        if row is None:
            row = self.model()
            self.session.add(row)
        for key, value in _provenance(record, fingerprint).items():
            setattr(row, key, value)
        if isinstance(record, CandidateRecord) and isinstance(row, Candidate):
            self._fill_candidate(row, record, major_codes)
        elif isinstance(record, JobRecord) and isinstance(row, Job):
            self._fill_job(row, record)
        elif isinstance(record, EnterpriseRecord) and isinstance(row, Enterprise):
            for key in ("name", "industry", "location", "description", "website"):
                setattr(row, key, getattr(record, key))
        elif isinstance(record, MajorListingRecord) and isinstance(row, MajorListing):
            for key in ("name", "code", "class_name", "category_name", "university"):
                setattr(row, key, getattr(record, key))
            row.major_code = self._listing_code(record)
        self.session.flush()
        if isinstance(row, Enterprise):
            self._link_waiting_jobs(row)
        return outcome, row.id

    def _link_waiting_jobs(self, enterprise: Enterprise) -> None:
        """Jobs imported before their enterprise (same source, naming its external_id) now point at it."""
        self.session.execute(
            update(Job)
            .where(Job.source == enterprise.source, Job.enterprise_ref == enterprise.external_id)
            .where(Job.enterprise_id.is_(None))
            .values(enterprise_id=enterprise.id)
        )

    def _fill_candidate(self, row: Candidate, record: CandidateRecord, major_codes: dict[str, str | None]) -> None:
        for key in (
            "name",
            "headline",
            "summary",
            "skills",
            "location",
            "preferred_locations",
            "industries",
            "languages",
            "email",
            "consent_to_contact",
        ):
            setattr(row, key, getattr(record, key))
        row.education = [
            Education(
                position=i,
                school=e.school,
                degree=e.degree,
                major=e.major,
                country=e.country,
                end_year=e.end_year,
                degree_level=None if e.level is None else int(e.level),
                major_code=major_codes.get(e.major) if e.major else None,
            )
            for i, e in enumerate(record.education)
        ]
        row.experience = [
            Experience(
                position=i,
                title=x.title,
                organization=x.organization,
                description=x.description,
                start=x.start,
                end=x.end,
            )
            for i, x in enumerate(record.experience)
        ]
        levels = [e.level for e in record.education if e.level is not None]
        row.highest_degree = int(max(levels, default=DegreeLevel.NONE))
        derive_text_fields(row)

    def _fill_job(self, row: Job, record: JobRecord) -> None:
        for key in (
            "title",
            "industry",
            "description",
            "requirements",
            "majors",
            "location",
            "salary_min",
            "salary_max",
            "currency",
            "salary_period",
            "posted_at",
        ):
            setattr(row, key, getattr(record, key))
        row.enterprise_name = record.enterprise
        row.extras = {**record.extras, **record.terms()}
        row.min_degree = int(record.min_degree_level)
        majors = self._job_majors.get(id(record))
        if majors is not None:
            row.major_codes, row.major_source = majors.codes, majors.source
        else:
            row.major_codes = self.mapper.job_codes(record.majors) if self.mapper else []
            row.major_source = "given" if row.major_codes else ""
        guess = self._occupations.get(record.title)
        row.occupation_code = guess.code if guess else None
        row.occupation_confidence = guess.confidence if guess else None
        row.enterprise_ref = record.enterprise_external_id
        enterprise = None
        if record.enterprise_external_id:
            enterprise = queries.get_by_ref(
                Enterprise,
                session=self.session,
                source=record.source,
                external_id=record.enterprise_external_id,
            )
        if enterprise is not None or record.enterprise_external_id:
            row.enterprise_id = enterprise.id if enterprise else None
        # else: a posting that names no enterprise row keeps the link an enterprise account made by name
        derive_text_fields(row)


def derive_text_fields(row: Candidate | Job) -> None:
    """Set what matching reads off a row's text after its fields changed: the hash its embedding is cached under
    and its lexical tokens."""
    text = candidate_text(row) if isinstance(row, Candidate) else job_text(row)
    row.text_hash, row.lexical_tokens = content_hash(text), tokenize(text)


def rederive_text_fields(session: Session, batch: int = 500) -> dict[str, list[int]]:
    """Derive every candidate's and job's text fields again (after `candidate_text` or `job_text` changed): the rows
    whose text is no longer what their hash says get their new hash and tokens, and are noted as changed, so the
    post-write hook encodes them and logs them to the change feed, and every process's indexes follow. The vectors
    cached under their old texts are forgotten (they were made from what is now left out). Returns the changed ids
    by kind."""
    stale: set[str] = set()

    def rederive(rows: Iterable[Candidate | Job]) -> list[int]:
        changed = []
        for row in rows:
            text = candidate_text(row) if isinstance(row, Candidate) else job_text(row)
            if content_hash(text) != row.text_hash:  # tokenized again only then: tokenizing is the costly part
                stale.add(row.text_hash)
                row.text_hash, row.lexical_tokens = content_hash(text), tokenize(text)
                changed.append(row.id)
        session.flush()
        return changed

    changed = {
        "candidates": rederive(queries.iterate(Candidate, session=session, batch_size=batch)),
        "jobs": rederive(queries.iterate(Job, session=session, batch_size=batch)),
    }
    for kind, ids in changed.items():
        note_changed(session, kind, ids)
    # A text whose derivation changed is no unchanged row's text (that row's would have changed too).
    embeddings.delete_many(session=session, hashes=stale - {""})
    return changed


def retokenize(session: Session, batch: int = 500) -> int:
    """Set every candidate's and job's lexical tokens again from its text (after `tokenize` changed); the count."""
    done = 0
    for candidate in queries.iterate(Candidate, session=session, batch_size=batch):
        candidate.lexical_tokens = tokenize(candidate_text(candidate))
        done += 1
    session.flush()
    for job in queries.iterate(Job, session=session, batch_size=batch):
        job.lexical_tokens = tokenize(job_text(job))
        done += 1
    session.flush()
    return done
