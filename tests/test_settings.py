"""The production defaults (every other test overrides them for speed, so they are pinned here) and the
masking of secrets.

Defaults: ``load_settings`` with an empty environment, and the HTTP client each source builds from those
settings: its rules as constructed, and its pacing asserted on an injected clock (as tests/test_http.py does),
never on wall time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.catalog import Catalog
from extractors.config import REPO_REFERENCE_DIR, SECRET_FIELDS, Settings, load_settings
from extractors.http import HttpClient
from extractors.run import RunOptions
from extractors.sources.musicbrainz import extract as musicbrainz
from extractors.sources.musicbrainz.extract import MusicBrainzExtractor
from extractors.sources.openweather.extract import OpenWeatherExtractor
from extractors.sources.spotify.extract import SpotifyExtractor
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.worlds import make_musicbrainz_world
from tests.conftest import write_history
from tests.test_http import Echo, FakeTime

DEFAULTS = {
    "data_dir": Path("data"),
    "spotify_client_id": None,
    "spotify_client_secret": None,
    "spotify_refresh_token": None,
    "openweather_api_key": None,
    "musicbrainz_contact": None,
    "log_level": "INFO",
    "spotify_api_url": "https://api.spotify.com/v1",
    "spotify_accounts_url": "https://accounts.spotify.com",
    "musicbrainz_api_url": "https://musicbrainz.org/ws/2",
    "openweather_api_url": "https://api.openweathermap.org",
    "spotify_min_interval": 0.1,
    "musicbrainz_min_interval": 1.0,  # MusicBrainz allows one request a second
    "openweather_min_interval": 1.0,
    "retry_after_max": 120.0,
    "not_found_retry_days": 30,
    "http_timeout": 30.0,
    "http_max_retries": 5,
    "http_backoff_base": 1.0,
    "reference_dir": REPO_REFERENCE_DIR,
    "user_id": "me",
}

# what the production clients are built with: (min_interval, timeout, max_retries, backoff_base, retry_after_max)
CLIENT_RULES = {
    "spotify api": (0.1, 30.0, 5, 1.0, 120.0),
    "spotify accounts": (0.0, 30.0, 5, 1.0, 120.0),
    "musicbrainz": (1.0, 30.0, 5, 1.0, 120.0),
    "openweather": (1.0, 30.0, 5, 1.0, 120.0),
}

CREDENTIALS = {
    "SPOTIFY_CLIENT_ID": "cid-7f3a9e1d2c4b",
    "SPOTIFY_CLIENT_SECRET": "csecret-91ab27fe33d0",
    "SPOTIFY_REFRESH_TOKEN": "AQD-refresh-5e6f7a8b9c0d",
    "OPENWEATHER_API_KEY": "owkey-0a1b2c3d4e5f",
    "MUSICBRAINZ_CONTACT": "someone@example.org",
}
SECRETS = {name: CREDENTIALS[name.upper()] for name in SECRET_FIELDS}


def test_an_empty_environment_gives_the_production_defaults():
    settings = load_settings(env={})
    assert settings.model_dump() == DEFAULTS
    assert set(Settings.model_fields) == set(DEFAULTS)  # a new setting gets its default here


@pytest.fixture
def clients(tmp_path: Path) -> Iterator[dict[str, HttpClient]]:
    """The HTTP client of each source, built by its extractor from the default settings (credentials only)."""
    settings = load_settings(env={"DATA_DIR": str(tmp_path), **CREDENTIALS})
    catalog = Catalog(settings)
    spotify = SpotifyExtractor(settings, catalog, RunOptions(), "run")
    musicbrainz = MusicBrainzExtractor(settings, catalog, RunOptions(), "run")
    geo = OpenWeatherExtractor(settings, catalog, RunOptions(), "run")
    try:
        yield {
            "spotify api": spotify.api,
            "spotify accounts": spotify.accounts,
            "musicbrainz": musicbrainz.http,
            "openweather": geo.http,
        }
    finally:
        for extractor in (spotify, musicbrainz, geo):
            extractor.close()
        catalog.close()


def test_each_source_builds_its_client_with_the_default_rules(clients: dict[str, HttpClient]):
    built = {
        name: (c.min_interval, c.timeout, c.max_retries, c.backoff_base, c.retry_after_max)
        for name, c in clients.items()
    }
    assert built == CLIENT_RULES
    assert clients["openweather"].default_retry_after == 60.0  # OpenWeather's 429 has no Retry-After
    assert clients["musicbrainz"].user_agent.endswith("( someone@example.org )")


@pytest.mark.parametrize("name", list(CLIENT_RULES))
def test_each_sources_client_paces_its_requests_at_the_default_interval(clients: dict[str, HttpClient], name: str):
    """Three requests in a row, the caller taking no time between them: the client sleeps the source's
    interval before the second and the third (on an injected clock and sleeper)."""
    http = clients[name]
    t = FakeTime()
    http.sleep, http.clock = t.sleep, t.clock
    with Echo() as server:
        for _ in range(3):
            assert http.get(f"{server.url}/x").status == 200
        assert server.count("/x") == 3
    interval = CLIENT_RULES[name][0]
    assert t.sleeps == pytest.approx([interval, interval] if interval else [])
    if name == "musicbrainz":
        assert t.sleeps == [1.0, 1.0]  # one request a second, MusicBrainz's rule


def test_secrets_are_never_in_the_repr_nor_in_public(caplog: pytest.LogCaptureFixture):
    settings = load_settings(env={"DATA_DIR": "/tmp/x", **CREDENTIALS})
    assert {name: getattr(settings, name).get_secret_value() for name in SECRET_FIELDS} == SECRETS  # read, and kept
    assert set(SECRETS) == {
        "spotify_client_id",
        "spotify_client_secret",
        "spotify_refresh_token",
        "openweather_api_key",
    }
    public = settings.public()
    assert set(public) == set(DEFAULTS) - SECRET_FIELDS
    assert public["musicbrainz_contact"] == "someone@example.org"  # a contact is not a secret
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("settings %s %r %s", settings, settings, public)
    shown = [repr(settings), str(settings), f"{settings}", repr(public), str(public), caplog.text]
    for text in shown:
        for secret in SECRETS.values():
            assert secret not in text
    assert "/tmp/x" in repr(settings) and "someone@example.org" in repr(settings)  # the repr is not empty


def test_the_musicbrainz_extractor_waits_a_second_between_every_two_requests(
    fake_musicbrainz: FakeMusicBrainz, data_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    """The real extractor, in-process, against the fake MusicBrainz, at the default MUSICBRAINZ_MIN_INTERVAL: on
    an injected clock that only the sleeps advance, every request after the first waited exactly 1 s."""
    w = make_musicbrainz_world(n_isrc=4, n_url=2, n_name=2, n_history=1, n_none=1, seed=3)
    fake_musicbrainz.artists.update(w.artists)
    fake_musicbrainz.areas.update(w.areas)
    fake_musicbrainz.recordings.extend(w.recordings)
    fake_musicbrainz.urls.update(w.urls)
    write_history(data_dir, w.plays)
    t = FakeTime()
    built = MusicBrainzExtractor.__init__

    def with_fake_time(self: MusicBrainzExtractor, *args: object, **kwargs: object) -> None:
        built(self, *args, **kwargs)
        self.http.sleep, self.http.clock = t.sleep, t.clock

    monkeypatch.setattr(MusicBrainzExtractor, "__init__", with_fake_time)
    settings = load_settings(
        env={"DATA_DIR": str(data_dir), "MUSICBRAINZ_API_URL": fake_musicbrainz.api_url,
             "MUSICBRAINZ_CONTACT": "someone@example.org"}
    )  # fmt: skip
    catalog = Catalog(settings)
    try:
        result = musicbrainz.extract(settings, catalog, RunOptions(), "run")
    finally:
        catalog.close()
    assert result.ok
    made = fake_musicbrainz.data_requests()
    assert made == sum(w.expected_requests().values()) and len(fake_musicbrainz.requests) == made  # the truth
    assert t.sleeps == [1.0] * (made - 1)
