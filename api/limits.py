"""Request bodies past TALENT_API_MAX_BODY_BYTES are refused with 413 before they are read into memory: by their
Content-Length at the first read, and while they stream (a chunked body, or one whose length was not declared) as
soon as the bytes received pass the limit. The error goes through the app's handlers, so the API answers in its
JSON shape and the console with a page in its language."""

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(413, f"the request body is larger than the limit of {size_text(limit)}")


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} kB"


class BodyLimit:
    """ASGI middleware: a request reading more than `limit` bytes of body gets BodyTooLarge from its receive."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        too_long = declared.isdigit() and int(declared) > self.limit
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_long:
                raise BodyTooLarge(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)
