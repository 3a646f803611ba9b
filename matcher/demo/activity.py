"""Synthetic activity on the demo data, so that every console page has something to show after `make run`: two
partner firms' referrals at every stage (some waiting for certification), saved searches and shortlists, contact
requests, feedback, and birth years for the demo candidates (the certification criteria have an age limit).

All of it is made through the same services as real use, from a fixed seed, on records labelled synthetic-demo.
It runs once, when the demo accounts are made.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matcher.errors import TalentError
from matcher.office import decisions as talent_office
from matcher.office import feedback
from matcher.partners import contact_requests, referrals
from matcher.partners import tools as partner_tools
from matcher.people import accounts
from matcher.people.accounts import Caller, Role
from matcher.platform import Platform
from matcher.search.matching import Filters
from matcher.store.models import Candidate, Education, Job, Referral, ReferralEvent, utcnow

SOURCE = "synthetic-demo"
SECOND_FIRM = "Demo Partner Firm B (synthetic)"
# Years from birth to the end of each degree, by level (bachelor, master, doctorate).
AGE_AT_DEGREE = {2: 22, 3: 25, 4: 29}
# The stage each referral is taken to, in turn: most stay early, some are hired and wait for the office.
TARGETS = ("referred", "contacted", "interviewing", "hired", "offered", "hired", "certified", "declined", "rewarded")


@dataclass
class ActivityReport:
    birth_years: int = 0
    referrals: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    saved_searches: int = 0
    shortlisted: int = 0
    contact_requests: int = 0
    feedback: int = 0


def _birth_years(session: Session, rng: random.Random) -> int:
    """A plausible birth year for each demo candidate without one: the end of their highest degree less the usual
    age at that degree, give or take a year."""
    rows = session.execute(
        select(Candidate.id, Candidate.highest_degree, Education.end_year)
        .join(Education, Education.candidate_id == Candidate.id)
        .where(Candidate.source == SOURCE, Candidate.birth_year.is_(None), Education.end_year.is_not(None))
        .order_by(Candidate.id, Education.end_year)
    ).all()
    latest: dict[int, tuple[int, int]] = {candidate_id: (level, end) for candidate_id, level, end in rows if end}
    for candidate_id, (level, end_year) in latest.items():
        year = end_year - AGE_AT_DEGREE.get(level, 22) + rng.choice((-1, 0, 0, 1))
        session.execute(update(Candidate).where(Candidate.id == candidate_id).values(birth_year=year))
    return len(latest)


def _move_to(
    session: Session, platform: Platform, referral: Referral, target: str, mover: Caller, office: Caller
) -> None:
    """Take a referral step by step to `target` (certification needs a tier: a candidate without one stays hired)."""
    if target == referrals.CLOSED:
        referrals.move(session, mover, referral.id, target)
        return
    for stage in referrals.STAGES[1 : referrals.STAGES.index(target) + 1]:
        if stage == "certified":
            try:
                talent_office.certify_referral(session, platform.settings, office, referral.id)
            except talent_office.NotCertifiable:
                return
        else:
            referrals.move(session, office if stage == "rewarded" else mover, referral.id, stage)


def _backdate(session: Session, referral: Referral, rng: random.Random) -> None:
    """Spread a referral's history over past weeks (ending before today), so that time-to-hire and days-in-stage
    mean something."""
    events = list(session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)))
    gaps = [timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 23)) for _ in events]
    at = utcnow() - sum(gaps, timedelta()) - timedelta(days=rng.randint(1, 20))
    referral.created_at = at
    for event, gap in zip(events, gaps, strict=True):
        event.at = at
        at += gap
    referral.updated_at = events[-1].at if events else at


def seed_activity(platform: Platform, keys: dict[str, str], seed: int = 2026) -> ActivityReport:
    """Referrals, searches, shortlists, requests and feedback by the demo accounts (`keys`: role → API key)."""
    rng = random.Random(seed)
    report = ActivityReport()
    with platform.session(write=True) as session:
        report.birth_years = _birth_years(session, rng)
    with platform.session(write=True) as session:
        callers = {role: accounts.authenticate(session, key) for role, key in keys.items()}
        partner, enterprise, office, candidate = (callers[r] for r in ("partner", "enterprise", "admin", "candidate"))
        assert partner and enterprise and office and candidate
        _, second_key = accounts.create_account(
            session, Role.partner, "Demo consultant B (synthetic)", organization=SECOND_FIRM
        )
        second = accounts.authenticate(session, second_key)
        assert second is not None
        engine = platform.matching(session)
        own = list(
            session.scalars(select(Job.id).where(Job.enterprise_id == enterprise.enterprise_id).order_by(Job.id))
        )
        others = session.scalars(select(Job.id).where(Job.source == SOURCE).order_by(Job.id)).all()
        job_ids = own[:3] + list(others[7::41][:10])
        made: list[Referral] = []
        for number, job_id in enumerate(dict.fromkeys(job_ids)):
            matches = engine.match_job(session, job_id, Filters.parse(None, None, None), 4)
            for place, match in enumerate(matches[:3]):
                firm = second if place == 2 else partner
                try:
                    with session.begin_nested():
                        referral = referrals.refer(
                            session,
                            firm,
                            match.id,
                            job_id,
                            note="synthetic demo referral",
                            window_days=platform.settings.attribution_days,
                        )
                        _move_to(session, platform, referral, TARGETS[(number + place) % len(TARGETS)], firm, office)
                        made.append(referral)
                except TalentError:
                    continue  # owned by the other firm already, or a stage the candidate cannot reach
            if len(matches) > 3:
                try:
                    with session.begin_nested():
                        partner_tools.shortlist(session, partner, job_id, matches[3].id, "synthetic demo shortlist")
                        report.shortlisted += 1
                except TalentError:
                    pass
        best = engine.match_candidate(session, candidate.candidate_id or 0, Filters.parse(None, None, None), 3)
        for match in best:  # the demo candidate gets a referral to see in their portal
            try:
                with session.begin_nested():
                    made.append(
                        referrals.refer(
                            session,
                            partner,
                            candidate.candidate_id or 0,
                            match.id,
                            note="synthetic demo referral",
                            window_days=platform.settings.attribution_days,
                        )
                    )
                break
            except TalentError:
                continue
        for referral in made:
            _backdate(session, referral, rng)
            report.by_stage[referral.stage] = report.by_stage.get(referral.stage, 0) + 1
        report.referrals = len(made)
        for name, query, filters in (
            ("嵌入式软件 · 郑州", "嵌入式软件 RTOS", {"location": "郑州"}),
            ("Battery management (master+)", "battery management systems", {"min_degree": "master"}),
        ):
            partner_tools.save_search(session, partner, name, query, filters)
            report.saved_searches += 1
        own_first = next(iter(job_ids), None)
        asked = {r.candidate_id for r in made}
        for candidate_id in [candidate.candidate_id or 0, *sorted(asked)[:2]]:
            try:
                with session.begin_nested():
                    contact_requests.request_contact(
                        session,
                        enterprise,
                        candidate_id,
                        own_first if own_first in own else None,
                        "您好，我们对您的背景很感兴趣，希望与您进一步沟通。(synthetic demo)",
                    )
                    report.contact_requests += 1
            except TalentError:
                continue
        catalogue = platform.settings.policy_catalogue
        feedback.file_feedback(
            session,
            candidate,
            "生活补贴按月发放还是一次性发放？(synthetic demo)",
            policy_key="living_subsidy",
            catalogue=catalogue,
        )
        report.feedback += 1
        if made:
            feedback.file_feedback(
                session,
                partner,
                "该候选人已确认入职，请尽快安排人才认定。(synthetic demo)",
                referral_id=made[0].id,
                catalogue=catalogue,
            )
            report.feedback += 1
    return report
