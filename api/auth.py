"""Who is calling, and whether their role may call a route: every route declares its roles with `Allow`.

Keys come as `Authorization: Bearer <key>` (or `X-API-Key: <key>`). A route open to anyone says
`Allow(public=True)`; the caller is then None for an anonymous request. Every request, with or without a key,
counts against a per-minute limit: per key, or per client address when anonymous (api.clients says which address).
"""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.clients import caller_address
from api.deps import PlatformDep, SessionDep
from matcher.errors import Forbidden, Unauthorized
from matcher.people.accounts import Caller, Role, authenticate
from matcher.people.ratelimit import address_bucket, key_bucket

ALL_ROLES = frozenset(Role)


BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description=(
        "An API key (`talent users create`, `POST /accounts`, `POST /signup`) as `Authorization: Bearer <key>`."
    ),
)
API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="apiKey", description="The same API key, in this header instead."
)


def presented_key(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str | None:
    if bearer is not None and bearer.credentials.strip():
        return bearer.credentials.strip()
    return header or None


class Allow:
    """A dependency admitting the given roles (or anyone, with public=True); it returns the caller."""

    def __init__(self, *roles: Role, public: bool = False) -> None:
        self.roles = frozenset(roles) if roles else (ALL_ROLES if public else frozenset())
        self.public = public
        if not self.roles and not public:
            raise ValueError("a route must admit at least one role or be public")

    def __call__(
        self,
        request: Request,
        session: SessionDep,
        platform: PlatformDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
        header: Annotated[str | None, Depends(API_KEY_HEADER)],
    ) -> Caller | None:
        key = presented_key(bearer, header)
        caller = authenticate(session, key) if key else None
        bucket = key_bucket(caller.key_prefix) if caller else address_bucket(caller_address(request))
        platform.rate_limiter.hit(bucket)  # wrong keys count against the address
        if key and caller is None:
            raise Unauthorized("this API key is unknown or revoked")
        if caller is None:
            if self.public:
                return None
            raise Unauthorized("this route needs an API key: send it as 'Authorization: Bearer <key>'")
        if caller.role not in self.roles:
            raise Forbidden(f"a {caller.role.value} key cannot call this route")
        return caller


AnyCaller = Annotated[Caller | None, Depends(Allow(public=True))]
Admin = Annotated[Caller, Depends(Allow(Role.admin))]
Partner = Annotated[Caller, Depends(Allow(Role.partner))]
Enterprise = Annotated[Caller, Depends(Allow(Role.enterprise))]
Candidate = Annotated[Caller, Depends(Allow(Role.candidate))]
Staff = Annotated[Caller, Depends(Allow(Role.admin, Role.partner, Role.enterprise))]
Signed = Annotated[Caller, Depends(Allow(*Role))]
