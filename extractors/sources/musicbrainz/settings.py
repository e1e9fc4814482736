"""MusicBrainz's settings, composed into :class:`extractors.config.Settings` (each variable is the field's name
in upper case: ``MUSICBRAINZ_CONTACT`` ...)."""

from __future__ import annotations

from pydantic import BaseModel, NonNegativeFloat


class MusicBrainzSettings(BaseModel):
    musicbrainz_contact: str | None = None  # in the User-Agent, as MusicBrainz asks; not a secret
    musicbrainz_api_url: str = "https://musicbrainz.org/ws/2"
    musicbrainz_min_interval: NonNegativeFloat = 1.0  # MusicBrainz allows one request a second
