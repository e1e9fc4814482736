"""Spotify's settings, composed into :class:`extractors.config.Settings` (each variable is the field's name in
upper case: ``SPOTIFY_CLIENT_ID`` ...). The credentials are secrets: ``.get_secret_value()`` only where sent."""

from __future__ import annotations

from pydantic import BaseModel, NonNegativeFloat, SecretStr


class SpotifySettings(BaseModel):
    spotify_client_id: SecretStr | None = None
    spotify_client_secret: SecretStr | None = None
    spotify_refresh_token: SecretStr | None = None
    spotify_api_url: str = "https://api.spotify.com/v1"
    spotify_accounts_url: str = "https://accounts.spotify.com"
    spotify_min_interval: NonNegativeFloat = 0.1  # seconds between the starts of two requests to the Web API
