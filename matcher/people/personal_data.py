"""A candidate's rights over their data: everything we hold about them, exported; and erasure.

The export holds every row about the person (PIPL art. 45): the profile with its résumé text, their account, keys
and console sessions, consents, referrals of them with the partners' notes and events, the shortlists that name
them with their notes, the partners' claims on placing them, contact requests, the jobs they told an employer they
are interested in, feedback they wrote and feedback others wrote about their referrals, and who looked at their
record (the access log). SECTIONS says which section holds each table that refers to a candidate; a test holds it to
the schema, so a new table cannot be left out.

Erasure deletes the profile and everything hanging off it (education, experience, consents, referrals, claims,
contact requests, interests, a tier the office set, their account and keys) and the cached embedding of their text;
the caller then drops the id from the indexes. What stays is the audit trail, which names records by id only and
holds no personal data. Ids are never reused (migration 0010), and the access log of an export starts after the last
erasure of that id, should one be older.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from matcher.errors import NotFound
from matcher.people.accounts import Caller
from matcher.people.audit import record
from matcher.store import embeddings, queries
from matcher.store.changes import note_changed
from matcher.store.models import (
    Account,
    ApiKey,
    Attribution,
    AuditEvent,
    Candidate,
    Consent,
    ConsoleSession,
    ContactRequest,
    Feedback,
    IdentityKey,
    Interest,
    Organization,
    Referral,
    ShortlistEntry,
    TierOverride,
)
from matcher.text import candidate_text, content_hash

# The export's section for each table whose rows refer to a candidate (directly, or through their account).
SECTIONS = {
    "education": "profile",
    "experience": "profile",
    "accounts": "account",
    "api_keys": "account",
    "console_sessions": "account",
    "consents": "consents",
    "referrals": "referrals",
    "referral_events": "referrals",
    "attributions": "claims",
    "shortlist_entries": "shortlists",
    "contact_requests": "contact_requests",
    "interests": "interests",
    "tier_overrides": "certification_set_by_the_office",
    "feedback": "feedback",
    "person_links": "linked_records",
    "identity_keys": "identity_keys",
}


def _candidate(session: Session, candidate_id: int) -> Candidate:
    statement = (
        select(Candidate)
        .where(Candidate.id == candidate_id)
        .options(selectinload(Candidate.education), selectinload(Candidate.experience))
    )
    candidate = session.scalars(statement).first()
    if candidate is None:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    return candidate


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _account(session: Session, candidate_id: int) -> dict[str, Any] | None:
    account = session.scalars(select(Account).where(Account.candidate_id == candidate_id)).first()
    if account is None:
        return None
    keys = session.scalars(select(ApiKey).where(ApiKey.account_id == account.id).order_by(ApiKey.id)).all()
    sessions = session.scalars(
        select(ConsoleSession)
        .join(ApiKey, ApiKey.id == ConsoleSession.api_key_id)
        .where(ApiKey.account_id == account.id)
        .order_by(ConsoleSession.id)
    ).all()
    return {
        "id": account.id,
        "name": account.name,
        "created_at": _at(account.created_at),
        "disabled_at": _at(account.disabled_at),
        "keys": [
            {"prefix": key.prefix, "created_at": _at(key.created_at), "revoked_at": _at(key.revoked_at)} for key in keys
        ],
        "console_sessions": [
            {
                "created_at": _at(console.created_at),
                "last_seen_at": _at(console.last_seen_at),
                "expires_at": _at(console.expires_at),
                "revoked_at": _at(console.revoked_at),
            }
            for console in sessions
        ],
    }


def _access_log(session: Session, candidate_id: int) -> list[AuditEvent]:
    """Who did what to this candidate's record: the entries naming it since its last erasure, if any (an id erased
    before ids were kept from coming back may name an earlier person)."""
    subject = f"candidate:{candidate_id}"
    erased = session.scalar(
        select(func.max(AuditEvent.id)).where(AuditEvent.subject == subject, AuditEvent.action == "candidate.erase")
    )
    statement = select(AuditEvent).where(AuditEvent.subject == subject, AuditEvent.id > (erased or 0))
    return list(session.scalars(statement.order_by(AuditEvent.id)).all())


def export(session: Session, caller: Caller, candidate_id: int) -> dict[str, Any]:
    """Everything stored about one candidate, as plain JSON."""
    c = _candidate(session, candidate_id)
    firms = {
        organization.id: organization
        for organization in session.scalars(select(Organization)).all()  # few: partner firms and employers
    }
    consents = session.scalars(select(Consent).where(Consent.candidate_id == candidate_id).order_by(Consent.id)).all()
    referrals = session.scalars(
        select(Referral).where(Referral.candidate_id == candidate_id).order_by(Referral.id)
    ).all()
    claims = session.scalars(
        select(Attribution).where(Attribution.candidate_id == candidate_id).order_by(Attribution.id)
    ).all()
    shortlisted = session.scalars(
        select(ShortlistEntry).where(ShortlistEntry.candidate_id == candidate_id).order_by(ShortlistEntry.id)
    ).all()
    requests = session.scalars(
        select(ContactRequest).where(ContactRequest.candidate_id == candidate_id).order_by(ContactRequest.id)
    ).all()
    interests = session.scalars(
        select(Interest).where(Interest.candidate_id == candidate_id).order_by(Interest.id)
    ).all()
    override = session.scalar(select(TierOverride).where(TierOverride.candidate_id == candidate_id))
    account_id = session.scalar(select(Account.id).where(Account.candidate_id == candidate_id))
    feedback = session.scalars(select(Feedback).where(Feedback.account_id == account_id).order_by(Feedback.id)).all()
    about_referrals = session.scalars(
        select(Feedback)
        .where(Feedback.referral_id.in_([r.id for r in referrals]), Feedback.account_id != account_id)
        .order_by(Feedback.id)
    ).all()
    audit = _access_log(session, candidate_id)  # read before the export's own entry: the log lists those before it
    record(session, caller, "personal_data.export", f"candidate:{candidate_id}")

    def firm(organization_id: int | None) -> str | None:
        return firms[organization_id].name if organization_id in firms else None

    return {
        "profile": {
            "id": c.id,
            "source": c.source,
            "external_id": c.external_id,
            "person_id": c.person_id,
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
            "consent_to_contact": c.consent_to_contact,
            "resume_text": c.resume_text,
            "visible": c.visible,
            "fetched_at": _at(c.fetched_at),
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
        "account": _account(session, candidate_id),
        "linked_records": _linked_records(session, c),
        # what the record is filed under to find the person's other records: its identifiers and name keys
        "identity_keys": sorted(
            session.scalars(select(IdentityKey.key).where(IdentityKey.candidate_id == candidate_id))
        ),
        "consents": [
            {
                "organization": firm(consent.organization_id),
                "kind": firms[consent.organization_id].kind if consent.organization_id in firms else None,
                "purpose": consent.purpose,
                "granted_at": consent.granted_at.isoformat(),
                "withdrawn_at": _at(consent.withdrawn_at),
            }
            for consent in consents
        ],
        "referrals": [
            {
                "id": r.id,
                "partner": firm(r.partner_id),
                "job_id": r.job_id,
                "job_title": r.job.title,
                "stage": r.stage,
                "note": r.note,
                "tier": r.tier,
                "created_at": r.created_at.isoformat(),
                "updated_at": r.updated_at.isoformat(),
                "accepted_at": _at(r.accepted_at),
                "events": [{"stage": e.stage, "at": e.at.isoformat()} for e in r.events],
            }
            for r in referrals
        ],
        "claims": [
            {
                "partner": firm(claim.partner_id),
                "employer": claim.employer_key,
                "referral_id": claim.referral_id,
                "since": claim.since.isoformat(),
                "expires_at": claim.expires_at.isoformat(),
            }
            for claim in claims
        ],
        "shortlists": [
            {
                "partner": firm(entry.organization_id),
                "job_id": entry.job_id,
                "note": entry.note,
                "added_at": entry.added_at.isoformat(),
            }
            for entry in shortlisted
        ],
        "contact_requests": [
            {
                "organization": r.organization.name,
                "kind": r.organization.kind,
                "job_id": r.job_id,
                "message": r.message,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "answered_at": _at(r.answered_at),
            }
            for r in requests
        ],
        "interests": [
            {
                "job_id": i.job_id,
                "job_title": i.job.title,
                "employer": firm(i.organization_id),
                "created_at": i.created_at.isoformat(),
                "withdrawn_at": _at(i.withdrawn_at),
            }
            for i in interests
        ],
        "certification_set_by_the_office": (
            {
                "tier": override.tier,
                "tier_the_criteria_gave": override.computed_tier,
                "reason": override.reason,
                "set_at": override.set_at.isoformat(),
            }
            if override is not None
            else None
        ),
        "feedback": [
            {
                "topic": f.topic,
                "referral_id": f.referral_id,
                "policy_key": f.policy_key,
                "message": f.message,
                "status": f.status,
                "answer": f.answer,
                "created_at": f.created_at.isoformat(),
            }
            for f in feedback
        ],
        "feedback_about_your_referrals": [
            {
                "referral_id": f.referral_id,
                "by_role": f.author_role,
                "message": f.message,
                "status": f.status,
                "answer": f.answer,
                "created_at": f.created_at.isoformat(),
            }
            for f in about_referrals
        ],
        "access_log": [{"at": a.at.isoformat(), "action": a.action, "by_role": a.actor_role} for a in audit],
    }


def erase(session: Session, caller: Caller, candidate_id: int) -> list[int]:
    """Delete the candidate and all that is theirs, with every other record linked to them as one person (a crawled
    profile, a partner's upload: matcher.identity.linking); keep a non-personal audit entry per record. Returns the
    ids erased."""
    # NotFound for an unknown id (same_person_ids gives it back alone)
    records = [_candidate(session, i) for i in queries.same_person_ids(session=session, candidate_id=candidate_id)]
    for row in records:
        _erase_record(session, row)
    session.flush()
    for row_id in (row.id for row in records):
        detail = {"with": candidate_id} if row_id != candidate_id else None
        record(session, caller, "candidate.erase", f"candidate:{row_id}", detail)
    return [row.id for row in records]


def _linked_records(session: Session, c: Candidate) -> list[dict[str, Any]]:
    """The other records held about the same person (a crawled profile, a partner's upload), which an erasure erases
    too: where each came from and what it says of them in brief."""
    others = [i for i in queries.same_person_ids(session=session, candidate_id=c.id) if i != c.id]
    rows = queries.get_many(Candidate, session=session, ids=others, experience=False)
    return [
        {
            "id": row.id,
            "source": row.source,
            "external_id": row.external_id,
            "url": row.url,
            "name": row.name,
            "email": row.email,
            "headline": row.headline,
            "imported_at": row.imported_at.isoformat(),
        }
        for row in (rows[i] for i in others if i in rows)
    ]


def _erase_record(session: Session, c: Candidate) -> None:
    embeddings.delete_many(session=session, hashes=[content_hash(candidate_text(c)), c.text_hash])
    # Feedback others filed about their referrals may name them: it goes too (their own goes with their account).
    referral_ids = select(Referral.id).where(Referral.candidate_id == c.id)
    session.execute(delete(Feedback).where(Feedback.referral_id.in_(referral_ids)))
    note_changed(session, "candidates", [c.id])
    session.delete(c)  # the database cascades to their account, keys, consents, requests, interests, referrals, claims
