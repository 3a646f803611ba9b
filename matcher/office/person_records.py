"""The office's word on which candidate records are one person (matcher/identity/linking.py links them).

A crawl, a partner's upload and a sign-up can each bring the same person; the linker joins records that share an
identifier (e-mail, ORCID, a profile link, a phone) at once and puts the unsure pairs (a name across scripts with a
school or an employer in common) up for review. Here the office reads that queue, says "same person" or "not the
same person" about a pair, takes a record out of its person, reads a person's records, and links every record
again. Every verdict is audited on `candidate:ID` (`people.linked`, `people.apart`, `people.unlinked`,
`people.resolved`). The records themselves never change: consent, referrals and certification stay per record.

`caller` None is the command line (the office at the machine that runs the platform).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from matcher.errors import Forbidden
from matcher.identity import linking
from matcher.identity.linking import LinkReport, PeopleLinker
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.progress import Progress, no_progress
from matcher.store import queries
from matcher.store.models import Candidate, PersonLink

MAX_PAGE = 200


@dataclass
class RecordSummary:
    """One candidate record as the office compares it with another."""

    id: int
    person_id: int | None
    source: str
    external_id: str
    name: str
    headline: str
    email: str | None
    location: str
    education: list[dict[str, Any]]  # school, degree, end_year
    employers: list[str]
    imported_at: datetime

    @classmethod
    def of(cls, row: Candidate) -> "RecordSummary":
        return cls(
            id=row.id,
            person_id=row.person_id,
            source=row.source,
            external_id=row.external_id,
            name=row.name,
            headline=row.headline,
            email=row.email,
            location=row.location,
            education=[{"school": e.school, "degree": e.degree, "end_year": e.end_year} for e in row.education],
            employers=[e.organization for e in row.experience if e.organization],
            imported_at=row.imported_at,
        )


@dataclass
class LinkSummary:
    """A pair of records and the verdict on them."""

    first: RecordSummary
    second: RecordSummary
    status: str  # linked, review or apart
    score: float | None  # None when an identifier in common decided
    reasons: list[str]
    decided_by: str  # identifier, score or office
    decided_at: datetime | None


@dataclass
class Person:
    """A record's person: every record of it (one when it stands alone) and the verdicts on them (among them, and
    with records outside: kept apart, or waiting for review)."""

    person_id: int | None
    records: list[RecordSummary]
    links: list[LinkSummary] = field(default_factory=list)


def _office(caller: Caller | None) -> None:
    if caller is not None and caller.role is not Role.admin:
        raise Forbidden("only the talent office decides which records are one person", "office_links_people")


def _summaries(session: Session, links: list[PersonLink]) -> list[LinkSummary]:
    ids = sorted({i for link in links for i in (link.first_id, link.second_id)})
    rows = queries.get_many(Candidate, session=session, ids=ids)
    return [
        LinkSummary(
            RecordSummary.of(rows[link.first_id]),
            RecordSummary.of(rows[link.second_id]),
            link.status,
            link.score,
            list(link.reasons or []),
            link.decided_by,
            link.decided_at,
        )
        for link in links
        if link.first_id in rows and link.second_id in rows
    ]


def duplicates(
    session: Session, caller: Caller | None, limit: int = 50, offset: int = 0
) -> tuple[int, list[LinkSummary]]:
    """The pairs waiting for the office's verdict, likeliest first, and how many there are."""
    _office(caller)
    total, links = linking.review_queue(session, min(max(limit, 1), MAX_PAGE), max(offset, 0))
    return total, _summaries(session, links)


def person(session: Session, caller: Caller | None, candidate_id: int) -> Person:
    """Every record of `candidate_id`'s person and the verdicts on them (NotFound for an unknown record)."""
    _office(caller)
    rows = linking.records_of(session, candidate_id)
    return Person(
        rows[0].person_id,
        [RecordSummary.of(row) for row in rows],
        _summaries(session, linking.links_of(session, [row.id for row in rows])),
    )


def decide(
    session: Session, caller: Caller | None, first: int, second: int, verdict: str, expected: str | None = None
) -> Person:
    """The office says records `first` and `second` are one person ("linked") or not ("apart": they are never linked
    again unless the office links them). `expected`: the pair's status the verdict was given on (Conflict when it
    changed meanwhile). Returns the person `first` belongs to afterwards."""
    _office(caller)
    link = linking.decide(session, first, second, verdict, caller.account_id if caller else None, expected)
    for subject, other in ((link.first_id, link.second_id), (link.second_id, link.first_id)):
        record(session, caller, f"people.{verdict}", f"candidate:{subject}", {"with": other})
    return person(session, caller, first)


def unlink(session: Session, caller: Caller | None, candidate_id: int) -> list[int]:
    """Take record `candidate_id` out of its person (its links become the office's "apart"); the other records keep
    their links among themselves. Returns the records it was linked with."""
    _office(caller)
    others = linking.unlink(session, candidate_id, caller.account_id if caller else None)
    record(session, caller, "people.unlinked", f"candidate:{candidate_id}", {"from": others})
    return others


def resolve(
    session: Session, caller: Caller | None, linker: PeopleLinker, progress: Progress = no_progress
) -> LinkReport:
    """Link every candidate record again (after a change of the rules, or a bulk load made with linking off)."""
    _office(caller)
    report = linker.link(session, None, progress)
    record(session, caller, "people.resolved", "candidates", report.as_dict())
    return report
