"""MusicBrainz as the registry sees it (extractors/registry.py)."""

from __future__ import annotations

from extractors.registry import Source
from extractors.sources.musicbrainz import extract

SOURCE = Source(
    name="musicbrainz",
    help="""MusicBrainz artists and their areas, for every artist of the history not landed yet.

    Spotify artists are matched to an MBID by the best evidence: the MBID the history already carries,
    then recordings with the play's ISRC (the credit whose name matches), then the MusicBrainz URL entity
    of the Spotify artist page, then a name search (the same name; 50 names a request, a single search at
    score >= 90 for namesakes). Batched searches answer up to 100 keys a request; single lookups only for
    what a batch left. Honours MUSICBRAINZ_MIN_INTERVAL
    (default 1 s, MusicBrainz's rule). Needs MUSICBRAINZ_CONTACT (an e-mail or URL for the User-Agent).
    Run it after `spotify`: Spotify's answers give the names and ISRCs it matches with.
    """,
    endpoints=extract.ENDPOINTS,
    check_config=extract.check_config,
    extract=extract.extract,
    missing=extract.missing_keys,
)
