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


class TooLarge(Invalid):
    """An input past a size limit, refused before it was read in full (a résumé file too big, or one that unpacks to
    too much). `limit` is that limit in bytes, for saying it in another language."""

    status_code = 413
    code = "too_large"

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class Conflict(TalentError):
    status_code = 409
    code = "conflict"


class IndexUnavailable(TalentError):
    """The vector index is missing, or was built for another encoder; `talent index build` fixes it."""

    status_code = 503
    code = "index_unavailable"


class DatabaseBusy(TalentError):
    """The database could not serve the request in time: every pooled connection stayed in use, or another writer
    held SQLite's write lock too long. Nothing was done; the same request a moment later will likely succeed."""

    status_code = 503
    code = "database_busy"

    def __init__(self, message: str = "the database is busy; try again in a moment", retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConfigurationError(TalentError):
    status_code = 500
    code = "configuration"
