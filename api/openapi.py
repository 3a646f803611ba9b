"""What the OpenAPI spec says beyond what FastAPI derives from the routes:

- every error status a route can answer with, each in the one error shape (api.errors.WHY says when);
- the API key as a security scheme (bearer, or the X-API-Key header), so /docs has an Authorize button and
  generated clients send it; on public routes the key is optional, which OpenAPI writes as an empty requirement.
"""

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.auth import Allow
from api.errors import ALWAYS, WHY, WITH_BODY

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}


def _allows(dependant: Dependant) -> Iterable[Allow]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Allow):
            yield dependency.call
        yield from _allows(dependency)


def public_operations(routers: Iterable[APIRouter]) -> set[tuple[str, str]]:
    """(method, path) of every route whose Allow is public."""
    found = set()
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and any(allow.public for allow in _allows(route.dependant)):
                found |= {(method.lower(), route.path) for method in route.methods or ()}
    return found


def _document_errors(operation: dict[str, Any], public: bool) -> None:
    responses = operation.setdefault("responses", {})
    statuses = {*ALWAYS, *(WITH_BODY if "requestBody" in operation else ()), *(() if public else (403,))}
    statuses |= {int(status) for status in responses if status.isdigit() and int(status) >= 400}
    for status in sorted(statuses):
        response = responses.setdefault(str(status), {})
        if response.get("description") in (None, "", "Additional Response"):
            response["description"] = WHY.get(status, "An error")
        response["content"] = {"application/json": {"schema": ERROR_SCHEMA}}


def customise(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Have `app` serve the spec described above (built once, on first request, as FastAPI does)."""
    generate = app.openapi
    public = public_operations(routers)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    _document_errors(operation, (method, path) in public)
                    security = operation.get("security")
                    if (method, path) in public and security is not None and {} not in security:
                        security.append({})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
