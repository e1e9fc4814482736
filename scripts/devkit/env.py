"""The environment that points the extractors at the fake APIs: as a user's .env would, with no real credential."""

from __future__ import annotations

import os
from pathlib import Path

from extractors.config import OUR_PREFIXES
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.fakes.spotify import FakeSpotify

REPO = Path(__file__).resolve().parent.parent.parent
# quick retries and short timeouts against the fakes; the production defaults are pinned in tests/test_settings.py
FAST_HTTP = {"HTTP_BACKOFF_BASE": "0.01", "HTTP_TIMEOUT": "5", "LOG_LEVEL": "INFO"}


def base_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any credential or API setting of ours, the repository importable and
    DATA_DIR at ``data_dir``, then ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}
    env.update({"PYTHONPATH": str(REPO), "DATA_DIR": str(data_dir), **settings})
    return env


def spotify_env(fake: FakeSpotify, data_dir: Path, **extra: str) -> dict[str, str]:
    # extra overrides any of them, as a test's own setting must
    return base_env(data_dir, **{**fake.settings(), **FAST_HTTP, **extra})


def musicbrainz_env(fake: FakeMusicBrainz, data_dir: Path, **extra: str) -> dict[str, str]:
    return base_env(data_dir, **{**fake.settings(), **FAST_HTTP, **extra})
