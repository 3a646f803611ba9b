"""Contact requests: enterprises and partner firms ask a masked candidate for their contact details; the candidate
accepts (consenting to that organization) or declines."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from api.auth import Allow, Candidate
from api.deps import SessionDep
from api.schemas import Id, error_responses
from matcher.partners import contact_requests
from matcher.people.accounts import Caller, Role
from matcher.store.models import ContactRequest

router = APIRouter(prefix="/contact-requests", tags=["contact requests"])
AUTH = error_responses(401, 403, 404, 409)
RequestId = Annotated[Id, Path(description="The contact request's id.")]
Askers = Annotated[Caller, Depends(Allow(Role.enterprise, Role.partner))]
Parties = Annotated[Caller, Depends(Allow(Role.candidate, Role.enterprise, Role.partner))]


class ContactRequestIn(BaseModel):
    candidate_id: Id
    job_id: Id | None = Field(None, description="The job it is about (an enterprise: its own).")
    message: str = Field("", max_length=contact_requests.MAX_MESSAGE, description="Shown to the candidate.")


class ContactRequestOut(BaseModel):
    id: int
    organization_id: int
    organization: str = Field(description="Who asks: the enterprise or partner firm.")
    organization_kind: str = Field(description="enterprise or partner.")
    candidate_id: int
    job_id: int | None
    job_title: str | None
    message: str
    status: str = Field(description="pending, accepted (the candidate consented) or declined.")
    created_at: datetime
    answered_at: datetime | None

    @classmethod
    def of(cls, row: ContactRequest) -> "ContactRequestOut":
        """The stored request, with who asks and the job's title read through its relationships."""
        return cls(
            id=row.id,
            organization_id=row.organization_id,
            organization=row.organization.name,
            organization_kind=row.organization.kind,
            candidate_id=row.candidate_id,
            job_id=row.job_id,
            job_title=row.job.title if row.job else None,
            message=row.message,
            status=row.status,
            created_at=row.created_at,
            answered_at=row.answered_at,
        )


@router.post(
    "",
    response_model=ContactRequestOut,
    status_code=201,
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Ask a candidate to share their name and contact details with your organization",
)
def ask(session: SessionDep, caller: Askers, body: ContactRequestIn) -> ContactRequestOut:
    return ContactRequestOut.of(
        contact_requests.request_contact(session, caller, body.candidate_id, body.job_id, body.message)
    )


@router.get(
    "",
    response_model=list[ContactRequestOut],
    responses=AUTH,
    summary="Requests made to you (a candidate) or by your organization (enterprise, partner), newest first",
)
def list_requests(session: SessionDep, caller: Parties) -> list[ContactRequestOut]:
    if caller.role is Role.candidate:
        return [ContactRequestOut.of(row) for row in contact_requests.for_candidate(session, caller)]
    return [ContactRequestOut.of(row) for row in contact_requests.for_organization(session, caller)]


@router.post(
    "/{request_id}/accept",
    response_model=ContactRequestOut,
    responses=AUTH,
    summary="Accept a request: the organization may then see your name and contact details (withdrawable)",
)
def accept(session: SessionDep, caller: Candidate, request_id: RequestId) -> ContactRequestOut:
    return ContactRequestOut.of(contact_requests.answer(session, caller, request_id, accept=True))


@router.post("/{request_id}/decline", response_model=ContactRequestOut, responses=AUTH, summary="Decline a request")
def decline(session: SessionDep, caller: Candidate, request_id: RequestId) -> ContactRequestOut:
    return ContactRequestOut.of(contact_requests.answer(session, caller, request_id, accept=False))
