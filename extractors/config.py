"""Configuration from the environment or ``.env`` (python-dotenv), as docs/contracts.md ("Settings") lists it.

:class:`Settings` is a pydantic-settings model composed of the settings every source keeps in its own package
(``extractors/sources/<name>/settings.py``) and the shared ones below; each environment variable is its field's
name in upper case. Secrets are ``SecretStr``: shown masked, read with ``.get_secret_value()`` only where they
are sent, so they are never logged.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values, load_dotenv
from pydantic import AliasGenerator, NonNegativeFloat, NonNegativeInt, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

from extractors.errors import ConfigError
from extractors.sources.musicbrainz.settings import MusicBrainzSettings
from extractors.sources.openweather.settings import OpenWeatherSettings
from extractors.sources.spotify.settings import SpotifySettings

REPO_REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


# the sources' fields come first, in the registry's order (pydantic orders the fields of the bases last to first)
class Settings(OpenWeatherSettings, MusicBrainzSettings, SpotifySettings, BaseSettings):
    """Every setting of the extractors. ``Settings(...)`` holds what it is given (by field name or by variable
    name) and the defaults; :func:`load_settings` reads the environment and ``.env``."""

    model_config = SettingsConfigDict(
        alias_generator=AliasGenerator(validation_alias=str.upper),  # spotify_api_url <- SPOTIFY_API_URL
        validate_by_name=True,
        validate_by_alias=True,
        case_sensitive=True,
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )

    data_dir: Path = Path("data")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    retry_after_max: NonNegativeFloat = 120.0
    not_found_retry_days: NonNegativeInt = 30
    http_timeout: NonNegativeFloat = 30.0
    http_max_retries: NonNegativeInt = 5
    http_backoff_base: NonNegativeFloat = 1.0
    reference_dir: Path = REPO_REFERENCE_DIR
    # the person every listen belongs to, whatever the source (``--user-id`` overrides it)
    user_id: str = "me"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("*", mode="after")
    @classmethod
    def _no_trailing_slash(cls, value: object, info: Any) -> object:
        """Every ``*_url`` setting without its trailing ``/`` (paths are appended to it)."""
        return value.rstrip("/") if isinstance(value, str) and info.field_name.endswith("_url") else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # only what is passed: load_settings passes what it read from the environment (see Environment)
        return (init_settings,)

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
    def history_cache_dir(self) -> Path:
        """The extractors' summary of the history files they have read (extractors/history_summary.py): a cache,
        safe to delete."""
        return self.data_dir / "cache" / "history"

    @property
    def work_dirs(self) -> tuple[Path, ...]:
        """The folders runs write into (history, landed answers, cursors, the history's summary cache)."""
        return (self.src_dir, self.raw_dir, self.data_dir / "state", self.data_dir / "cache")

    def public(self) -> dict[str, object]:
        """The settings without secrets, for logs and ``status``."""
        return {name: getattr(self, name) for name in type(self).model_fields if name not in SECRET_FIELDS}


SECRET_FIELDS = frozenset(
    name for name, info in Settings.model_fields.items() if info.annotation in (SecretStr, SecretStr | None)
)
# The variable of each setting (its field's name in upper case).
VARIABLES = {name.upper(): name for name in Settings.model_fields}
# Every variable rws-music reads (the extractors, profiles.yml and the dbt models); .env.example lists them.
KNOWN_VARIABLES = (*VARIABLES, "DUCKDB_PATH", "LISTENER_TIMEZONE")  # the last two: dbt's only
# Prefixes of names that can only be meant for us: an unknown one in the environment is worth a line too.
OUR_PREFIXES = ("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_")


class Environment(EnvSettingsSource):
    """pydantic-settings' environment source over ``environ`` instead of ``os.environ`` (tests pass their own),
    each value stripped: a blank value is no value, as an empty one is (the default holds)."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self.environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        stripped = {name: value.strip() for name, value in self.environ.items() if name in VARIABLES}
        return parse_env_vars(stripped, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def _problem(error: Mapping[str, Any]) -> str:
    """One line for one invalid value: the variable, the value, and what to set instead."""
    where = str(error["loc"][0]) if error["loc"] else "?"
    name, variable = VARIABLES.get(where.upper(), where), where.upper()
    raw, kind = error["input"], error["type"]
    default = Settings.model_fields[name].default if name in Settings.model_fields else None
    if kind == "float_parsing" or (kind == "greater_than_equal" and str(raw).strip().lower() in ("nan", "-nan")):
        return f"{variable}={raw!r} is not a number: set it to seconds, e.g. {variable}={default}"
    if kind in ("int_parsing", "int_from_float"):
        return f"{variable}={raw!r} is not a whole number, e.g. {variable}={default}"
    if kind == "greater_than_equal":
        seconds = " seconds" if isinstance(default, float) else ""
        return f"{variable}={raw!r} is negative: set it to 0 or more{seconds}"
    if kind == "literal_error" and name == "log_level":
        return f"{variable}={raw!r} is not a log level: use DEBUG, INFO, WARNING or ERROR"
    return f"{variable}={raw!r}: {error['msg']}"


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

    ``data_path`` (the ``--data-path`` option) overrides ``DATA_DIR``. A value that is not valid raises
    ConfigError with one line naming the variable and what to set.
    """
    if env is None:
        # into the environment, not only into Settings: dbt reads DATA_DIR, USER_ID, ... there too
        load_dotenv(Path.cwd() / ".env", override=False)
        env = os.environ
    values = Environment(Settings, env)()
    if data_path:
        values = {**values, "DATA_DIR": str(data_path)}
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigError(_problem(exc.errors()[0])) from None
