"""The environment that points the extractors at the fake APIs: as a user's .env would, with no real credential."""

from __future__ import annotations

import os
from pathlib import Path

from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.fakes.spotify import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, FakeSpotify

REPO = Path(__file__).resolve().parent.parent.parent


def spotify_env(fake: FakeSpotify, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "DATA_DIR": str(data_dir),
            "SPOTIFY_API_URL": fake.api_url,
            "SPOTIFY_ACCOUNTS_URL": fake.url,
            "SPOTIFY_CLIENT_ID": CLIENT_ID,
            "SPOTIFY_CLIENT_SECRET": CLIENT_SECRET,
            "SPOTIFY_REFRESH_TOKEN": REFRESH_TOKEN,
            "SPOTIFY_MIN_INTERVAL": "0",
            "HTTP_BACKOFF_BASE": "0.01",
            "HTTP_TIMEOUT": "5",
            "LOG_LEVEL": "INFO",
        }
    )
    env.update(extra)
    return env


def musicbrainz_env(fake: FakeMusicBrainz, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "DATA_DIR": str(data_dir),
            "MUSICBRAINZ_API_URL": fake.api_url,
            "MUSICBRAINZ_CONTACT": "listener@example.org",
            "MUSICBRAINZ_MIN_INTERVAL": "0",
            "HTTP_BACKOFF_BASE": "0.01",
            "HTTP_TIMEOUT": "5",
            "LOG_LEVEL": "INFO",
        }
    )
    env.update(extra)
    return env
