"""What every command shares: settings with logging set up, one-line failures, the common options."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from extractors.config import Settings, load_settings, unknown_variable_warnings
from extractors.errors import ConfigError, ExtractorError

log = logging.getLogger("extractors")


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    logging.getLogger().setLevel(level)
    for noisy in ("urllib3", "requests"):
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level), logging.WARNING))


def settings_for(data_path: str | None) -> Settings:
    """The settings, with logging set up and a line for every variable that looks misspelt; exit 2 if invalid."""
    try:
        settings = load_settings(data_path)
    except ConfigError as exc:
        fail(exc)
    setup_logging(settings.log_level)
    for line in unknown_variable_warnings():
        click.echo(f"warning: {line}", err=True)
    return settings


def fail(exc: ExtractorError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def unexpected(exc: Exception) -> None:
    log.debug("unexpected error", exc_info=True)
    first = (str(exc).strip().splitlines() or [""])[0]
    click.echo(
        f"error: unexpected {type(exc).__name__}: {first}; everything written before stays "
        "(LOG_LEVEL=DEBUG shows the traceback)",
        err=True,
    )
    sys.exit(1)


@contextmanager
def reported_errors(interrupted: str) -> Iterator[None]:
    """A command's failures as one line each: an ExtractorError with its exit status, Ctrl-C with
    ``interrupted: <interrupted>`` (exit 130), a bug with ``unexpected`` (exit 1)."""
    try:
        yield
    except ExtractorError as exc:
        fail(exc)
    except KeyboardInterrupt:
        click.echo(f"interrupted: {interrupted}", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        unexpected(exc)


def data_path_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--data-path",
        type=click.Path(file_okay=False),
        default=None,
        help="Data folder holding src/ and raw/ (default: $DATA_DIR, else ./data).",
    )(func)


def extraction_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--limit",
                type=click.IntRange(min=1),
                default=None,
                help="Fetch at most N missing keys per endpoint this run (most-played first).",
            ),
            click.option(
                "--skip-on-error",
                is_flag=True,
                help="Keep going past a batch or source that fails after its retries (exit 1 at the end).",
            ),
            click.option(
                "--retry-not-found",
                is_flag=True,
                help="Ask again for keys answered 'not found' before (else only after NOT_FOUND_RETRY_DAYS).",
            ),
        ]
    ):
        func = option(func)
    return data_path_option(func)
