"""The office overrides a certification tier (人才认定层次调整): it sets a candidate's tier other than the published
criteria give — another tier of the criteria, or none — with its reason, and may remove the override again.

The override counts wherever the tier does (matcher.office.decisions applies it: the policies granted, the reward a
hire certified afterwards earns its partner); the criteria are still checked and shown. A referral certified before
keeps the tier and reward it was certified with. Setting and removing are audited on `candidate:ID`
(`certification.override`, with the tier the criteria give, the tier chosen and the reason;
`certification.override_removed`).
"""

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.office import certification, decisions
from matcher.office.decisions import Assessment
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.store.models import TierOverride, utcnow

MAX_REASON = 500


def _office(caller: Caller) -> None:
    if caller.role is not Role.admin:
        raise Forbidden("only the talent office sets a certification tier", "office_sets_tiers")


def _reason(text: str) -> str:
    """`text` with its spaces squeezed (and without NUL), or Invalid unless it is 1 to MAX_REASON characters."""
    reason = " ".join(text.replace("\x00", "").split())
    if not 1 <= len(reason) <= MAX_REASON:
        raise Invalid(f"give the reason for overriding the tier (1 to {MAX_REASON} characters)", "tier_override_reason")
    return reason


def set_tier(
    session: Session,
    settings: Settings,
    caller: Caller,
    candidate_id: int,
    tier: str | None,
    reason: str,
    as_of: date,
) -> Assessment:
    """The office sets `candidate_id`'s tier to `tier` (a tier of the criteria, or None for no tier) instead of the
    one the criteria give `as_of`, for `reason` (1–500 characters); setting it again replaces the override. Invalid
    for a missing reason, NotFound for a tier the criteria do not name or an unknown candidate, Conflict for the tier
    the criteria give anyway.
    Returns the candidate's assessment with the override applied."""
    _office(caller)
    reason = _reason(reason)
    tiers = [t.tier for t in certification.load_config(settings.certification_config)[0].tiers]
    if tier is not None and tier not in tiers:
        raise NotFound(f"unknown tier {tier!r}: one of {', '.join(tiers)}, or none", "unknown_tier", tier=tier)
    decision = decisions.assess(session, settings, candidate_id, as_of).decision  # NotFound for an unknown id
    computed = decision.override.computed_tier if decision.override else decision.tier
    if tier == computed:
        raise Conflict(
            f"the criteria give tier {tier or 'none'} already: remove the override instead",
            "tier_override_same",
            tier=tier or "—",
        )
    row = decisions.tier_override(session, candidate_id)
    previous = row.tier if row is not None else computed
    try:
        with session.begin_nested():  # two offices overriding a candidate at once: one row, the other told
            if row is None:
                row = TierOverride(candidate_id=candidate_id)
                session.add(row)
            row.tier, row.computed_tier, row.reason = tier, computed, reason
            row.set_by, row.set_at = caller.account_id, utcnow()
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"the tier of candidate {candidate_id} was set by someone else a moment ago: reload and try again",
            "tier_override_race",
            candidate=candidate_id,
        ) from None
    record(
        session,
        caller,
        "certification.override",
        f"candidate:{candidate_id}",
        {"computed": computed, "tier": tier, "previous": previous, "reason": reason},
    )
    return decisions.assess(session, settings, candidate_id, as_of)


def remove_tier(session: Session, settings: Settings, caller: Caller, candidate_id: int, as_of: date) -> Assessment:
    """The office removes its override: the criteria decide `candidate_id`'s tier again. NotFound when the office
    has set none. Returns the candidate's assessment."""
    _office(caller)
    row = decisions.tier_override(session, candidate_id)
    if row is None:
        raise NotFound(
            f"the office has not set the tier of candidate {candidate_id}", "no_tier_override", candidate=candidate_id
        )
    removed = row.tier
    session.delete(row)
    session.flush()
    record(session, caller, "certification.override_removed", f"candidate:{candidate_id}", {"tier": removed})
    return decisions.assess(session, settings, candidate_id, as_of)
