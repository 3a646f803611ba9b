"""The application factory: settings in, app out; heavy objects load once in the lifespan."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI
from starlette.types import ASGIApp

from api import errors, openapi
from api.headers import SecurityHeaders
from api.limits import BodyLimit
from api.routes import (
    accounts,
    candidates,
    contact_requests,
    feedback,
    health,
    jobs,
    majors,
    me,
    occupations,
    office,
    partner_tools,
    people,
    priority,
    referrals,
    reports,
    search,
    signup,
)
from api.web import console
from matcher.config import Settings, get_settings
from matcher.platform import Platform

log = logging.getLogger("talentbridge.api")
MODULES = (
    health,
    accounts,
    signup,
    me,
    candidates,
    jobs,
    referrals,
    contact_requests,
    office,
    people,
    partner_tools,
    feedback,
    reports,
    search,
    majors,
    priority,
    occupations,
)


class TalentAPI(FastAPI):
    """FastAPI with the security headers outermost, so they are on every answer: a 500 included (Starlette sends
    those from its outermost middleware, outside any middleware added to the app)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings | None = None, platform: Platform | None = None) -> FastAPI:
    """A TalentBridge API for `settings` (the environment's by default), on its own platform; or on `platform`, one
    the caller made and keeps (an embedding program, or a test whose unit of work is rolled back afterwards)."""
    settings = platform.settings if platform is not None else settings or get_settings()
    given = platform

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        platform = given or Platform(settings)
        app.state.platform = platform
        with platform.session() as session:  # load the model and indexes now, not on the first request
            for problem in platform.matching(session).problems.values():
                log.warning("matching unavailable: %s", problem)
        platform.warm_up()
        to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        app.state.resume_readers = CapacityLimiter(settings.api_resume_readers)  # api.deps.read_resume
        if given is None:
            platform.follow()  # other processes' writes reach this one's indexes through the change feed
        try:
            yield
        finally:
            if given is None:
                platform.close()

    app = TalentAPI(
        title="TalentBridge",
        version="0.1.0",
        summary="Match overseas talent with jobs across Chinese and English, with an explanation for every match.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes)
    for module in MODULES:
        app.include_router(module.router)
    openapi.customise(app, [module.router for module in MODULES])
    console.install(app)
    return app
