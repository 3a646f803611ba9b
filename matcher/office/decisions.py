"""The talent office's decisions on stored candidates: certification against the published criteria, the
policies that follow, the reward a certified hire earns the partner who referred it, and certifying a hired
referral with both.

This joins the pure rules (certification.py, policies.py, universities.py) to the store: a candidate row becomes
an Applicant, and the priority-major list is the latest saved snapshot made with the current configuration, or
the list computed now when there is none.
"""

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.config import Settings
from matcher.errors import Conflict, Forbidden, NotFound
from matcher.office import certification, policies, priority
from matcher.office.certification import Applicant, CertificationConfig, Decision, Education, Override
from matcher.office.policies import Entitlement
from matcher.partners import referrals
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.reference import leading_industries
from matcher.reference.universities import default_resolver
from matcher.store import queries
from matcher.store.models import Candidate, PrioritySnapshot, Referral, TierOverride, utcnow

MONTHS = 12


def _months(value: str) -> int | None:
    """'2021' or '2021-06' as a month count; None when empty or unreadable."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
    except ValueError:
        return None
    return year * MONTHS + month - 1


def years_of_experience(candidate: Candidate, as_of: date) -> float:
    """Work experience in years: the sum of the stated periods (a current one runs to `as_of`)."""
    now = as_of.year * MONTHS + as_of.month - 1
    total = 0
    for job in candidate.experience:
        start = _months(job.start) if job.start else None
        end = _months(job.end) if job.end else now
        if start is not None and end is not None and end >= start:
            total += end - start
    return round(total / MONTHS, 1)


def applicant_of(candidate: Candidate, as_of: date) -> Applicant:
    return Applicant(
        birth_year=candidate.birth_year,
        education=[
            Education(e.school, e.degree_level or 0, e.major_code, e.end_year, e.country) for e in candidate.education
        ],
        years_of_experience=years_of_experience(candidate, as_of),
    )


def priority_stars(session: Session, settings: Settings, as_of: date) -> dict[str, int]:
    """Catalogue code -> stars on the priority-major list in force: the latest snapshot of the configuration in
    use, or the list computed now."""
    config, config_hash = leading_industries.load_config(settings.priority_config)
    snapshot = session.scalars(
        select(PrioritySnapshot)
        .where(PrioritySnapshot.config_hash == config_hash, PrioritySnapshot.as_of <= as_of)
        .order_by(PrioritySnapshot.as_of.desc())
        .options(selectinload(PrioritySnapshot.entries))
    ).first()
    if snapshot is not None:
        return {entry.major_code: entry.stars for entry in snapshot.entries}
    computed = priority.computed_priority(session, config, config_hash, as_of)
    return {entry.code: entry.stars for entry in computed.entries}


def tier_override(session: Session, candidate_id: int) -> TierOverride | None:
    """The tier the office set for a candidate (matcher.office.overrides), if it set one: on this record or on
    another record of the same person (matcher.identity.linking), the latest when several were set before the
    records were linked. Setting it again edits that one; an unlink leaves it with the record it was set on."""
    records = queries.same_person_ids(session=session, candidate_id=candidate_id)
    return session.scalars(
        select(TierOverride)
        .where(TierOverride.candidate_id.in_(records))
        .order_by(TierOverride.set_at.desc(), TierOverride.id.desc())
    ).first()


def overridden(decision: Decision, row: TierOverride, config: CertificationConfig) -> Decision:
    """`decision` with the tier the office set in its place, the criteria's own tier kept in `override` (the
    criteria are still shown as checked). A tier the criteria no longer name leaves the decision as they give it."""
    tiers = {tier.tier: tier for tier in config.tiers}
    if row.tier is not None and row.tier not in tiers:
        return decision
    chosen = tiers.get(row.tier) if row.tier is not None else None
    return replace(
        decision,
        tier=row.tier,
        tier_name_zh=chosen.name_zh if chosen else None,
        tier_name_en=chosen.name_en if chosen else None,
        override=Override(decision.tier, decision.tier_name_zh, decision.tier_name_en, row.reason, row.set_at),
    )


@dataclass
class Assessment:
    candidate_id: int
    decision: Decision
    policies: list[Entitlement]
    criteria_version: str  # hash of the certification file used
    catalogue_version: str  # hash of the policy catalogue used
    criteria_names: tuple[str, str] = ("", "")  # the criteria's name in Chinese and English, as people read it
    catalogue_names: tuple[str, str] = ("", "")  # the policy catalogue's


class Assessor:
    """Decides for the candidates of one day: the criteria, the policy catalogue and the priority-major list are
    read once, not once a candidate (the list is computed anew when no snapshot is saved)."""

    def __init__(self, session: Session, settings: Settings, as_of: date) -> None:
        self.session, self.settings, self.as_of = session, settings, as_of

    @cached_property
    def criteria(self) -> tuple[certification.CertificationConfig, str]:
        return certification.load_config(self.settings.certification_config)

    @cached_property
    def catalogue(self) -> tuple[policies.PolicyConfig, str]:
        return policies.load_catalogue(self.settings.policy_catalogue)

    @cached_property
    def stars(self) -> dict[str, int]:
        return priority_stars(self.session, self.settings, self.as_of)

    def assess(self, candidate: Candidate) -> Assessment:
        """One candidate (loaded with education and experience) certified — with the tier the office set, when it
        set one — and every policy checked against that tier."""
        applicant = applicant_of(candidate, self.as_of)
        (criteria, criteria_version), (catalogue, catalogue_version) = self.criteria, self.catalogue
        decision = certification.certify(applicant, criteria, self.stars, self.as_of, default_resolver())
        office = tier_override(self.session, candidate.id)
        if office is not None:
            decision = overridden(decision, office, criteria)
        entitlements = policies.assess_policies(decision, applicant, catalogue, self.as_of)
        return Assessment(
            candidate.id,
            decision,
            entitlements,
            criteria_version,
            catalogue_version,
            (criteria.name_zh or criteria.name, criteria.name),
            (catalogue.name_zh or catalogue.name, catalogue.name),
        )

    def reward(self, decision: Decision) -> int:
        """What a partner is owed for a hire certified so (the catalogue's partner_rewards by tier)."""
        return policies.reward_for_tier(decision.tier, self.catalogue[0])


def assess(session: Session, settings: Settings, candidate_id: int, as_of: date) -> Assessment:
    """Certify one stored candidate and check every policy against the decision, with reasons."""
    candidate = session.scalars(
        select(Candidate)
        .where(Candidate.id == candidate_id)
        .options(selectinload(Candidate.education), selectinload(Candidate.experience))
    ).first()
    if candidate is None:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    return Assessor(session, settings, as_of).assess(candidate)


def assess_for(session: Session, settings: Settings, caller: Caller, candidate_id: int, as_of: date) -> Assessment:
    """`assess`, for a caller who may see the result: a candidate their own; a partner firm those of candidates who
    consented to it (a decision shows age and schools), the view audited like any of personal data (with `session`'s
    unit of work); the office all. NotFound for another candidate, Forbidden otherwise."""
    if caller.role is Role.candidate and caller.candidate_id != candidate_id:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    if caller.role is Role.enterprise:
        raise Forbidden("enterprises do not see certification decisions", "certification_hidden")
    if caller.role is Role.partner:
        if candidate_id not in privacy.unmasked_ids(session, caller, [candidate_id]):
            raise Forbidden("the candidate has not consented to your firm seeing their certification", "no_consent")
        privacy.audit_candidate_views(session, caller, [candidate_id], "certification")
    return assess(session, settings, candidate_id, as_of)


def reward_for(decision: Decision, settings: Settings) -> int:
    """What a partner is owed for a certified hire of this tier (the policy catalogue's partner_rewards)."""
    catalogue, _ = policies.load_catalogue(settings.policy_catalogue)
    return policies.reward_for_tier(decision.tier, catalogue)


class NotCertifiable(Conflict):
    """A referral cannot be certified: its candidate meets no certification tier (`decision` says which criteria
    they miss)."""

    def __init__(self, referral_id: int, decision: Decision) -> None:
        why = "; ".join(decision.not_reached[:1]) or decision.rule
        super().__init__(f"the candidate meets no certification tier ({why})")
        self.referral_id, self.decision = referral_id, decision


@dataclass
class Certified:
    """A referral certified: it now carries the tier and the reward; `decision` is what the criteria decided."""

    referral: Referral
    decision: Decision


def certify_referral(
    session: Session, settings: Settings, caller: Caller, referral_id: int, as_of: date | None = None
) -> Certified:
    """The office certifies a hired referral with the tier its candidate meets `as_of` (default: today) and the reward
    that tier earns the partner. NotFound for a referral the caller may not see, Forbidden for anyone but the office,
    NotCertifiable when the candidate meets no tier, Conflict when the referral is not at `hired`."""
    referral = referrals.get_referral(session, caller, referral_id)
    referrals.check_mover(caller, "certified")
    decision = assess(session, settings, referral.candidate_id, as_of or utcnow().date()).decision
    if decision.tier is None:
        raise NotCertifiable(referral_id, decision)
    reward = reward_for(decision, settings)
    moved = referrals.move(session, caller, referral_id, "certified", tier=decision.tier, reward=reward)
    return Certified(moved, decision)


def move_referral(
    session: Session, settings: Settings, caller: Caller, referral_id: int, stage: str, as_of: date | None = None
) -> Referral:
    """Move a referral one stage on (or close it), as referrals.move does; into `certified` it is certified with
    the tier and reward the criteria give (certify_referral)."""
    if stage == "certified":
        return certify_referral(session, settings, caller, referral_id, as_of).referral
    return referrals.move(session, caller, referral_id, stage)
