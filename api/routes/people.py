"""One person's records, for the talent office: the pairs to review, a person's records, the office's verdicts
(matcher.office.person_records)."""

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Admin
from api.deps import OneValueEach, SessionDep
from api.schemas import Id, error_responses
from matcher.office import person_records

router = APIRouter(tags=["one person's records"], dependencies=OneValueEach)
CandidateId = Annotated[Id, Path(description="A candidate record's internal id.")]


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first: Id = Field(description="A candidate record's id.")
    second: Id = Field(description="Another candidate record's id.")
    decision: Literal["linked", "apart"] = Field(
        description="linked: the two records are one person; apart: they are not, and are never linked again."
    )
    expected: Literal["review", "linked", "apart", "undecided"] | None = Field(
        default=None,
        description="The pair's status the verdict was given on (undecided: no verdict yet); a 409 when it changed "
        "meanwhile, so that no verdict reverses another unseen. Omitted: the verdict stands whatever was before.",
    )


@router.get(
    "/office/people/duplicates",
    responses=error_responses(401, 403),
    summary="Pairs of records that may be one person, waiting for the office's verdict (likeliest first)",
)
def duplicates(
    session: SessionDep,
    caller: Admin,
    limit: Annotated[int, Query(ge=1, le=person_records.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    total, pairs = person_records.duplicates(session, caller, limit, offset)
    return {"total": total, "pairs": [asdict(pair) for pair in pairs]}


@router.get(
    "/office/people/{candidate_id}",
    responses=error_responses(401, 403, 404),
    summary="Every record of this record's person, and the verdicts among them",
)
def person(session: SessionDep, caller: Admin, candidate_id: CandidateId) -> dict[str, Any]:
    return asdict(person_records.person(session, caller, candidate_id))


@router.post(
    "/office/people/links",
    responses=error_responses(401, 403, 404, 409, 422),
    summary="The office's verdict on two records: one person, or never (audited)",
)
def decide(session: SessionDep, caller: Admin, body: LinkIn) -> dict[str, Any]:
    found = person_records.decide(session, caller, body.first, body.second, body.decision, body.expected)
    return asdict(found)


@router.post(
    "/office/people/{candidate_id}/unlink",
    responses=error_responses(401, 403, 404, 409),
    summary="Take a record out of its person: it stands alone again, the others stay one person (audited)",
)
def unlink(session: SessionDep, caller: Admin, candidate_id: CandidateId) -> dict[str, Any]:
    others = person_records.unlink(session, caller, candidate_id)
    return {"candidate_id": candidate_id, "unlinked_from": others}
