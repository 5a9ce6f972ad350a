"""Domain errors. The data layer turns AWS errors into these; the HTTP layer maps them
to statuses and the contract's error body in one place (crm.http.resolver)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldError:
    name: str
    message: str


class DomainError(Exception):
    """Base of every error a client can cause. `code` is the machine code in the body."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"

    def __init__(self, message: str, fields: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []

    @classmethod
    def on(cls, name: str, message: str) -> ValidationFailed:
        """A validation error about one field."""
        return cls(message, [FieldError(name, message)])


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("The email address or password is not correct.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class AlreadyExists(Conflict):
    code = "already_exists"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
