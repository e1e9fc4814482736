"""Exceptions with messages a user can act on.

Every error the CLI reports is one of these; ``exit_code`` tells the CLI how to exit:
2 for usage, configuration and bad input (fix something, then run again), 1 for a source that failed.
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class: the message is one line a user can act on."""

    exit_code = 1


class ConfigError(ExtractorError):
    """Missing or invalid configuration (environment, .env, options)."""

    exit_code = 2


class InputError(ExtractorError):
    """Bad input data: a missing, unreadable or malformed file."""

    exit_code = 2


class LockedError(ExtractorError):
    """Another run holds the data directory."""

    exit_code = 1


class ReauthorizeError(ExtractorError):
    """Credentials are wrong or expired for good (e.g. Spotify ``invalid_grant``): re-authorise."""

    exit_code = 2


class HttpError(ExtractorError):
    """An HTTP exchange failed in a way retrying did not fix."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.url = url


class TokenExpiredError(HttpError):
    """401: the access token expired or is invalid; refresh it once and retry."""


class ForbiddenError(HttpError):
    """403: not allowed; retrying will not help."""


class RateLimitedError(HttpError):
    """429/503 with a Retry-After longer than RETRY_AFTER_MAX: stop the source, keep what landed."""

    def __init__(self, message: str, *, retry_after: float, url: str | None = None) -> None:
        super().__init__(message, status=429, url=url)
        self.retry_after = retry_after


class BadResponseError(HttpError):
    """A success status whose body is not the JSON we asked for (HTML, truncated JSON)."""


class ServiceUnavailableError(HttpError):
    """5xx, timeouts or connection errors that outlasted every retry."""
