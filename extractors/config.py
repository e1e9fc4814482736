"""Configuration from the environment or ``.env`` (python-dotenv), as docs/contracts.md ("Settings") lists it.

Secrets are read here and nowhere else; ``Settings.__repr__`` hides them so they are never logged.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from dotenv import dotenv_values, load_dotenv

from extractors.errors import ConfigError

REPO_REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
# Every variable rws-music reads (the extractors, profiles.yml and the dbt models); .env.example lists them.
KNOWN_VARIABLES = (
    "DATA_DIR",
    "DUCKDB_PATH",
    "SPOTIFY_CLIENT_ID",
    "SPOTIFY_CLIENT_SECRET",
    "SPOTIFY_REFRESH_TOKEN",
    "MUSICBRAINZ_CONTACT",
    "OPENWEATHER_API_KEY",
    "LOG_LEVEL",
    "USER_ID",
    "LISTENER_TIMEZONE",
    "SPOTIFY_API_URL",
    "SPOTIFY_ACCOUNTS_URL",
    "MUSICBRAINZ_API_URL",
    "OPENWEATHER_API_URL",
    "SPOTIFY_MIN_INTERVAL",
    "MUSICBRAINZ_MIN_INTERVAL",
    "OPENWEATHER_MIN_INTERVAL",
    "RETRY_AFTER_MAX",
    "NOT_FOUND_RETRY_DAYS",
    "HTTP_TIMEOUT",
    "HTTP_MAX_RETRIES",
    "HTTP_BACKOFF_BASE",
    "REFERENCE_DIR",
)
# Prefixes of names that can only be meant for us: an unknown one in the environment is worth a line too.
OUR_PREFIXES = ("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_")
SECRET_FIELDS = frozenset(
    {"spotify_client_id", "spotify_client_secret", "spotify_refresh_token", "openweather_api_key"}
)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number: set it to seconds, e.g. {name}={default}") from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r} is negative: set it to 0 or more seconds")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number, e.g. {name}={default}") from None
    if value < 0:
        raise ConfigError(f"{name}={raw!r} is negative: set it to 0 or more")
    return value


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    spotify_client_id: str | None = field(default=None, repr=False)
    spotify_client_secret: str | None = field(default=None, repr=False)
    spotify_refresh_token: str | None = field(default=None, repr=False)
    openweather_api_key: str | None = field(default=None, repr=False)
    musicbrainz_contact: str | None = None
    log_level: str = "INFO"
    spotify_api_url: str = "https://api.spotify.com/v1"
    spotify_accounts_url: str = "https://accounts.spotify.com"
    musicbrainz_api_url: str = "https://musicbrainz.org/ws/2"
    openweather_api_url: str = "https://api.openweathermap.org"
    spotify_min_interval: float = 0.1
    musicbrainz_min_interval: float = 1.0
    openweather_min_interval: float = 1.0
    retry_after_max: float = 120.0
    not_found_retry_days: int = 30
    http_timeout: float = 30.0
    http_max_retries: int = 5
    http_backoff_base: float = 1.0
    reference_dir: Path = REPO_REFERENCE_DIR
    # the person every listen belongs to, whatever the source (``--user-id`` overrides it)
    user_id: str = "me"

    @property
    def src_dir(self) -> Path:
        return self.data_dir / "src"

    @property
    def tracks_played_dir(self) -> Path:
        return self.src_dir / "tracks_played"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def work_dirs(self) -> tuple[Path, ...]:
        """The folders runs write into (history, landed answers, cursors)."""
        return (self.src_dir, self.raw_dir, self.data_dir / "state")

    def public(self) -> dict[str, object]:
        """The settings without secrets, for logs and ``status``."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in SECRET_FIELDS}


