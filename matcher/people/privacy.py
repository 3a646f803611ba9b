"""Who may see a candidate's name and contact details, masking for everyone else, and consent records.

Enterprises and partners see a candidate masked ("张*", "J*** D**", no e-mail, no profile link, and no contact
details in the free text either: "WeChat: […]") until the candidate consents to that organization or accepts one of
its referrals. The office sees everything; a candidate sees themselves. Every view of unmasked personal data by
someone other than the candidate is audited.
"""

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import case, literal, select, union_all
from sqlalchemy.orm import Session

from matcher import contact_details
from matcher.errors import NotFound
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.search.matching import Filters
from matcher.store.models import Candidate, Consent, Job, Organization, Referral, utcnow

MASK = "*"
T = TypeVar("T")


def mask_name(name: str) -> str:
    """'张伟' -> '张*', 'Jane Doe' -> 'J*** D**': enough to tell people apart in a list, not to identify them."""
    name = name.strip()
    if not name:
        return ""
    if not any(ch.isascii() and ch.isalpha() for ch in name):
        return name[0] + MASK * max(1, len(name) - 1)
    return " ".join(part[0] + MASK * (len(part) - 1) for part in name.split())


def mask_text(text: str) -> str:
    """Free text as a masked view shows it: the e-mail addresses, phone numbers, messenger handles and links to
    personal pages typed into it replaced by contact_details.MARKER ("[…]")."""
    return contact_details.redact(text)


def mask_free_text(value: T) -> T:
    """`value` (a string, or lists and dicts of them, such as a profile as JSON) with mask_text applied to every
    string in it: whatever field a candidate typed text into, a masked view of it shows no contact details."""
    shown: Any = value
    if isinstance(value, str):
        shown = mask_text(value)
    elif isinstance(value, list | tuple):
        shown = type(value)(mask_free_text(item) for item in value)
    elif isinstance(value, dict):
        shown = {key: mask_free_text(item) for key, item in value.items()}
    return shown


def unmasked_ids(session: Session, caller: Caller, candidate_ids: Iterable[int]) -> set[int]:
    """Which of these candidates the caller may see unmasked."""
    wanted = set(candidate_ids)
    if not wanted:
        return set()
    if caller.role is Role.admin:
        return wanted
    if caller.role is Role.candidate:
        return wanted & {caller.candidate_id} if caller.candidate_id is not None else set()
    if caller.organization_id is None:
        return set()
    consents = select(
        Consent.candidate_id, case((Consent.withdrawn_at.is_(None), "consent"), else_="withdrawn").label("why")
    ).where(Consent.organization_id == caller.organization_id, Consent.candidate_id.in_(wanted))
    accepted = select(Referral.candidate_id, literal("referral").label("why")).where(
        Referral.accepted_at.is_not(None), Referral.candidate_id.in_(wanted)
    )
    if caller.role is Role.partner:
        accepted = accepted.where(Referral.partner_id == caller.organization_id)
    else:
        accepted = accepted.join(Job, Job.id == Referral.job_id).where(Job.enterprise_id == caller.enterprise_id)
    reasons: dict[int, set[str]] = {}
    for candidate_id, why in session.execute(union_all(consents, accepted)):  # one round trip
        reasons.setdefault(candidate_id, set()).add(why)
    # a withdrawal outweighs an earlier accepted referral
    return {candidate_id for candidate_id, why in reasons.items() if "withdrawn" not in why}


def audit_candidate_views(session: Session, caller: Caller, candidate_ids: Iterable[int], where: str) -> None:
    """Record that `caller` is being shown these candidates unmasked (once each; a candidate's own view is none), in
    the unit of work that shows them: committed before the response goes out, or nothing is shown (a read on SQLite
    holds the entries for right after it, see audit.hold). No second connection, and a read request does not take
    the write lock while it ranks."""
    for candidate_id in sorted(set(candidate_ids)):
        if caller.role is Role.candidate and candidate_id == caller.candidate_id:
            continue
        record(session, caller, "personal_data.view", f"candidate:{candidate_id}", {"where": where})


def grant(session: Session, caller: Caller, organization_id: int, purpose: str = "contact") -> Consent:
    """The calling candidate lets one organization see their name and contact details; `purpose` says what for
    ("contact", or "interest" when they told the organization they are interested in one of its jobs)."""
    assert caller.candidate_id is not None
    if session.get(Organization, organization_id) is None:
        raise NotFound(
            f"organization {organization_id} not found", "organization_not_found", organization=organization_id
        )
    consent = session.scalars(
        select(Consent).where(Consent.candidate_id == caller.candidate_id, Consent.organization_id == organization_id)
    ).first()
    if consent is None:
        consent = Consent(candidate_id=caller.candidate_id, organization_id=organization_id, purpose=purpose)
        session.add(consent)
    elif consent.withdrawn_at is not None:  # given again: for what it is given now
        consent.purpose = purpose
    consent.granted_at, consent.withdrawn_at = utcnow(), None
    detail = {"organization": organization_id, **({"purpose": purpose} if purpose != "contact" else {})}
    record(session, caller, "consent.grant", f"candidate:{caller.candidate_id}", detail)
    session.flush()
    return consent


