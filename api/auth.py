"""Who is calling, and whether their role may call a route: every route declares its roles with `Allow`.

Keys come as `Authorization: Bearer <key>` (or `X-API-Key: <key>`). A route open to anyone says
`Allow(public=True)`; the caller is then None for an anonymous request. Every request, with or without a key,
counts against a per-minute limit: per key, or per client address when anonymous.
"""

from typing import Annotated

from fastapi import Depends, Request

from api.deps import PlatformDep, SessionDep
from matcher.errors import Forbidden, Unauthorized
from matcher.people.accounts import Caller, Role, authenticate

ALL_ROLES = frozenset(Role)


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


class Allow:
    """A dependency admitting the given roles (or anyone, with public=True); it returns the caller."""

    def __init__(self, *roles: Role, public: bool = False) -> None:
        self.roles = frozenset(roles) if roles else (ALL_ROLES if public else frozenset())
        self.public = public
        if not self.roles and not public:
            raise ValueError("a route must admit at least one role or be public")

    def __call__(self, request: Request, session: SessionDep, platform: PlatformDep) -> Caller | None:
        key = presented_key(request)
        caller = authenticate(session, key) if key else None
        client = request.client.host if request.client else "unknown"
        platform.rate_limiter.hit(f"key:{caller.key_prefix}" if caller else f"addr:{client}")  # guesses count too
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
