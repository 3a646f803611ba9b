"""A mistaken stage move is corrected (issue 16, point 3): back to an earlier stage, or a declined referral reopened
at a stage it had reached, with a reason; recorded as a move and audited with the stage it left. The office's stages
(certified, rewarded) are not the hiring side's to correct."""

import pytest
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Forbidden, Invalid
from matcher.partners import referrals
from matcher.people import audit
from tests import factories


def _referral_at(session: Session, stage: str):  # type: ignore[no-untyped-def]
    firm = factories.partner(session).caller
    referral = factories.referral(session, firm, factories.candidate(session), factories.job(session))
    for step in referrals.STAGES[1 : referrals.STAGES.index(stage) + 1]:
        referrals.move(session, firm, referral.id, step)
    return firm, referral


def test_a_stage_moved_too_far_is_put_back_with_the_reason_and_audited(session: Session) -> None:
    firm, referral = _referral_at(session, "offered")
    corrected = referrals.correct(session, firm, referral.id, "contacted", "  点错了：还没有面试  ")
    assert corrected.stage == "contacted" and corrected.events[-1].stage == "contacted"
    entry = [e for e in audit.entries(session, subject=f"referral:{referral.id}") if e.action == "referral.correct"]
    assert len(entry) == 1 and entry[0].detail == {"from": "offered", "to": "contacted", "reason": "点错了：还没有面试"}
    referrals.move(session, firm, referral.id, "interviewing")  # and it moves on from there as before
    assert referral.stage == "interviewing"


def test_a_declined_referral_is_reopened_at_a_stage_it_had_reached(session: Session) -> None:
    firm, referral = _referral_at(session, "interviewing")
    referrals.move(session, firm, referral.id, referrals.CLOSED)
    with pytest.raises(Conflict) as beyond:
        referrals.correct(session, firm, referral.id, "offered", "reopened")
    assert beyond.value.reason == "stage_not_back"
    assert referrals.correct(session, firm, referral.id, "interviewing", "the employer changed its mind").stage == (
        "interviewing"
    )


@pytest.mark.parametrize(
    ("stage", "target", "reason", "error", "code"),
    [
        ("contacted", "contacted", "same stage", Conflict, "stage_not_back"),
        ("contacted", "offered", "forward is a move, not a correction", Conflict, "stage_not_back"),
        ("offered", "contacted", "   ", Invalid, "correction_reason"),
        ("offered", "contacted", "x" * 501, Invalid, "correction_reason"),
        ("offered", referrals.CLOSED, "declining is a move", Invalid, "unknown_stage"),
        ("offered", "certified", "the office's, and forward", Conflict, "stage_not_back"),
    ],
)
def test_what_a_correction_refuses(  # type: ignore[no-untyped-def]
    session: Session, stage: str, target: str, reason: str, error, code: str
) -> None:
    firm, referral = _referral_at(session, stage)
    with pytest.raises(error) as refused:
        referrals.correct(session, firm, referral.id, target, reason)
    assert refused.value.reason == code and referral.stage == stage


def test_the_office_s_stages_are_not_corrected_by_the_hiring_side(session: Session) -> None:
    firm, referral = _referral_at(session, "hired")
    office = factories.admin(session).caller
    referrals.move(session, office, referral.id, "certified", tier="B", reward=100_000)
    with pytest.raises(Conflict) as refused:
        referrals.correct(session, firm, referral.id, "offered", "too late")
    assert refused.value.reason == "stage_correction_past_hired" and referral.stage == "certified"


def test_back_to_referred_and_only_by_the_hiring_side(session: Session) -> None:
    """The first stage is a stage to go back to, though nobody moves a referral into it (a user's report)."""
    firm, referral = _referral_at(session, "contacted")
    with pytest.raises(Forbidden) as refused:
        referrals.correct(session, factories.admin(session).caller, referral.id, "referred", "not the office's")
    assert refused.value.reason == "stage_not_yours" and referral.stage == "contacted"
    assert referrals.correct(session, firm, referral.id, "referred", "clicked the wrong card").stage == "referred"
