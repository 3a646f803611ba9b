"""Domain errors. Each carries the HTTP-ish status the API renders it with; nothing below api/ knows HTTP."""


class TalentError(Exception):
    """Base of every expected error: a message a person can act on, plus a status."""

    status_code = 400
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(TalentError):
    status_code = 404
    code = "not_found"


class Unauthorized(TalentError):
    status_code = 401
    code = "unauthorized"


class Forbidden(TalentError):
    status_code = 403
    code = "forbidden"


class RateLimited(TalentError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Invalid(TalentError):
    status_code = 422
    code = "invalid"


class Conflict(TalentError):
    status_code = 409
    code = "conflict"


class IndexUnavailable(TalentError):
    """The vector index is missing, or was built for another encoder; `talent index build` fixes it."""

    status_code = 503
    code = "index_unavailable"


class ConfigurationError(TalentError):
    status_code = 500
    code = "configuration"
