"""The feedback channel (监督反馈): candidates, enterprises and partners raise something about a referral they may
see or about a policy of the catalogue; the office answers and closes it.

A piece of feedback moves open → answered → closed (the office may also close an open one without answering).
Authors see their own; the office sees all. Every action is audited, without the message itself.
"""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.office import policies
from matcher.partners import referrals
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.store.models import Feedback, Job, Referral, utcnow

STATUSES = ("open", "answered", "closed")
TOPICS = ("referral", "policy")
AUTHORS = frozenset({Role.candidate, Role.enterprise, Role.partner})
MAX_TEXT = 5000
MAX_SEARCH = 200  # characters of a search of the inbox


def _text(value: str, what: str) -> str:
    """`value` stripped (and without NUL, which PostgreSQL text cannot hold), or Invalid when it is empty or longer
    than MAX_TEXT characters."""
    value = value.replace("\x00", "").strip()
    if not 1 <= len(value) <= MAX_TEXT:
        raise Invalid(f"{what} must be 1 to {MAX_TEXT} characters long", "text_length", limit=MAX_TEXT)
    return value


def _policy_key(key: str, catalogue: Path | None) -> str:
    """`key` if the policy catalogue has it, else NotFound naming the known keys (as an unknown referral is)."""
    known = [p.key for p in policies.load_catalogue(catalogue)[0].policies]
    if key not in known:
        raise NotFound(f"unknown policy {key!r}: one of {', '.join(known)}", "unknown_policy", policy=key)
    return key


