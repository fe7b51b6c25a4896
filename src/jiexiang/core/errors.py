"""Domain errors: each carries a stable machine `code` and a Chinese `message` for users.

Services raise these; the API maps them to HTTP in one place (`api/errors.py`), the CLI prints the message.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a user may see. `message` is Chinese and shown as is."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class InvalidInput(DomainError):
    code = "invalid_input"
    http_status = 422


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    http_status = 401


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class TooManyRequests(DomainError):
    """Too many requests or attempts: try again after `retry_after` seconds (sent as Retry-After)."""

    code = "too_many_requests"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code, details={"retry_after": retry_after})
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """A service the platform depends on (Redis, the broker) does not answer: try again shortly."""

    code = "service_unavailable"
    http_status = 503


class ConfigurationError(DomainError):
    code = "configuration_error"
    http_status = 500
