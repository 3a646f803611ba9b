"""The office's feedback inbox searched and paged (issue 16, "Missing" 3): a search matches the message, the answer
and the policy (its key, or its name in either language), ignoring case, with `%` and `_` taken literally; pages
come newest first with the total of what matches, on SQLite and PostgreSQL alike."""

import pytest
from sqlalchemy.orm import Session

from matcher.errors import Invalid
from matcher.office import feedback
from matcher.platform import Platform
from tests import factories


@pytest.fixture
def filed(session: Session) -> dict[str, int]:
    office = factories.admin(session).caller
    person = factories.candidate_account(session).caller
    firm = factories.partner(session).caller
    referral = factories.referral(session, firm, factories.candidate(session), factories.job(session))

    def policy(message: str, key: str = "living_subsidy") -> int:
        return feedback.file_feedback(session, person, message, policy_key=key).id

    ids = {
        "visa": policy("When is the VISA letter sent?", "settling_subsidy"),
        "percent": policy("Is 100% of the subsidy paid at once?"),
        "answered": policy("生活补贴什么时候发放？"),
        "referral": feedback.file_feedback(session, firm, "面试安排 under_review", referral_id=referral.id).id,
    }
    feedback.answer(session, office, ids["answered"], "Paid with the Visa stamp in MARCH.")
    return ids


def _found(session: Session, search: str, **paging: int) -> tuple[list[int], int]:
    office = factories.admin(session).caller
    page = feedback.inbox(session, office, search=search, **paging)
    return [row.id for row in page.rows], page.total


def test_a_search_matches_message_answer_and_policy_ignoring_case(session: Session, filed: dict[str, int]) -> None:
    assert _found(session, "visa") == ([filed["answered"], filed["visa"]], 2)  # the answer, and a message
    assert _found(session, "march") == ([filed["answered"]], 1)
    assert _found(session, "发放") == ([filed["answered"]], 1)
    assert _found(session, "SETTLING_sub") == ([filed["visa"]], 1)  # the policy key
    assert _found(session, "  100%  ") == ([filed["percent"]], 1)  # trimmed; % is a percent sign
    assert _found(session, "0%") == ([filed["percent"]], 1)
    assert _found(session, "a%e") == ([], 0)  # a percent sign, not any characters
    assert _found(session, "t_e") == ([], 0)  # an underscore, not any character ("letter", "the")
    assert _found(session, "under_review") == ([filed["referral"]], 1)
    assert _found(session, "nothing like it") == ([], 0)


def test_a_search_matches_a_policy_by_its_name(session: Session, platform: Platform, filed: dict[str, int]) -> None:
    office = factories.admin(session).caller
    names = feedback.inbox(session, office).policy_names
    zh, en = names["settling_subsidy"]
    for name in (zh, en.upper()):
        rows = feedback.inbox(session, office, search=name).rows
        assert filed["visa"] in [row.id for row in rows], name


def test_pages_come_newest_first_with_the_total(session: Session, filed: dict[str, int]) -> None:
    newest_first = sorted(filed.values(), reverse=True)
    assert _found(session, "", offset=0, page_size=3) == (newest_first[:3], 4)
    assert _found(session, "", offset=3, page_size=3) == (newest_first[3:], 4)
    assert _found(session, "", offset=8, page_size=3) == ([], 4)
    office = factories.admin(session).caller
    answered = feedback.inbox(session, office, "answered", search="visa")
    assert ([row.id for row in answered.rows], answered.total) == ([filed["answered"]], 1)
    with pytest.raises(Invalid) as too_long:
        feedback.inbox(session, office, search="x" * (feedback.MAX_SEARCH + 1))
    assert too_long.value.reason == "query_too_long"
    with pytest.raises(Invalid):
        feedback.inbox(session, office, offset=-1)


def test_an_author_searches_only_their_own(session: Session, filed: dict[str, int]) -> None:
    stranger = factories.candidate_account(session).caller
    assert feedback.inbox(session, stranger, search="visa").total == 0
