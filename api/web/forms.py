"""How the console reads a form: every text field with its line breaks as LF, before anything counts or stores it.

A browser sends a textarea's line breaks as CRLF (the HTML form encoding says so), while a stored text and everything
that measures it counts LF: a text at its limit would be refused for the CRs it will never store, and a message
would give a length other than the stored one. Every console route is a FormRoute (each page module's router), so
no page reads a form any other way."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import FormData


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class FormRequest(Request):
    """A request whose form gives every text field through normalise_newlines (uploaded files as sent)."""

    async def _get_form(self, **limits: Any) -> FormData:
        if self._form is None:
            parsed = await super()._get_form(**limits)
            self._form = FormData(
                [
                    (key, normalise_newlines(value) if isinstance(value, str) else value)
                    for key, value in parsed.multi_items()
                ]
            )
        return self._form


class FormRoute(APIRoute):
    """A console route: its request's form is read by FormRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            return await handler(FormRequest(request.scope, request.receive))

        return handle
