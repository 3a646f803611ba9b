"""The feedback channel (监督反馈): candidates, enterprises and partners raise something about a referral or a
policy; the office answers and closes it."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from api.auth import Admin, Allow, Signed
from api.deps import OneValueEach, PlatformDep, SessionDep
from api.schemas import Id, Words, error_responses
from matcher.office import feedback
from matcher.people.accounts import Caller, Role

router = APIRouter(prefix="/feedback", tags=["feedback"], dependencies=OneValueEach)
AUTH = error_responses(401, 403, 404, 409)
FeedbackId = Annotated[Id, Path(description="The feedback's id.")]
Authors = Annotated[Caller, Depends(Allow(Role.candidate, Role.enterprise, Role.partner))]
# matcher.office.feedback.STATUSES (tests/api/test_spec_conformance.py keeps the two in step).
Status = Literal["open", "answered", "closed"]


Text = Annotated[Words, Field(min_length=1, max_length=feedback.MAX_TEXT)]


class ReferralFeedbackIn(BaseModel):
    """Feedback on one referral you may see."""

    model_config = ConfigDict(extra="forbid")

    referral_id: Id
    policy_key: None = Field(None, description="Not given: feedback is on a referral or on a policy.")
    message: Text


class PolicyFeedbackIn(BaseModel):
    """Feedback on one policy of the catalogue."""

    model_config = ConfigDict(extra="forbid")

    referral_id: None = Field(None, description="Not given: feedback is on a referral or on a policy.")
    policy_key: str = Field(min_length=1, max_length=100, description="A key of the catalogue, e.g. living_subsidy.")
    message: Text


def _topic(body: Any) -> str:
    """Which of the two a body is: on a referral when it names one (so its errors are that kind's)."""
    named = body.get("referral_id") if isinstance(body, dict) else getattr(body, "referral_id", None)
    return "referral" if named is not None else "policy"


# Exactly one of referral_id and policy_key: the schema's oneOf.
FeedbackIn = Annotated[
    Annotated[ReferralFeedbackIn, Tag("referral")] | Annotated[PolicyFeedbackIn, Tag("policy")],
    Discriminator(_topic),
]


class AnswerIn(BaseModel):
    answer: Text


class FeedbackOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int | None = Field(description="The author's account.")
    author_role: str
    topic: str = Field(description="referral or policy.")
    referral_id: int | None
    policy_key: str | None
    message: str
    status: Status
    answer: str = Field(description="The office's answer ('' until answered).")
    created_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None


@router.post(
    "",
    response_model=FeedbackOut,
    status_code=201,
    responses=AUTH,
    summary="File feedback (监督反馈) on a referral you may see or on a policy",
)
def file_feedback(session: SessionDep, platform: PlatformDep, caller: Authors, body: FeedbackIn) -> FeedbackOut:
    row = feedback.file_feedback(
        session,
        caller,
        body.message,
        referral_id=body.referral_id,
        policy_key=body.policy_key,
        catalogue=platform.settings.policy_catalogue,
    )
    return FeedbackOut.model_validate(row)


@router.get(
    "",
    response_model=list[FeedbackOut],
    responses=AUTH,
    summary="Feedback you may see, newest first: the office all, others their own",
)
def list_feedback(
    session: SessionDep,
    caller: Signed,
    status: Annotated[Status | None, Query(description="Only feedback of this status.")] = None,
) -> list[FeedbackOut]:
    return [FeedbackOut.model_validate(row) for row in feedback.list_feedback(session, caller, status)]


@router.get("/{feedback_id}", response_model=FeedbackOut, responses=AUTH, summary="One piece of feedback")
def get_feedback(session: SessionDep, caller: Signed, feedback_id: FeedbackId) -> FeedbackOut:
    return FeedbackOut.model_validate(feedback.get_feedback(session, caller, feedback_id))


@router.post(
    "/{feedback_id}/answer",
    response_model=FeedbackOut,
    responses=AUTH,
    summary="The office answers open feedback (409 once answered or closed)",
)
def answer(session: SessionDep, caller: Admin, body: AnswerIn, feedback_id: FeedbackId) -> FeedbackOut:
    return FeedbackOut.model_validate(feedback.answer(session, caller, feedback_id, body.answer))


@router.post(
    "/{feedback_id}/close",
    response_model=FeedbackOut,
    responses=AUTH,
    summary="The office closes feedback, answered or not (409 when closed already)",
)
def close(session: SessionDep, caller: Admin, feedback_id: FeedbackId) -> FeedbackOut:
    return FeedbackOut.model_validate(feedback.close(session, caller, feedback_id))
