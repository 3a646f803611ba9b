"""Accounts and API keys, managed by the talent office; and who the caller is."""

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.auth import Admin, Signed
from api.deps import SessionDep
from api.schemas import error_responses
from matcher.people import accounts
from matcher.people.accounts import Role

router = APIRouter(tags=["accounts"])
AUTH = error_responses(401, 403)


class AccountIn(BaseModel):
    role: Role
    name: str = Field(min_length=1, max_length=300, description="The person (or service) using the key.")
    organization: str | None = Field(None, max_length=300, description="Partner firm or enterprise name.")
    candidate_id: int | None = Field(None, ge=1, le=2**63 - 1, description="For a candidate account: its profile.")


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
    account, key = accounts.open_account(
        session, caller, body.role, body.name, organization=body.organization, candidate_id=body.candidate_id
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
def revoke_key(session: SessionDep, caller: Admin, prefix: str = Path(min_length=8, max_length=60)) -> None:
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
