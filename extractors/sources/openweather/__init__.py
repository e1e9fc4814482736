"""OpenWeather geocoding, after the offline gazetteer: the coordinates of every artist's city."""
