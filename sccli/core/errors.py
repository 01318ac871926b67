"""The one error hierarchy: every failure the core raises carries its exit code and a hint."""

from __future__ import annotations

from typing import Any

# Exit codes are public contract (DESIGN.md).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_AUTH = 4
EXIT_RATE_LIMIT = 5
EXIT_NETWORK = 6
EXIT_INTERRUPTED = 130


class SccliError(Exception):
    exit_code = EXIT_ERROR
    detail: str | None = None  # the API's own message, when the error is the API's answer

    def __init__(self, message: str, hint: str | None = None, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status


class UsageError(SccliError):
    """Invalid input caught before anything is sent."""

    exit_code = EXIT_USAGE


class ApiError(SccliError):
    """The API answered with an error."""


class ServerError(ApiError):
    """A 5xx: the server (or a proxy in front of it) failed."""


class NotFound(ApiError):
    exit_code = EXIT_NOT_FOUND


class AuthError(SccliError):
    exit_code = EXIT_AUTH

    def __init__(self, message: str, hint: str | None = "run `sc auth login`", **kw: Any):
        super().__init__(message, hint, **kw)


class RateLimited(ApiError):
    exit_code = EXIT_RATE_LIMIT

    def __init__(
        self, message: str, hint: str | None = None, *, retry_at: float | None = None, **kw: Any
    ):
        super().__init__(message, hint, **kw)
        self.retry_at = retry_at  # epoch seconds the server named, if it did


class NetworkError(SccliError):
    exit_code = EXIT_NETWORK

    def __init__(self, message: str, hint: str | None = None, *, sent: bool = False, **kw: Any):
        super().__init__(message, hint, **kw)
        # True when the request body may have reached the server before the failure.
        self.sent = sent


class Interrupted(SccliError):
    """Ctrl-C (or a CI job's cancel) stopped a step that had to be undone or named first."""

    exit_code = EXIT_INTERRUPTED


class StoreError(SccliError):
    """The token store cannot be used (no keyring, a hung keyring, an unreadable file):
    no login can be read or kept, so it is an authentication failure (exit 4)."""

    exit_code = EXIT_AUTH
