"""The one HTTP layer every source uses.

It owns timeouts, the per-source minimum interval between requests, retries with jittered exponential
backoff on 429/5xx/connection errors/garbled bodies, ``Retry-After`` up to a ceiling, and the mapping of
statuses to the errors in :mod:`extractors.errors`. It returns parsed JSON and knows nothing of any API.

The retry policy (how many tries, which wait, what is retried) is tenacity's, on the client's ``sleep``; what
one try is (the pacing, the classification of an answer, a ``Retry-After`` too long to wait) is written here.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random_exponential,
)

from extractors.config import Settings
from extractors.errors import (
    BadResponseError,
    ForbiddenError,
    HttpError,
    RateLimitedError,
    ServiceUnavailableError,
    TokenExpiredError,
)

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SECRET_PARAMS = frozenset({"appid", "api_key", "apikey", "key", "token", "access_token", "refresh_token"})
MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: Mapping[str, str]
    url: str


def redact(url: str) -> str:
    """The URL with secret query parameters (API keys) masked, safe to print."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*:,()\"' ")))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def error_message(body: Any) -> str | None:
    """The human message inside the error envelopes of Spotify, MusicBrainz and OpenWeather."""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            description = body.get("error_description")
            return f"{err}: {description}" if description else err
        if body.get("message"):
            return str(body["message"])
    return None


def _decode(resp: requests.Response) -> Any:
    """The JSON body; raises ValueError for HTML, truncated or empty bodies."""
    text = resp.content.decode(resp.encoding or "utf-8", errors="strict")
    return json.loads(text)


class _Retryable(Exception):
    """One try failed in a way another try may fix: what went wrong, the wait the server asked for (None: back
    off) and whether it was a success status with a garbled body (BadResponseError when retries run out)."""

    def __init__(self, problem: str, retry_after: float | None = None, garbled: bool = False) -> None:
        super().__init__(problem)
        self.problem, self.retry_after, self.garbled = problem, retry_after, garbled


def _failure(state: RetryCallState) -> _Retryable:
    """The failure of the try tenacity is about to retry (only _Retryable is retried)."""
    failure = state.outcome.exception() if state.outcome else None
    assert isinstance(failure, _Retryable)
    return failure


