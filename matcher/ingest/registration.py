"""Candidates entering the platform through the API: signing up themselves, registered by the partner firm that
found them (with the candidate's consent on record), and editing their own profile afterwards.

Profiles go through the same importer as crawled ones (degrees mapped to catalogue majors, lexical tokens), so a
registered candidate is matched like any other; the caller refreshes the candidates index with the id returned.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from matcher.errors import FieldProblem, Forbidden, Invalid, InvalidFields, NotFound
from matcher.ingest.export import candidate_record
from matcher.ingest.importer import Importer, derive_text_fields, parse_record
from matcher.ingest.resume_fields import without_contacts
from matcher.ingest.resumes import ResumeText
from matcher.people import accounts
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.records import CandidateRecord
from matcher.store import embeddings, queries
from matcher.store.changes import note_changed
from matcher.store.models import Candidate, Consent, utcnow

SELF_SOURCE = "self-signup"
PROFILE_FIELDS = (
    "name",
    "headline",
    "summary",
    "skills",
    "education",
    "experience",
    "location",
    "preferred_locations",
    "industries",
    "languages",
    "email",
)
CONSENT_METHODS = ("written", "electronic", "recorded-call")


def _store(session: Session, importer: Importer, profile: CandidateRecord, birth_year: int | None) -> Candidate:
    report = importer.run_records([profile])
    if report.errors:
        raise Invalid(report.errors[0].reason, "refused_by_database")
    row = queries.get_by_ref(Candidate, session=session, source=profile.source, external_id=profile.external_id)
    assert row is not None
    if birth_year is not None:
        row.birth_year = birth_year
    session.flush()
    return row


def birth_years() -> tuple[int, int]:
    """The first and the last birth year a profile may give today: 1940, and 15 years ago."""
    return 1940, utcnow().year - 15


def _birth_year(value: int | None) -> int | None:
    first, last = birth_years()
    if value is not None and not first <= value <= last:
        raise InvalidFields(
            f"birth_year {value} is not plausible",
            [FieldProblem(("birth_year",), "birth_year", "not plausible", {"ge": first, "le": last})],
        )
    return value


def sign_up(session: Session, importer: Importer, fields: dict[str, Any], birth_year: int | None) -> tuple[int, str]:
    """A candidate registers themselves: their profile and their account; returns the candidate id and the key."""
    profile = parse_record(
        CandidateRecord,
        {**fields, "source": SELF_SOURCE, "external_id": secrets.token_hex(8), "consent_to_contact": False},
    )
    row = _store(session, importer, profile, _birth_year(birth_year))
    account, key = accounts.create_account(session, Role.candidate, row.name or "candidate", candidate_id=row.id)
    record(session, None, "candidate.signup", f"candidate:{row.id}", {"account": account.id})
    return row.id, key


def register_found(
    session: Session,
    importer: Importer,
    caller: Caller,
    fields: dict[str, Any],
    birth_year: int | None,
    consent_method: str,
    consent_obtained_at: datetime,
) -> Candidate:
    """A partner firm registers a candidate it found; the candidate's consent (how and when it was obtained) is
    recorded as their consent to that firm."""
    if caller.role is not Role.partner or caller.organization_id is None:
        raise Forbidden("only talent partners register candidates they found", "partners_only")
    if consent_method not in CONSENT_METHODS:
        raise Invalid(f"consent.method must be one of {', '.join(CONSENT_METHODS)}", "consent_method")
    if consent_obtained_at > utcnow():
        raise Invalid("consent.obtained_at is in the future", "consent_in_future")
    source = f"partner-{caller.organization_id}"
    profile = parse_record(
        CandidateRecord,
        {**fields, "source": source, "external_id": secrets.token_hex(8), "consent_to_contact": False},
    )
    row = _store(session, importer, profile, _birth_year(birth_year))
    session.add(
        Consent(
            candidate_id=row.id,
            organization_id=caller.organization_id,
            purpose="registration",
            granted_at=consent_obtained_at,
        )
    )
    record(
        session,
        caller,
        "candidate.register",
        f"candidate:{row.id}",
        {"consent_method": consent_method, "consent_obtained_at": consent_obtained_at.isoformat()},
    )
    session.flush()
    return row


def edit_profile(
    session: Session, importer: Importer, caller: Caller, changes: dict[str, Any], birth_year: int | None
) -> Candidate:
    """The calling candidate changes some fields of their profile (the rest stay)."""
    row = queries.get(Candidate, session=session, row_id=caller.candidate_id or 0)
    if row is None:
        raise NotFound("your profile no longer exists", "own_profile_gone")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise Invalid(
            f"cannot change {', '.join(sorted(unknown))}; editable: {', '.join(PROFILE_FIELDS)}",
            "not_editable",
            fields=sorted(unknown),
        )
    current = candidate_record(row).model_dump()
    row = _store(
        session,
        importer,
        parse_record(CandidateRecord, {**current, **changes}),
        _birth_year(birth_year),
    )
    record(session, caller, "profile.edit", f"candidate:{row.id}", {"fields": sorted(changes)})
    return row


@dataclass(frozen=True)
class ResumeChange:
    """A résumé stored with a profile: the one read, and how much text the one it replaced had (0: none)."""

    resume: ResumeText
    replaced_chars: int
    chars: int  # of the text stored (without the contact details it carried): what a message says was read


def add_resume(session: Session, caller: Caller, resume: ResumeText) -> ResumeChange:
    """A candidate's résumé, read from its file by extract_resume beforehand (reading takes seconds: not inside a
    writer's unit of work), stored with their profile without the contact details it carries, so it counts for
    matching. It replaces the résumé stored before, if any (the profile's typed fields stay as they are)."""
    row = _own_row(session, caller)
    replaced = len(row.resume_text)
    row.resume_text = without_contacts(resume.text, [row.name, *row.name.split()])
    _rederive(session, row)
    detail: dict[str, Any] = {"format": resume.format, "chars": len(row.resume_text)}
    if replaced:
        detail["replaced_chars"] = replaced
    record(session, caller, "resume.replace" if replaced else "resume.upload", f"candidate:{row.id}", detail)
    session.flush()
    note_changed(session, "candidates", [row.id])
    return ResumeChange(resume, replaced, len(row.resume_text))


def delete_resume(session: Session, caller: Caller) -> int:
    """The calling candidate deletes their résumé: its text leaves the profile and matching (the fields they typed
    stay). Returns how many characters it had."""
    row = _own_row(session, caller)
    removed = len(row.resume_text)
    if not removed:
        raise NotFound("you have no résumé on file", "no_resume")
    row.resume_text = ""
    _rederive(session, row)
    record(session, caller, "resume.delete", f"candidate:{row.id}", {"chars": removed})
    session.flush()
    note_changed(session, "candidates", [row.id])
    return removed


def _rederive(session: Session, row: Candidate) -> None:
    """The profile's text fields after its résumé changed; the vector cached for its text before is forgotten (it was
    made from the résumé that is gone)."""
    before = row.text_hash
    derive_text_fields(row)
    if before and before != row.text_hash:
        embeddings.delete_many(session=session, hashes=[before])


def _own_row(session: Session, caller: Caller) -> Candidate:
    if caller.candidate_id is None:
        raise Forbidden("only a candidate can upload their own résumé", "candidate_only")
    row = session.get(Candidate, caller.candidate_id)
    if row is None:
        raise NotFound("your profile no longer exists", "own_profile_gone")
    return row


def own_profile(session: Session, caller: Caller) -> Candidate:
    """The calling candidate's own profile, with its education and experience (NotFound once it is erased)."""
    wanted = [caller.candidate_id] if caller.candidate_id is not None else []
    row = queries.get_many(Candidate, session=session, ids=wanted).get(caller.candidate_id or 0)
    if row is None:
        raise NotFound("your profile no longer exists", "own_profile_gone")
    return row


def set_visibility(session: Session, caller: Caller, visible: bool) -> Candidate:
    """The calling candidate shows their profile in partners' searches again, or hides it from them."""
    row = queries.get(Candidate, session=session, row_id=caller.candidate_id or 0)
    if row is None:
        raise NotFound("your profile no longer exists", "own_profile_gone")
    row.visible = visible
    note_changed(session, "candidates", [row.id])  # the facets filter hidden profiles out inside retrieval
    return row