def withdraw(session: Session, caller: Caller, organization_id: int) -> Organization | None:
    """The calling candidate withdraws a consent (views from then on are masked again). An organization that sees
    them through an accepted referral, without a consent, is masked again the same way: the withdrawal is recorded
    as a withdrawn consent, which outweighs the referral. Returns the organization (None if it is gone)."""
    consent = session.scalars(
        select(Consent).where(Consent.candidate_id == caller.candidate_id, Consent.organization_id == organization_id)
    ).first()
    if consent is None and organization_id in referral_access(session, caller):
        now = utcnow()
        consent = Consent(candidate_id=caller.candidate_id, organization_id=organization_id, purpose="contact")
        consent.granted_at = now
        session.add(consent)
    if consent is None or consent.withdrawn_at is not None:
        raise NotFound(
            f"no consent given to organization {organization_id}", "no_consent_given", organization=organization_id
        )
    consent.withdrawn_at = utcnow()
    record(session, caller, "consent.withdraw", f"candidate:{caller.candidate_id}", {"organization": organization_id})
    return session.get(Organization, organization_id)


def referral_access(session: Session, caller: Caller) -> set[int]:
    """The organizations (partner firms and employers) that see the calling candidate through a referral the
    candidate accepted."""
    accepted = session.execute(
        select(Referral.partner_id, Job.enterprise_id)
        .join(Job, Job.id == Referral.job_id)
        .where(Referral.candidate_id == caller.candidate_id, Referral.accepted_at.is_not(None))
    ).all()
    organizations = {partner_id for partner_id, _ in accepted}
    employers = {enterprise_id for _, enterprise_id in accepted if enterprise_id is not None}
    if employers:
        organizations.update(
            session.scalars(
                select(Organization.id).where(
                    Organization.kind == "enterprise", Organization.enterprise_id.in_(employers)
                )
            )
        )
    return organizations


def candidate_filters(caller: Caller, filters: Filters) -> Filters:
    """The filters a candidate search runs with for `caller`: hidden profiles are left out for everyone but the
    talent office, inside retrieval (so a page of results is full and paging is exact)."""
    return replace(filters, visible_only=caller.role is not Role.admin)


def consents(session: Session, caller: Caller) -> list[tuple[Consent, Organization]]:
    """The consents the calling candidate gave, each with its organization: those in force first, newest first."""
    rows = session.execute(
        select(Consent, Organization)
        .join(Organization, Organization.id == Consent.organization_id)
        .where(Consent.candidate_id == caller.candidate_id)
        .order_by(Consent.withdrawn_at.is_not(None), Consent.granted_at.desc())
    )
    return [(consent, organization) for consent, organization in rows]


def shared_emails(session: Session, caller: Caller, candidate_ids: Iterable[int]) -> dict[int, str | None]:
    """The e-mail address of each of these candidates who shares their details with the caller (the others are
    left out); the views are the caller's to audit, as with every unmasked view."""
    shared = unmasked_ids(session, caller, candidate_ids)
    if not shared:
        return {}
    statement = select(Candidate.id, Candidate.email).where(Candidate.id.in_(shared))
    return {candidate_id: email for candidate_id, email in session.execute(statement)}


class SeenName(NamedTuple):
    """A candidate's name as one caller sees it: masked, or not."""

    name: str
    masked: bool


def names_as_seen(session: Session, caller: Caller, candidate_ids: Iterable[int], where: str) -> dict[int, SeenName]:
    """These candidates' names as the caller may see them: masked, unless the candidate consented to the caller's
    organization or accepted one of its referrals; the unmasked views are audited as seen `where` first
    (audit_candidate_views). Erased candidates are left out."""
    wanted = set(candidate_ids)
    if not wanted:
        return {}
    statement = select(Candidate.id, Candidate.name).where(Candidate.id.in_(wanted))
    rows = {candidate_id: name for candidate_id, name in session.execute(statement)}
    unmasked = unmasked_ids(session, caller, rows)
    audit_candidate_views(session, caller, unmasked, where)
    return {
        candidate_id: SeenName(name, False) if candidate_id in unmasked else SeenName(mask_name(name), True)
        for candidate_id, name in rows.items()
    }