def unknown_variable_warnings(env_file: Path | None = None, environ: Mapping[str, str] | None = None) -> list[str]:
    """One line per variable that looks like a misspelt setting of ours, so a typo is not silently ignored.

    Checked: every name in ``env_file`` (default ``./.env``), and names in ``environ`` (default
    ``os.environ``) that start like ours (``SPOTIFY_``, ``MUSICBRAINZ_``, ``OPENWEATHER_``). A name close to
    one of ``KNOWN_VARIABLES`` gets "did you mean"; a name with our prefix and no close match is named alone;
    anything else in the environment is not ours to judge. ``DBT_*`` variables are dbt's own.
    """
    env_file = Path.cwd() / ".env" if env_file is None else env_file
    environ = os.environ if environ is None else environ
    names: dict[str, str] = {}
    if env_file.is_file():
        try:
            names.update({name: str(env_file) for name in dotenv_values(env_file)})
        except (OSError, UnicodeDecodeError) as exc:
            return [f"{env_file}: cannot be read ({exc}); fix or remove it"]
    names.update({name: "the environment" for name in environ if name.startswith(OUR_PREFIXES) and name not in names})
    lines = []
    for name, where in sorted(names.items()):
        if name in KNOWN_VARIABLES or name.startswith("DBT_"):
            continue
        if "EMAIL" in name or "CONTACT" in name:  # MusicBrainz's own word for it, and other tools' name
            close = ["MUSICBRAINZ_CONTACT"]
        else:
            close = difflib.get_close_matches(name, KNOWN_VARIABLES, n=1, cutoff=0.6)
        if close:
            lines.append(f"{where}: {name} is not a setting of rws-music; did you mean {close[0]}?")
        elif name.startswith(OUR_PREFIXES):
            lines.append(f"{where}: {name} is not a setting of rws-music (.env.example lists them all)")
    return lines


def load_settings(data_path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: ``os.environ`` after loading ``.env`` from the working directory).

    ``data_path`` (the ``--data-path`` option) overrides ``DATA_DIR``.
    """
    if env is None:
        load_dotenv(Path.cwd() / ".env", override=False)
        env = os.environ
    data_dir = Path(data_path) if data_path else Path(env.get("DATA_DIR", "").strip() or "data")
    level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"LOG_LEVEL={level!r} is not a log level: use DEBUG, INFO, WARNING or ERROR")
    return Settings(
        data_dir=data_dir,
        spotify_client_id=_optional(env, "SPOTIFY_CLIENT_ID"),
        spotify_client_secret=_optional(env, "SPOTIFY_CLIENT_SECRET"),
        spotify_refresh_token=_optional(env, "SPOTIFY_REFRESH_TOKEN"),
        openweather_api_key=_optional(env, "OPENWEATHER_API_KEY"),
        musicbrainz_contact=_optional(env, "MUSICBRAINZ_CONTACT"),
        log_level=level,
        spotify_api_url=(_optional(env, "SPOTIFY_API_URL") or Settings.spotify_api_url).rstrip("/"),
        spotify_accounts_url=(_optional(env, "SPOTIFY_ACCOUNTS_URL") or Settings.spotify_accounts_url).rstrip("/"),
        musicbrainz_api_url=(_optional(env, "MUSICBRAINZ_API_URL") or Settings.musicbrainz_api_url).rstrip("/"),
        openweather_api_url=(_optional(env, "OPENWEATHER_API_URL") or Settings.openweather_api_url).rstrip("/"),
        spotify_min_interval=_float(env, "SPOTIFY_MIN_INTERVAL", Settings.spotify_min_interval),
        musicbrainz_min_interval=_float(env, "MUSICBRAINZ_MIN_INTERVAL", Settings.musicbrainz_min_interval),
        openweather_min_interval=_float(env, "OPENWEATHER_MIN_INTERVAL", Settings.openweather_min_interval),
        retry_after_max=_float(env, "RETRY_AFTER_MAX", Settings.retry_after_max),
        not_found_retry_days=_int(env, "NOT_FOUND_RETRY_DAYS", Settings.not_found_retry_days),
        http_timeout=_float(env, "HTTP_TIMEOUT", Settings.http_timeout),
        http_max_retries=_int(env, "HTTP_MAX_RETRIES", Settings.http_max_retries),
        http_backoff_base=_float(env, "HTTP_BACKOFF_BASE", Settings.http_backoff_base),
        reference_dir=Path(env.get("REFERENCE_DIR", "").strip() or REPO_REFERENCE_DIR),
        user_id=_optional(env, "USER_ID") or Settings.user_id,
    )
