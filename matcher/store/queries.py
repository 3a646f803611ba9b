"""Queries shared by every entity that carries provenance: by id, by (source, external_id), by many ids."""

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matcher.store.models import Candidate, Enterprise, Job, MajorListing, Organization

Row = TypeVar("Row", bound=Candidate | Job | Enterprise | MajorListing)


def get(model: type[Row], *, session: Session, row_id: int) -> Row | None:
    """The row with primary key `row_id`, or None."""
    return session.get(model, row_id)


def get_by_ref(model: type[Row], *, session: Session, source: str, external_id: str) -> Row | None:
    """The row imported from `source` under `external_id`, or None."""
    statement = select(model).where(model.source == source, model.external_id == external_id)
    return session.scalars(statement).one_or_none()


def get_many(model: type[Row], *, session: Session, ids: Iterable[int], experience: bool = True) -> dict[int, Row]:
    """Rows by id (ids not found are simply absent), as they are in the database now (rows this session holds are
    refreshed); a candidate's education comes in the same round trip, and their experience unless `experience` is
    False (a result page does not show it: it is then loaded only if read)."""
    wanted = list(set(ids))
    rows: dict[int, Row] = {}
    for start in range(0, len(wanted), 900):
        statement = select(model).where(model.id.in_(wanted[start : start + 900]))
        if model is Candidate:
            related = [selectinload(Candidate.education)]
            statement = statement.options(*related, *([selectinload(Candidate.experience)] if experience else []))
        statement = statement.execution_options(populate_existing=True)
        rows.update({row.id: row for row in session.scalars(statement)})
    return rows


def iterate(model: type[Row], *, session: Session, batch_size: int = 500) -> Iterable[Row]:
    """Every row in id order, loaded in batches (a candidate with its education and experience)."""
    last_id = 0
    while True:
        statement = select(model).where(model.id > last_id).order_by(model.id).limit(batch_size)
        if model is Candidate:
            statement = statement.options(selectinload(Candidate.education), selectinload(Candidate.experience))
        batch: Sequence[Row] = session.scalars(statement).all()
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def count(model: type[Row], *, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def lexical_tokens(model: type[Candidate] | type[Job], *, session: Session) -> Iterable[tuple[int, list[str]]]:
    """(id, stored lexical tokens) of every row: what BM25 is built from, without loading whole rows."""
    statement = select(model.id, model.lexical_tokens).order_by(model.id)
    return [(row_id, tokens) for row_id, tokens in session.execute(statement)]


def all_ids(model: type[Candidate] | type[Job], *, session: Session) -> set[int]:
    return set(session.scalars(select(model.id)))


def sync_reference(model: type[Any], rows: dict[str, dict[str, Any]], *, session: Session) -> None:
    """Make a reference table keyed by `code` (catalogue, classification) hold `rows`: insert the missing, update
    what differs, leave the rest untouched."""
    existing = {row.code: row for row in session.scalars(select(model))}
    for code, fields in rows.items():
        row = existing.get(code)
        if row is None:
            session.add(model(code=code, **fields))
            continue
        for key, value in fields.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
    session.flush()


def organization_names(*, session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Organization id -> name (partner firms, enterprises), in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(wanted)))
    return {row_id: name for row_id, name in rows}


def same_person_ids(*, session: Session, candidate_id: int) -> list[int]:
    """The ids of every record of candidate `candidate_id`'s person (matcher.identity.linking), smallest first: its
    own alone when it is linked with none."""
    person = session.scalar(select(Candidate.person_id).where(Candidate.id == candidate_id))
    if person is None:
        return [candidate_id]
    return list(session.scalars(select(Candidate.id).where(Candidate.person_id == person).order_by(Candidate.id)))


def person_records(*, session: Session, persons: Iterable[int]) -> dict[int, list[tuple[int, str, str]]]:
    """For each person key, its linked candidate records' (id, source, external id), smallest id first."""
    found: dict[int, list[tuple[int, str, str]]] = {}
    wanted = sorted(set(persons))
    for start in range(0, len(wanted), 900):
        statement = (
            select(Candidate.person_id, Candidate.id, Candidate.source, Candidate.external_id)
            .where(Candidate.person_id.in_(wanted[start : start + 900]))
            .order_by(Candidate.id)
        )
        for person, row_id, source, external_id in session.execute(statement):
            if person is not None:
                found.setdefault(person, []).append((row_id, source, external_id))
    return found
