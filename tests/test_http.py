"""The shared HTTP layer against a real server on 127.0.0.1 (time is injected, never measured)."""

from __future__ import annotations

import email.utils
from collections.abc import Iterator

import pytest

from extractors.errors import (
    BadResponseError,
    ForbiddenError,
    HttpError,
    RateLimitedError,
    ServiceUnavailableError,
    TokenExpiredError,
)
from extractors.http import HttpClient, parse_retry_after, redact
from scripts.devkit.fakes.base import FakeServer, Fault, Reply, Request


class Echo(FakeServer):
    def handle(self, request: Request) -> Reply:
        return Reply.json(200, {"path": request.path, "query": request.query})


@pytest.fixture
def server() -> Iterator[Echo]:
    with Echo() as s:
        yield s  # type: ignore[misc]


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(t: FakeTime, **kwargs) -> HttpClient:
    return HttpClient("test", sleep=t.sleep, clock=t.clock, backoff_base=0.5, **kwargs)


def test_min_interval_is_kept_between_every_two_requests(server: Echo):
    t = FakeTime()
    http = client(t, min_interval=1.0)
    for _ in range(3):
        http.get(f"{server.url}/x")
        t.now += 0.25  # the caller spends a quarter second between requests
    assert t.sleeps == [0.75, 0.75]
    assert server.count("/x") == 3


def test_retry_after_is_honoured_in_seconds_and_as_a_date(server: Echo):
    t = FakeTime()
    http = client(t)
    server.add_fault(Fault(status=429, headers={"Retry-After": "7"}))
    assert http.get(f"{server.url}/a").status == 200
    assert t.sleeps == [7.0]
    # an HTTP date 30 s after "now" (given, not read from the clock)
    assert parse_retry_after(email.utils.formatdate(1_700_000_030, usegmt=True), now=1_700_000_000) == 30.0
    assert parse_retry_after(email.utils.formatdate(1_700_000_000, usegmt=True), now=1_700_000_030) == 0.0  # past
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_retry_after_beyond_the_ceiling_raises_without_waiting(server: Echo):
    t = FakeTime()
    http = client(t, retry_after_max=120)
    server.add_fault(Fault(status=503, headers={"Retry-After": "121"}))
    with pytest.raises(RateLimitedError) as caught:
        http.get(f"{server.url}/a")
    assert caught.value.retry_after == 121 and t.sleeps == []


def test_429_without_retry_after_uses_the_sources_default_wait(server: Echo):
    t = FakeTime()
    http = client(t, default_retry_after=60)
    server.add_fault(Fault(status=429, body={"cod": 429, "message": "blocked"}))
    assert http.get(f"{server.url}/a").status == 200
    assert t.sleeps == [60]


def test_backoff_grows_exponentially_with_jitter_then_gives_up(server: Echo):
    t = FakeTime()
    http = client(t, max_retries=3)
    server.add_fault(Fault(status=502, times=10))
    with pytest.raises(ServiceUnavailableError, match=r"status 502.*4 attempts"):
        http.get(f"{server.url}/a")
    assert server.count("/a") == 4
    assert len(t.sleeps) == 3
    for attempt, slept in enumerate(t.sleeps):
        assert 0.5 * 2**attempt * 0.5 <= slept <= 0.5 * 2**attempt * 1.5


def test_statuses_that_retrying_cannot_fix_are_not_retried(server: Echo):
    t = FakeTime()
    http = client(t)
    server.add_fault(Fault(status=401, body={"error": {"status": 401, "message": "The access token expired"}}))
    with pytest.raises(TokenExpiredError, match="access token expired"):
        http.get(f"{server.url}/a")
    server.add_fault(Fault(status=403, body={"error": {"status": 403, "message": "Forbidden"}}))
    with pytest.raises(ForbiddenError):
        http.get(f"{server.url}/b")
    server.add_fault(Fault(status=400, body={"error": {"status": 400, "message": "invalid id"}}))
    with pytest.raises(HttpError, match="400 invalid id"):
        http.get(f"{server.url}/c")
    assert server.count("/") == 3 and t.sleeps == []


def test_404_is_data_and_html_is_an_error(server: Echo):
    t = FakeTime()
    http = client(t, max_retries=1)
    server.add_fault(Fault(status=404, body={"error": {"status": 404, "message": "Resource not found"}}))
    resp = http.get(f"{server.url}/a")
    assert resp.status == 404 and resp.body["error"]["message"] == "Resource not found"
    server.add_fault(Fault(kind="html", times=2))
    with pytest.raises(BadResponseError, match=r"not valid JSON \(text/html\)"):
        http.get(f"{server.url}/b")


def test_api_keys_never_appear_in_messages(server: Echo):
    t = FakeTime()
    http = client(t, max_retries=0)
    server.add_fault(Fault(status=500))
    with pytest.raises(ServiceUnavailableError) as caught:
        http.get(f"{server.url}/geo", params={"q": "London,GB", "appid": "s3cr3t"})
    assert "s3cr3t" not in str(caught.value) and "appid=***" in str(caught.value)
    assert redact("http://h/p?q=a&appid=k") == "http://h/p?q=a&appid=***"
