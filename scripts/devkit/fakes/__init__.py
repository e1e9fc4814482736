"""Fake API servers on 127.0.0.1 that speak the real wire formats (docs/apis.md).

They are the world at the network edge for the tests and for `make demo`: the real client code talks real
HTTP to them, including their failure modes (scripted with :class:`Fault`). :data:`FAKES` has one per source
of the registry (extractors/registry.py), by the same name; a test keeps the two lists equal.
"""

from scripts.devkit.fakes.base import FakeServer, Fault
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.fakes.openweather import FakeOpenWeather
from scripts.devkit.fakes.spotify import FakeSpotify

FAKES: dict[str, type[FakeServer]] = {
    "spotify": FakeSpotify,
    "musicbrainz": FakeMusicBrainz,
    "openweather": FakeOpenWeather,
}

__all__ = ["FAKES", "FakeServer", "FakeSpotify", "Fault"]
