"""The console on an app: its pages, its static files and its error pages."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.web import errors
from api.web.auth import PREFIX
from api.web.forms import FormRoute
from api.web.pages import candidate, enterprise, home, office, partner, signup

STATIC = Path(__file__).resolve().parent / "static"
PAGE_MODULES = (home, signup, partner, enterprise, candidate, office)
root = APIRouter(route_class=FormRoute, include_in_schema=False)


@root.get("/")
def to_console() -> RedirectResponse:
    """People opening the server's address land on the console (the API's docs are at /docs)."""
    return RedirectResponse(PREFIX, status_code=307)


def install(app: FastAPI) -> None:
    """Serve the console on `app` (after the API's routes and error handlers)."""
    errors.install(app)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    app.include_router(root)
    for module in PAGE_MODULES:
        app.include_router(module.router)
