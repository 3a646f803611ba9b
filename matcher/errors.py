"""Domain errors. Each carries the HTTP-ish status the API renders it with; nothing below api/ knows HTTP.

An error says what went wrong twice: `message`, one English sentence for the API and the CLI, and `reason` with
`params`, a stable key and its values (``reason="job_not_found", job=999``) from which the console words it in the
page's language (api/web/messages.py holds a wording for every reason raised here)."""

from dataclasses import dataclass, field
from typing import Any


class TalentError(Exception):
    """Base of every expected error: a message a person can act on, plus a status, a reason and its values."""

    status_code = 400
    code = "error"

    def __init__(self, message: str, reason: str = "", **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or self.code
        self.params = params


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

    def __init__(self, message: str, retry_after: int, reason: str = "", **params: Any) -> None:
        super().__init__(message, reason, retry_after=retry_after, **params)
        self.retry_after = retry_after


class Invalid(TalentError):
    status_code = 422
    code = "invalid"


@dataclass(frozen=True)
class FieldProblem:
    """One field's problem as the validator saw it: where (``("education", 0, "end_year")``), what kind (pydantic's
    error type, such as ``less_than_equal``), its bounds (``{"le": 2100}``) and the validator's English text."""

    loc: tuple[str | int, ...]
    kind: str
    text: str
    bounds: dict[str, Any] = field(default_factory=dict)


class InvalidFields(Invalid):
    """Some fields of a record are wrong: `problems` says which and why, for a form to mark them."""

    def __init__(self, message: str, problems: list[FieldProblem]) -> None:
        super().__init__(message, "invalid_fields", problems=problems)
        self.problems = problems


class TooLarge(Invalid):
    """An input past a size limit, refused before it was read in full (a résumé file too big, or one that unpacks to
    too much). `limit` is that limit in bytes, for saying it in another language."""

    status_code = 413
    code = "too_large"

    def __init__(self, message: str, limit: int, reason: str = "", **params: Any) -> None:
        super().__init__(message, reason, limit=limit, **params)
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
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class ConfigurationError(TalentError):
    status_code = 500
    code = "configuration"
