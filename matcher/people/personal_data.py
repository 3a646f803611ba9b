"""A candidate's rights over their data: everything we hold about them, exported; and erasure.

Erasure deletes the profile and everything hanging off it (education, experience, consents, referrals, claims,
their account and keys) and the cached embedding of their text; the caller then drops the id from the indexes.
What stays is the audit trail, which names records by id only and holds no personal data.
"""

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from matcher.errors import NotFound
from matcher.people.accounts import Caller
from matcher.people.audit import record
from matcher.store import embeddings
from matcher.store.changes import note_changed
from matcher.store.models import (
    Account,
    AuditEvent,
    Candidate,
    Consent,
    ContactRequest,
    Feedback,
    Organization,
    Referral,
)
from matcher.text import candidate_text, content_hash


def _candidate(session: Session, candidate_id: int) -> Candidate:
    statement = (
        select(Candidate)
        .where(Candidate.id == candidate_id)
        .options(selectinload(Candidate.education), selectinload(Candidate.experience))
    )
    candidate = session.scalars(statement).first()
    if candidate is None:
        raise NotFound(f"candidate {candidate_id} not found")
    return candidate


def export(session: Session, caller: Caller, candidate_id: int) -> dict[str, Any]:
    """Everything stored about one candidate, as plain JSON."""
    c = _candidate(session, candidate_id)
    consents = session.execute(
        select(Consent, Organization.name, Organization.kind)
        .join(Organization, Organization.id == Consent.organization_id)
        .where(Consent.candidate_id == candidate_id)
    ).all()
    referrals = session.scalars(
        select(Referral).where(Referral.candidate_id == candidate_id).order_by(Referral.id)
    ).all()
    requests = session.scalars(
        select(ContactRequest).where(ContactRequest.candidate_id == candidate_id).order_by(ContactRequest.id)
    ).all()
    account_id = session.scalar(select(Account.id).where(Account.candidate_id == candidate_id))
    feedback = session.scalars(select(Feedback).where(Feedback.account_id == account_id).order_by(Feedback.id)).all()
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.subject == f"candidate:{candidate_id}").order_by(AuditEvent.id)
    ).all()  # read before the export's own entry is written: the log lists the accesses before it
    record(session, caller, "personal_data.export", f"candidate:{candidate_id}")
    return {
        "profile": {
            "id": c.id,
            "source": c.source,
            "external_id": c.external_id,
            "url": c.url,
            "name": c.name,
            "email": c.email,
            "birth_year": c.birth_year,
            "headline": c.headline,
            "summary": c.summary,
            "skills": c.skills,
            "location": c.location,
            "preferred_locations": c.preferred_locations,
            "industries": c.industries,
            "languages": c.languages,
            "visible": c.visible,
            "imported_at": c.imported_at.isoformat(),
            "extras": c.extras,
            "education": [
                {
                    "school": e.school,
                    "degree": e.degree,
                    "major": e.major,
                    "major_code": e.major_code,
                    "country": e.country,
                    "end_year": e.end_year,
                }
                for e in c.education
            ],
            "experience": [
                {
                    "title": x.title,
                    "organization": x.organization,
                    "description": x.description,
                    "start": x.start,
                    "end": x.end,
                }
                for x in c.experience
            ],
        },
        "consents": [
            {
                "organization": name,
                "kind": kind,
                "purpose": consent.purpose,
                "granted_at": consent.granted_at.isoformat(),
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent, name, kind in consents
        ],
        "referrals": [
            {
                "id": r.id,
                "job_id": r.job_id,
                "job_title": r.job.title,
                "stage": r.stage,
                "created_at": r.created_at.isoformat(),
                "accepted_at": r.accepted_at.isoformat() if r.accepted_at else None,
                "events": [{"stage": e.stage, "at": e.at.isoformat()} for e in r.events],
            }
            for r in referrals
        ],
        "contact_requests": [
            {
                "organization": r.organization.name,
                "kind": r.organization.kind,
                "job_id": r.job_id,
                "message": r.message,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "answered_at": r.answered_at.isoformat() if r.answered_at else None,
            }
            for r in requests
        ],
        "feedback": [
            {
                "topic": f.topic,
                "message": f.message,
                "status": f.status,
                "answer": f.answer,
                "created_at": f.created_at.isoformat(),
            }
            for f in feedback
        ],
        "access_log": [{"at": a.at.isoformat(), "action": a.action, "by_role": a.actor_role} for a in audit],
    }


def erase(session: Session, caller: Caller, candidate_id: int) -> None:
    """Delete the candidate and all that is theirs; keep a non-personal audit entry."""
    c = _candidate(session, candidate_id)
    embeddings.delete_many(session=session, hashes=[content_hash(candidate_text(c)), c.text_hash])
    # Feedback others filed about their referrals may name them: it goes too (their own goes with their account).
    referral_ids = select(Referral.id).where(Referral.candidate_id == candidate_id)
    session.execute(delete(Feedback).where(Feedback.referral_id.in_(referral_ids)))
    note_changed(session, "candidates", [c.id])
    session.delete(c)  # the database cascades to their account, keys, consents, contact requests, referrals and claims
    session.flush()
    record(session, caller, "candidate.erase", f"candidate:{candidate_id}")
