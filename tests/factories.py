"""Row factories: real rows, made through the store models or the real use cases, with defaults a test overrides only
where it matters.

    person = factories.candidate(session, birth_year=1990)
    firm = factories.partner(session)                      # an account of a partner firm, authenticated by its key
    job = factories.job(session, enterprise=factories.enterprise(session), industry="集成电路")
    factories.referral(session, firm.caller, person, job, stage="hired")

Rows are flushed, not committed: the unit of work that made them commits them (the `session` fixture does, when the
test ends). Every external_id and organization name is fresh, so a test can make as many of each as it needs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel, parse_degree
from matcher.partners import referrals
from matcher.partners.referrals import CLOSED, MOVERS, STAGES
from matcher.people import accounts
from matcher.people.accounts import Caller, Role
from matcher.store.models import (
    Candidate,
    Education,
    Enterprise,
    Experience,
    Job,
    Referral,
    ReferralEvent,
)
from matcher.text import candidate_text, content_hash, job_text
from matcher.tokenize import tokenize

_serial = count(1)

EDUCATION: dict[str, Any] = {
    "school": "University College London",
    "degree": "MSc",
    "major": "遥感科学与技术",
    "major_code": "081202",
    "country": "GB",
    "end_year": 2021,
}
EXPERIENCE: dict[str, Any] = {
    "title": "GNSS Positioning Engineer",
    "organization": "Northbridge Navigation Ltd",
    "description": "RTK and Kalman filtering for receivers",
    "start": "2021-09",
    "end": "",
}


def fresh(prefix: str) -> str:
    """A name or id no other factory call in this process has used."""
    return f"{prefix}-{next(_serial)}"


def candidate(
    session: Session,
    *,
    education: Sequence[dict[str, Any]] | None = None,
    experience: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> Candidate:
    """A candidate with one master's degree (a catalogue major) and one job, unless `education` / `experience` say
    otherwise ([] for none); any column can be given as a keyword."""
    values: dict[str, Any] = {
        "source": "test",
        "external_id": fresh("c"),
        "name": "李明 Li Ming",
        "headline": "GNSS algorithm engineer",
        "skills": ["GNSS", "Kalman filter"],
        "location": "London, UK",
        "email": "li.ming@example.org",
        "birth_year": 1996,
        "record_hash": "",
        **fields,
    }
    row = Candidate(**values)
    degrees = [EDUCATION] if education is None else education
    row.education = [
        Education(position=n, degree_level=parse_degree(e.get("degree", "")), **e) for n, e in enumerate(degrees)
    ]
    jobs = [EXPERIENCE] if experience is None else experience
    row.experience = [Experience(position=n, **x) for n, x in enumerate(jobs)]
    row.highest_degree = int(max((e.degree_level or 0 for e in row.education), default=DegreeLevel.NONE))
    text = candidate_text(row)
    row.text_hash, row.lexical_tokens = content_hash(text), tokenize(text)
    session.add(row)
    session.flush()
    return row


def enterprise(session: Session, **fields: Any) -> Enterprise:
    """An employer's row (as imported); its name is fresh unless given."""
    values: dict[str, Any] = {
        "source": "test",
        "external_id": fresh("e"),
        "name": fresh("测试企业"),
        "industry": "卫星导航",
        "location": "郑州",
        "record_hash": "",
        **fields,
    }
    row = Enterprise(**values)
    session.add(row)
    session.flush()
    return row


def job(session: Session, *, enterprise: Enterprise | None = None, **fields: Any) -> Job:
    """A job posting asking for a master's in a catalogue major (遥感科学与技术), of `enterprise` when given."""
    values: dict[str, Any] = {
        "source": "test",
        "external_id": fresh("j"),
        "title": "北斗导航算法工程师",
        "industry": "卫星导航",
        "enterprise_name": enterprise.name if enterprise else "",
        "enterprise_id": enterprise.id if enterprise else None,
        "majors": ["遥感科学与技术"],
        "major_codes": ["081202"],
        "major_source": "given",
        "min_degree": int(DegreeLevel.MASTER),
        "location": "郑州",
        "salary_min": 20000.0,
        "salary_max": 30000.0,
        "record_hash": "",
        **fields,
    }
    row = Job(**values)
    text = job_text(row)
    row.text_hash, row.lexical_tokens = content_hash(text), tokenize(text)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Member:
    """An account as its key authenticates it: the caller the use cases take, and the key (shown once)."""

    caller: Caller
    key: str


def account(
    session: Session,
    role: Role,
    *,
    name: str | None = None,
    organization: str | None = None,
    candidate_id: int | None = None,
) -> Member:
    """An account made by the real account service, and the caller its key authenticates as."""
    _, key = accounts.create_account(
        session, role, name or fresh(f"{role.value} user"), organization=organization, candidate_id=candidate_id
    )
    caller = accounts.authenticate(session, key)
    assert caller is not None
    return Member(caller, key)


def admin(session: Session) -> Member:
    """A user of the talent office."""
    return account(session, Role.admin)


def partner(session: Session, firm: str | None = None) -> Member:
    """A consultant of partner firm `firm` (a fresh firm unless named: name one twice for two colleagues)."""
    return account(session, Role.partner, organization=firm or fresh("猎头公司 Firm"))


def enterprise_account(session: Session, employer: Enterprise | None = None) -> Member:
    """An HR user of `employer` (its row adopts the account's organization), or of a fresh enterprise."""
    return account(session, Role.enterprise, organization=employer.name if employer else fresh("企业 Employer"))


def candidate_account(session: Session, person: Candidate | None = None) -> Member:
    """The account of `person` (or of a fresh candidate)."""
    person = person or candidate(session)
    return account(session, Role.candidate, name=person.name or "candidate", candidate_id=person.id)


def referral(
    session: Session,
    partner: Caller,
    person: Candidate,
    posting: Job,
    *,
    stage: str = STAGES[0],
    office: Caller | None = None,
    tier: str = "C",
    reward: int = 0,
    hired_after_days: float | None = None,
) -> Referral:
    """`partner` refers `person` to `posting` through the real use case, and the referral is moved on to `stage`
    (or declined, for `declined`): the hiring stages by the partner, `certified` (with `tier` and `reward`) and
    `rewarded` by `office` (a new office account unless given). With `hired_after_days`, the referral is backdated
    so that its hire came that many days after it."""
    made = referrals.refer(session, partner, person.id, posting.id, window_days=180)
    steps = [CLOSED] if stage == CLOSED else list(STAGES[1 : STAGES.index(stage) + 1])
    for step in steps:
        mover = partner if partner.role in MOVERS[step] else (office := office or admin(session).caller)
        certified = step == "certified"
        referrals.move(
            session, mover, made.id, step, tier=tier if certified else None, reward=reward if certified else 0
        )
    if hired_after_days is not None:
        events = session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == made.id)).all()
        hired = next(e.at for e in events if e.stage == "hired")
        start = hired - timedelta(days=hired_after_days)
        made.created_at = start
        for event in events:
            if event.stage == STAGES[0]:
                event.at = start
    session.flush()
    return made
