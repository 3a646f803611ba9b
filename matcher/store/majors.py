"""Queries on the major catalogue."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import Major


def all_majors(*, session: Session) -> Sequence[Major]:
    """Every catalogue major, in code order."""
    return session.scalars(select(Major).order_by(Major.code)).all()


def get(*, session: Session, code: str) -> Major | None:
    return session.get(Major, code)