def file_feedback(
    session: Session,
    caller: Caller,
    message: str,
    *,
    referral_id: int | None = None,
    policy_key: str | None = None,
    catalogue: Path | None = None,
) -> Feedback:
    """A candidate, enterprise or partner raises something about one referral they may see, or one policy."""
    if caller.role not in AUTHORS:
        raise Forbidden(f"a {caller.role.value} cannot file feedback; the office answers it", "office_answers")
    if (referral_id is None) == (policy_key is None):
        raise Invalid(
            "feedback is about one referral (referral_id) or one policy (policy_key): give exactly one",
            "feedback_subject",
        )
    text = _text(message, "a message")
    if referral_id is not None:
        referrals.get_referral(session, caller, referral_id)  # NotFound unless the caller may see it
    else:
        policy_key = _policy_key(policy_key or "", catalogue)
    row = Feedback(
        account_id=caller.account_id,
        author_role=caller.role.value,
        topic="referral" if referral_id is not None else "policy",
        referral_id=referral_id,
        policy_key=policy_key,
        message=text,
        status="open",
        answer="",
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record(session, caller, "feedback.create", f"feedback:{row.id}", {"referral": referral_id, "policy": policy_key})
    return row


def get_feedback(session: Session, caller: Caller, feedback_id: int) -> Feedback:
    """One piece of feedback: the office sees all, an author only their own (NotFound otherwise)."""
    row = session.get(Feedback, feedback_id)
    if row is None or (caller.role is not Role.admin and row.account_id != caller.account_id):
        raise NotFound(f"feedback {feedback_id} not found", "feedback_not_found", feedback=feedback_id)
    return row


def _visible(caller: Caller, status: str | None) -> Select[Feedback]:
    """The feedback the caller may see (the office all, an author their own), optionally of one status."""
    statement = select(Feedback)
    if caller.role is not Role.admin:
        statement = statement.where(Feedback.account_id == caller.account_id)
    if status is not None:
        if status not in STATUSES:
            raise Invalid(f"unknown status {status!r}: one of {', '.join(STATUSES)}", "unknown_status", status=status)
        statement = statement.where(Feedback.status == status)
    return statement


def list_feedback(session: Session, caller: Caller, status: str | None = None) -> list[Feedback]:
    """The feedback the caller may see, newest first (optionally of one status)."""
    return list(session.scalars(_visible(caller, status).order_by(Feedback.id.desc()).limit(1000)))


@dataclass
class Inbox:
    """A page of feedback as the office's inbox lists it: the rows, newest first, of `total` that match; for those
    about a referral, the referral's stage and its job's title; every policy's name in Chinese and English."""

    rows: list[Feedback]
    about: dict[int, tuple[str, str]]
    policy_names: dict[str, tuple[str, str]]
    total: int = 0


def _matching(statement: Select[Feedback], search: str, names: dict[str, tuple[str, str]]) -> Select[Feedback]:
    """`statement` narrowed to feedback whose message, answer or policy key holds `search`, ignoring case (on
    SQLite, of ASCII letters; on PostgreSQL, of every letter); a policy named so (in Chinese or English) counts as
    its key. `%` and `_` are matched as themselves."""
    named = [key for key, (zh, en) in names.items() if search.casefold() in f"{zh}\n{en}".casefold()]
    return statement.where(
        or_(
            Feedback.message.icontains(search, autoescape=True),
            Feedback.answer.icontains(search, autoescape=True),
            Feedback.policy_key.icontains(search, autoescape=True),
            Feedback.policy_key.in_(named),
        )
    )


def inbox(
    session: Session,
    caller: Caller,
    status: str | None = None,
    catalogue: Path | None = None,
    *,
    search: str = "",
    offset: int = 0,
    page_size: int = 1000,
) -> Inbox:
    """The feedback the caller may see (optionally of one status, and holding `search`), newest first, `page_size`
    of them from `offset`, with what each is about (`catalogue`: the policy catalogue, default the packaged one)."""
    if offset < 0 or page_size < 1:
        raise Invalid(f"no page at offset {offset} of {page_size}", "bad_page")
    names = {p.key: (p.name_zh, p.name_en) for p in policies.load_catalogue(catalogue)[0].policies}
    statement = _visible(caller, status)
    search = search.replace("\x00", "").strip()
    if len(search) > MAX_SEARCH:
        raise Invalid(f"a search can be at most {MAX_SEARCH} characters", "query_too_long", limit=MAX_SEARCH)
    if search:
        statement = _matching(statement, search, names)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = list(session.scalars(statement.order_by(Feedback.id.desc()).offset(offset).limit(page_size)))
    referral_ids = {row.referral_id for row in rows if row.referral_id is not None}
    about: dict[int, tuple[str, str]] = {}
    if referral_ids:
        statement_about = (
            select(Referral.id, Referral.stage, Job.title)
            .join(Job, Job.id == Referral.job_id)
            .where(Referral.id.in_(referral_ids))
        )
        about = {referral_id: (stage, title) for referral_id, stage, title in session.execute(statement_about)}
    return Inbox(rows, about, names, total)


def _office(caller: Caller, action: str) -> None:
    if caller.role is not Role.admin:
        raise Forbidden(f"only the talent office may {action} feedback", "office_only")


def answer(session: Session, caller: Caller, feedback_id: int, text: str) -> Feedback:
    """The office answers open feedback (Conflict once it is answered or closed)."""
    _office(caller, "answer")
    row = get_feedback(session, caller, feedback_id)
    if row.status != "open":
        raise Conflict(
            f"feedback {feedback_id} is already {row.status}; only open feedback can be answered",
            "feedback_not_open",
            feedback=feedback_id,
            status=row.status,
        )
    row.answer, row.status = _text(text, "an answer"), "answered"
    row.answered_by, row.answered_at = caller.account_id, utcnow()
    record(session, caller, "feedback.answer", f"feedback:{row.id}")
    return row


def close(session: Session, caller: Caller, feedback_id: int) -> Feedback:
    """The office closes open or answered feedback (Conflict when it is closed already)."""
    _office(caller, "close")
    row = get_feedback(session, caller, feedback_id)
    if row.status == "closed":
        raise Conflict(f"feedback {feedback_id} is already closed", "feedback_closed", feedback=feedback_id)
    previous = row.status
    row.status, row.closed_at = "closed", utcnow()
    record(session, caller, "feedback.close", f"feedback:{row.id}", {"from": previous})
    return row
