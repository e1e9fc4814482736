"""Fake API servers on 127.0.0.1 that speak the real wire formats (docs/apis.md).

They are the world at the network edge for the tests and for `make demo`: the real client code talks real
HTTP to them, including their failure modes (scripted with :class:`Fault`).
"""

from scripts.devkit.fakes.base import FakeServer, Fault
from scripts.devkit.fakes.spotify import FakeSpotify

__all__ = ["FakeServer", "FakeSpotify", "Fault"]
