"""``python -m extractors auth spotify``: authorise this app for your Spotify account (work in progress)."""

from __future__ import annotations

import click


@click.group()
def auth() -> None:
    """Authorise the app for an API that needs your consent (Spotify's recently-played)."""