@dataclass
class HttpClient:
    """A ``requests`` session with the project's rules for one source (``name`` appears in every message)."""

    name: str
    min_interval: float = 0.0
    timeout: float = 30.0
    max_retries: int = 5
    backoff_base: float = 1.0
    retry_after_max: float = 120.0
    user_agent: str = "rws-music"
    default_retry_after: float | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    session: requests.Session = field(default_factory=requests.Session)
    requests_made: int = 0
    _last_start: float | None = None

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def _throttle(self) -> None:
        if self._last_start is not None and self.min_interval > 0:
            wait = self._last_start + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_start = self.clock()

    def _retrying(self, shown: str) -> Retrying:
        """The retry policy of one logical request (tenacity): at most ``max_retries`` retries of what
        :class:`_Retryable` marks, each after the server's ``Retry-After`` when it gave one, else after a
        jittered exponential backoff (``backoff_base`` doubled per retry, capped at ``MAX_BACKOFF``, times 0.5 to
        1.5), slept on ``self.sleep``."""
        half = self.backoff_base / 2  # exponential(base/2) + uniform(0, exponential(base)): base * 2**n * U(0.5, 1.5)
        backoff = wait_exponential(multiplier=half, max=MAX_BACKOFF / 2) + wait_random_exponential(
            multiplier=self.backoff_base, max=MAX_BACKOFF
        )

        def wait(state: RetryCallState) -> float:
            failure = _failure(state)
            return backoff(state) if failure.retry_after is None else failure.retry_after

        def before(state: RetryCallState) -> None:
            if state.attempt_number > 1:
                log.debug("%s: retry %d of %d for %s", self.name, state.attempt_number - 1, self.max_retries, shown)

        def before_sleep(state: RetryCallState) -> None:
            waited = state.next_action.sleep if state.next_action else 0.0
            problem = _failure(state).problem
            log.info("%s: %s for %s; waiting %.1f s before retrying", self.name, problem, shown, waited)

        return Retrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.sleep,
            before=before,
            before_sleep=before_sleep,
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        accept_statuses: Collection[int] = (404,),
    ) -> Response:
        """Send one logical request, retrying what is worth retrying (the policy: :meth:`_retrying`).

        Returns 2xx answers and the ``accept_statuses`` (default 404, which is data: "not found") with their
        parsed JSON (None when a non-2xx body is not JSON). Raises TokenExpiredError on 401,
        ForbiddenError on 403, RateLimitedError when the server asks to wait longer than
        ``retry_after_max``, BadResponseError / ServiceUnavailableError when retries ran out, and
        HttpError for any other status.
        """
        shown = redact(requests.Request(method, url, params=params).prepare().url or url)
        try:
            return self._retrying(shown)(
                self._attempt, method, url, shown, params=params, data=data, headers=headers, accept=accept_statuses
            )
        except RetryError as exc:
            failure = exc.last_attempt.exception()
            assert isinstance(failure, _Retryable)
            error = BadResponseError if failure.garbled else ServiceUnavailableError
            raise error(
                f"{self.name}: {failure.problem} for {shown}, still after {self.max_retries + 1} attempts; "
                "nothing of it was landed, run again later"
            ) from None

    def _attempt(
        self,
        method: str,
        url: str,
        shown: str,
        *,
        params: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        accept: Collection[int],
    ) -> Response:
        """One try, paced: the answer, an error retrying cannot fix, or :class:`_Retryable`."""
        self._throttle()
        self.requests_made += 1
        try:
            resp = self.session.request(method, url, params=params, data=data, headers=headers, timeout=self.timeout)
        except requests.exceptions.Timeout:
            raise _Retryable(f"no answer within {self.timeout:g} s") from None
        except requests.exceptions.RequestException as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__})") from None
        log.debug("%s %s -> %d", method, shown, resp.status_code)
        status = resp.status_code
        if 200 <= status < 300:
            try:
                return Response(status, _decode(resp), resp.headers, shown)
            except ValueError:
                kind = resp.headers.get("Content-Type", "unknown content type").split(";")[0]
                raise _Retryable(f"status {status} with a body that is not valid JSON ({kind})", garbled=True) from None
        try:
            body = _decode(resp)
        except ValueError:
            body = None
        if status in accept:
            return Response(status, body, resp.headers, shown)
        message = error_message(body) or resp.reason or "no message"
        if status == 401:
            raise TokenExpiredError(f"{self.name}: 401 {message} from {shown}", status=401, url=shown)
        if status == 403:
            raise ForbiddenError(f"{self.name}: 403 {message} from {shown}", status=403, url=shown)
        if status not in RETRY_STATUSES:
            raise HttpError(f"{self.name}: {status} {message} from {shown}", status=status, url=shown)
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if retry_after is None and status == 429:
            retry_after = self.default_retry_after
        if retry_after is not None and retry_after > self.retry_after_max:
            # a wait that long is not a retry: the source stops now, keeping what it landed
            resume = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(time.time() + retry_after))
            raise RateLimitedError(
                f"{self.name}: the server asks to wait {retry_after:,.0f} s (Retry-After), more than "
                f"RETRY_AFTER_MAX={self.retry_after_max:g} s; stopped with everything fetched so far "
                f"kept; run again after {resume}",
                retry_after=retry_after,
                url=shown,
            )
        raise _Retryable(f"status {status} ({message})", retry_after=retry_after)

    @classmethod
    def from_settings(cls, name: str, settings: Settings, **overrides: Any) -> HttpClient:
        """A client with the timeout, retry and Retry-After rules of ``settings``; ``overrides`` win."""
        rules: dict[str, Any] = {
            "timeout": settings.http_timeout,
            "max_retries": settings.http_max_retries,
            "backoff_base": settings.http_backoff_base,
            "retry_after_max": settings.retry_after_max,
        }
        return cls(name, **{**rules, **overrides})

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Response:
        return self.request("POST", url, **kwargs)
