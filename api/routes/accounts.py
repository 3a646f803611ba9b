"""Accounts and API keys, managed by the talent office; and who the caller is."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Admin, Signed
from api.deps import SessionDep
from api.schemas import Id, Words, error_responses
from matcher.people import accounts
from matcher.people.accounts import Role

router = APIRouter(tags=["accounts"])
AUTH = error_responses(401, 403)
KEY_CHARACTERS = r"^[A-Za-z0-9_-]+$"  # what a key is written in: tb_, its role's letter, _, URL-safe base64


Name = Annotated[Words, Field(min_length=1, max_length=300)]


class AdminAccountIn(BaseModel):
    """An account of the talent office."""

    model_config = ConfigDict(extra="forbid")

    role: Literal[Role.admin]
    name: Name = Field(description="The person (or service) using the key.")


class OrganizationAccountIn(BaseModel):
    """An account of a partner firm or an enterprise (made on first use of its name)."""

    model_config = ConfigDict(extra="forbid")

    role: Literal[Role.partner, Role.enterprise]
    name: Name = Field(description="The person (or service) using the key.")
    organization: Name = Field(description="The partner firm's or the enterprise's name.")


class CandidateAccountIn(BaseModel):
    """The account of a candidate whose profile is stored."""

    model_config = ConfigDict(extra="forbid")

    role: Literal[Role.candidate]
    name: Name = Field(description="The person using the key.")
    candidate_id: Id = Field(description="Their profile (a 404 when there is none).")


# Who else an account needs depends on its role: the schema's oneOf, told apart by `role`.
AccountIn = Annotated[AdminAccountIn | OrganizationAccountIn | CandidateAccountIn, Field(discriminator="role")]


class NewKeyOut(BaseModel):
    account_id: int
    role: Role
    organization_id: int | None
    key: str = Field(description="The API key. Shown this once: it is stored hashed and cannot be shown again.")


class KeyOut(BaseModel):
    account_id: int
    name: str
    role: str
    organization: str | None
    prefix: str
    revoked: bool


class CallerOut(BaseModel):
    account_id: int
    name: str
    role: Role
    organization_id: int | None
    organization: str | None
    candidate_id: int | None
    enterprise_id: int | None


@router.post("/accounts", response_model=NewKeyOut, status_code=201, responses=AUTH, summary="Create an account")
def create_account(session: SessionDep, caller: Admin, body: AccountIn) -> NewKeyOut:
    organization = body.organization if isinstance(body, OrganizationAccountIn) else None
    candidate_id = body.candidate_id if isinstance(body, CandidateAccountIn) else None
    account, key = accounts.open_account(
        session, caller, body.role, body.name, organization=organization, candidate_id=candidate_id
    )
    return NewKeyOut(account_id=account.id, role=body.role, organization_id=account.organization_id, key=key)


@router.get("/accounts/keys", response_model=list[KeyOut], responses=AUTH, summary="Every API key (prefix only)")
def list_keys(session: SessionDep, _caller: Admin) -> list[KeyOut]:
    return [
        KeyOut(
            account_id=account.id,
            name=account.name,
            role=account.role,
            organization=account.organization.name if account.organization else None,
            prefix=key.prefix,
            revoked=key.revoked_at is not None,
        )
        for account, key in accounts.list_keys(session)
    ]


@router.delete(
    "/accounts/keys/{prefix}",
    status_code=204,
    responses=error_responses(401, 403, 404),
    summary="Revoke a key by its first characters",
)
def revoke_key(
    session: SessionDep,
    caller: Admin,
    prefix: str = Path(min_length=8, max_length=60, pattern=KEY_CHARACTERS, description="The key's first characters."),
) -> None:
    accounts.revoke_key(session, caller, prefix)


@router.get("/me", response_model=CallerOut, responses=AUTH, summary="Who this API key belongs to")
def me(session: SessionDep, caller: Signed) -> CallerOut:
    details = accounts.describe(session, caller)
    return CallerOut(
        account_id=caller.account_id,
        name=details.name,
        role=caller.role,
        organization_id=caller.organization_id,
        organization=details.organization,
        candidate_id=caller.candidate_id,
        enterprise_id=caller.enterprise_id,
    )
