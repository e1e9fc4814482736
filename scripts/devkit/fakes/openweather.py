"""A fake OpenWeather Geocoding API (``/geo/1.0/direct``) as it answers in 2026 (docs/apis.md, "OpenWeather").

Answers are a JSON array; an unknown city is ``200 []``; a bad key is ``401`` with ``cod`` and ``message``;
an empty ``q`` is ``400 "Nothing to geocode"``; ``limit`` is capped at 5. Canned answers are keyed by ``q``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Self

from scripts.devkit.fakes.base import FakeServer, Reply, Request

API_KEY = "test-openweather-key"
INVALID_KEY = {
    "cod": 401,
    "message": "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.",
}
BLOCKED = {
    "cod": 429,
    "message": "Your account is temporary blocked due to exceeding of requests limitation of your subscription "
    "type. Please choose the proper subscription http://openweathermap.org/price",
}


class FakeOpenWeather(FakeServer):
    def __init__(self, answers: dict[str, list[dict[str, Any]]] | None = None, api_key: str = API_KEY) -> None:
        super().__init__()
        self.answers = {k.casefold(): v for k, v in (answers or {}).items()}
        self.api_key = api_key

    @classmethod
    def from_recordings(cls, folder: Path, **options: Any) -> Self:
        path = folder / "geocode.json"
        return cls(json.loads(path.read_text()) if path.exists() else {}, **options)

    title = "OpenWeather"

    def settings(self) -> dict[str, str]:
        return {
            "OPENWEATHER_API_URL": self.url,
            "OPENWEATHER_API_KEY": self.api_key,
            "OPENWEATHER_MIN_INTERVAL": "0",
        }

    def add(self, query: str, results: list[dict[str, Any]]) -> None:
        self.answers[query.casefold()] = results

    def data_requests(self) -> int:
        return self.count("/geo/")

    def handle(self, request: Request) -> Reply:
        if request.path != "/geo/1.0/direct":
            return Reply.json(404, {"cod": "404", "message": "Internal error"})
        q = {k: v[-1] for k, v in request.query.items()}
        if q.get("appid") != self.api_key:
            return Reply.json(401, INVALID_KEY)
        query = q.get("q", "").strip()
        if not query:
            return Reply.json(400, {"cod": "400", "message": "Nothing to geocode"})
        limit = min(5, max(1, int(q.get("limit", "5"))))
        return Reply.json(200, copy.deepcopy(self.answers.get(query.casefold(), []))[:limit])


def place(name: str, lat: float, lon: float, country: str, state: str | None = None, **local: str) -> dict[str, Any]:
    """One result as OpenWeather gives it (``local_names`` absent when none are given)."""
    item: dict[str, Any] = {"name": name}
    if local:
        item["local_names"] = dict(local)
    item.update({"lat": lat, "lon": lon, "country": country})
    if state is not None:
        item["state"] = state
    return item
