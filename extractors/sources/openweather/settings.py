"""OpenWeather's settings, composed into :class:`extractors.config.Settings` (each variable is the field's name
in upper case: ``OPENWEATHER_API_KEY`` ...). The key is a secret: ``.get_secret_value()`` only where sent."""

from __future__ import annotations

from pydantic import BaseModel, NonNegativeFloat, SecretStr


class OpenWeatherSettings(BaseModel):
    openweather_api_key: SecretStr | None = None
    openweather_api_url: str = "https://api.openweathermap.org"
    openweather_min_interval: NonNegativeFloat = 1.0
