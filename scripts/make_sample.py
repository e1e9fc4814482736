"""Regenerate the bundled sample under ``data/sample/``, byte for byte the same on every run.

    uv run python -m scripts.make_sample            # writes data/sample/
    uv run python -m scripts.make_sample --out DIR  # writes DIR instead (tests)

What it writes:

* ``recordings/spotify/artists.json``, ``albums.json``, ``tracks.json``: JSON objects mapping a Spotify id to
  the full Web API object (extended-quota, pre-2026 shape: artists still carry ``followers``, ``popularity``
  and ``genres``, albums ``label`` and ``popularity``). The fake Spotify of ``make demo`` answers from them.
* ``tracks_played.parquet``: about 400 synthetic plays of one user, 2024-01 .. 2026-11, in the contract's
  columns and types (design.md, ``tracks_played``), written by DuckDB.

The artists, albums and track titles are real; the plays are invented. Spotify artist ids and MusicBrainz
ids are real where they were checked, otherwise the Spotify id is a fabricated (deterministic) base62 id and
the MBID is None. Album and track ids are fabricated except for a few well-known albums. ISRCs and UPCs are
well-formed but made up. An album's ``tracks`` lists only the sampled tracks while ``total`` and
``total_tracks`` keep the real count (the same trimming as the example in api-shapes.md 1.5).

Deliberate cases in ``tracks_played.parquet`` (the extractors and dbt models are tested against them):

1. Full rows (~85%, play_source ``spotify_recently_played``): track_id/_uri/_isrc, album_id/_uri, album,
   artist_id, duration_ms and popularity all set; every id resolves in the recordings.
2. Track-only rows (~5%, play_source ``spotify_extended_history``): track_id and track_uri only; album_id,
   album_uri, artist_id, track_isrc, duration_ms and popularity are NULL, so the extractor must fetch the
   track first to learn its album and artist. Three albums (Radiohead "In Rainbows", Mdou Moctar "Afrique
   Victime", Cesaria Evora "Miss Perfumado") and two artists (Mdou Moctar, Cesaria Evora) are reachable only
   through these tracks; two rows are Bjork tracks whose album and artist are also played directly.
3. Scrobbles (~10%, play_source ``lastfm``): no Spotify ids at all; track_name, artist, album, played_at
   (whole seconds) and artist_mbid where MusicBrainz knows the artist (NULL otherwise). The Beatles appear
   only here, and their titles lack Spotify's " - Remastered 2009" suffix.
4. Two plays of a track id Spotify no longer knows (``UNKNOWN_TRACK_ID``, absent from tracks.json), with
   album_id and artist_id NULL: the tracks endpoint must land it as "not found".
5. One play (play_source ``legacy_import``, no track id) whose artist_id ``UNKNOWN_ARTIST_ID`` and album_id
   ``UNKNOWN_ALBUM_ID`` are absent from artists.json / albums.json: Spotify answers null / 404.
6. One exact duplicate of a full row (same user_id, played_at, track_id and everything else): loading must
   count that play once.

Catalogue quirks worth knowing: release dates in all three precisions (year, month, day); album types album,
single and compilation; three artists with no genres (Mdou Moctar, Ladysmith Black Mambazo, Angelique
Kidjo); one track with two artists (Burna Boy "Different" with Angelique Kidjo); "Dancing Queen" on two ABBA
albums under two track ids with one ISRC; Bad Bunny from Puerto Rico (a territory with its own ISO code);
Mdou Moctar with a country-only location (Niger, not Nigeria); Rosalia from a municipality.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "sample"
SEED = 2026
USER_ID = "sample-user"
API = "https://api.spotify.com/v1"
OPEN = "https://open.spotify.com"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# A short, fixed market list keeps the recordings small; real answers list ~185 markets.
MARKETS = (
    "AR", "AU", "BE", "BJ", "BR", "CA", "CO", "CV", "DE", "ES", "FR", "GB", "IE", "IN", "IS", "JP", "KR", "MX",
    "NE", "NG", "NZ", "PR", "SE", "SN", "US", "ZA",
)  # fmt: skip

FIRST_DAY = datetime(2024, 1, 1)
LAST_DAY = datetime(2026, 11, 20)  # plays fall on days in [FIRST_DAY, LAST_DAY]


# ---------------------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """Where MusicBrainz should place the artist: later issues geocode it."""

    city: str | None
    subdivision: str | None  # ISO 3166-2, where the country has them
    country: str  # ISO 3166-1 alpha-2
    note: str = ""


@dataclass(frozen=True)
class Artist:
    key: str
    name: str
    spotify_id: str | None  # None: a fabricated id is derived from the key
    mbid: str | None  # None: not known (or not checked)
    genres: tuple[str, ...]
    popularity: int
    followers: int
    place: Place


@dataclass(frozen=True)
class T:
    """One sampled track of an album."""

    number: int
    name: str
    duration_ms: int
    explicit: bool = False
    also: tuple[str, ...] = ()  # keys of further credited artists
    same_recording_as: tuple[str, int] | None = None  # (album key, number): reuse that track's ISRC


@dataclass(frozen=True)
class Album:
    key: str
    artist: str
    name: str
    album_type: str
    release_date: str
    label: str
    total_tracks: int
    isrc_prefix: str  # country code + registrant, e.g. GBAYE
    tracks: tuple[T, ...]
    spotify_id: str | None = None


def P(city: str | None, subdivision: str | None, country: str, note: str = "") -> Place:
    return Place(city, subdivision, country, note)


ARTISTS: tuple[Artist, ...] = (
    Artist("radiohead", "Radiohead", "4Z8W4fKeB5YxbusRsdQVPb", "a74b1b7f-71a5-4011-9441-d0b5e4122711",
           ("alternative rock", "art rock", "melancholia", "oxford indie", "permanent wave", "rock"),
           81, 9_843_122, P("Abingdon", "GB-ENG", "GB")),
    Artist("bjork", "Björk", "7w29UYBi0qsHi5RTcv3lmA", "87c5dedd-371d-4a53-9f7f-80522fb7f3cb",
           ("art pop", "electronica", "experimental pop", "icelandic experimental", "icelandic pop", "trip hop"),
           61, 2_351_904, P("Reykjavík", None, "IS")),
    Artist("daft_punk", "Daft Punk", "4tZwfgrHOc3mvqYlEYSvVN", "056e4f3e-d505-4dad-8ec1-d04f521cbb56",
           ("electro", "filter house", "french house"), 80, 9_271_554, P("Paris", "FR-IDF", "FR")),
    Artist("bad_bunny", "Bad Bunny", "4q3ewBCX7sLwd24euuV69X", "89aa5ecb-59ad-46f5-b3eb-2d424e941f19",
           ("reggaeton", "trap latino", "urbano latino"), 95, 82_603_415,
           P("Vega Baja", None, "PR", "Puerto Rico: a US territory with its own ISO 3166-1 code (also US-PR)")),
    Artist("taylor_swift", "Taylor Swift", "06HL4z0CvFAxyc27GXpf02", "20244d07-534f-4eff-b4d4-930878889970",
           ("pop",), 100, 124_505_867, P("West Reading", "US-PA", "US")),
    Artist("beyonce", "Beyoncé", "6vWDO969PvNqNYHIOW5v0m", "859d0860-d480-4efd-970c-c05d5f1776b8",
           ("pop", "r&b"), 86, 38_910_266, P("Houston", "US-TX", "US")),
    Artist("drake", "Drake", "3TVXtAsR1Inumwj472S9r4", "9fff2f8a-21e6-47de-a2b8-7f449929d43f",
           ("canadian hip hop", "canadian pop", "hip hop", "pop rap", "rap", "toronto rap"),
           94, 92_118_370, P("Toronto", "CA-ON", "CA")),
    Artist("burna_boy", "Burna Boy", "3wcj11K77LjEY1PkEazffa", None,
           ("afrobeats", "afropop", "nigerian pop"), 79, 14_226_048, P("Port Harcourt", "NG-RI", "NG")),
    Artist("fela_kuti", "Fela Kuti", None, None,
           ("afrobeat", "afropop", "nigerian jazz"), 52, 731_440, P("Abeokuta", "NG-OG", "NG")),
    Artist("youssou_ndour", "Youssou N'Dour", None, None,
           ("mbalax", "senegalese pop", "world"), 44, 318_702, P("Dakar", "SN-DK", "SN")),
    Artist("tame_impala", "Tame Impala", "5INjqkS1o8h1imAzPqGZBb", "63aa26c3-d59b-4da4-84ac-716b54f1ef4d",
           ("australian psych", "modern rock", "neo-psychedelic", "psychedelic rock"),
           80, 8_412_903, P("Perth", "AU-WA", "AU")),
    Artist("lorde", "Lorde", "163tK9Wjr9P9DmM0AVK7lm", "8e494408-8620-4c6a-82c2-c2ca4a1e4f12",
           ("art pop", "metropopolis", "nz pop", "pop"), 77, 16_380_012, P("Auckland", "NZ-AUK", "NZ")),
    Artist("caetano_veloso", "Caetano Veloso", "7HGNYPmbDrMkylWqeFCOIQ", None,
           ("bossa nova", "mpb", "tropicalia"), 62, 1_741_538, P("Santo Amaro", "BR-BA", "BR")),
    Artist("soda_stereo", "Soda Stereo", "7An4yvF7hDYDolN4m5zKBp", None,
           ("argentine rock", "latin alternative", "latin rock", "rock en espanol"),
           70, 5_109_227, P("Buenos Aires", "AR-C", "AR")),
    Artist("bts", "BTS", "3Nrfpe0tUJi4K4DXYWgMUX", "0d79fe8e-ba27-4859-bb8c-2f255f346853",
           ("k-pop", "k-pop boy group"), 88, 77_652_480, P("Seoul", "KR-11", "KR")),
    Artist("hikaru_utada", "Hikaru Utada", "7lbSsjYACZHn1MSDXPxNF2", None,
           ("j-pop", "japanese singer-songwriter"), 68, 3_012_677,
           P("New York", "US-NY", "US", "born in New York, career in Tokyo (JP-13): MusicBrainz area Japan")),
    Artist("ar_rahman", "A.R. Rahman", None, None,
           ("desi pop", "filmi", "tamil pop"), 72, 23_448_915, P("Chennai", "IN-TN", "IN")),
    Artist("sigur_ros", "Sigur Rós", "6UUrUCIZtQeOf8tC0WuzRy", "f6f2326f-6b25-4170-b89d-e235b25508e8",
           ("bow pop", "icelandic rock", "post-rock"), 57, 1_436_090, P("Reykjavík", None, "IS")),
    Artist("abba", "ABBA", "0LcJLqbBmaGUft1e9Mm8HV", "d87e52c5-bb8d-4da8-b941-9f4928627dc8",
           ("europop", "swedish pop"), 84, 11_504_336, P("Stockholm", "SE-AB", "SE")),
    Artist("rammstein", "Rammstein", "6wWVKhxIU2cEi0K81v7HvP", "b2d122f9-eadb-4930-a196-8f221eeb0c66",
           ("german metal", "industrial metal", "neue deutsche harte"), 78, 9_120_558, P("Berlin", "DE-BE", "DE")),
    Artist("shakira", "Shakira", "0EmeFodog0BfCgMzAIvKQp", "bf24ca37-25f4-4e34-9aec-460b94364cfc",
           ("colombian pop", "dance pop", "latin pop", "pop"), 85, 36_287_441,
           P("Barranquilla", "CO-ATL", "CO")),
    Artist("kraftwerk", "Kraftwerk", "0dmPX6ovclgOy8WWJaFEUU", "5700dcd4-c139-4f31-aa3e-6382b9af9032",
           ("electronic", "german electronica", "krautrock", "synthpop"), 55, 1_216_734,
           P("Düsseldorf", "DE-NW", "DE")),
    Artist("arctic_monkeys", "Arctic Monkeys", "7Ln80lUS6He07XvHI8qqHH", "ada7a83c-e3e1-40f1-93f9-3e73dbc9298a",
           ("garage rock", "modern rock", "permanent wave", "rock", "sheffield indie"),
           86, 24_318_655, P("Sheffield", "GB-ENG", "GB")),
    Artist("rosalia", "ROSALÍA", "7ltDVBr6mKbRvohxheJ9h1", None,
           ("pop", "r&b en espanol"), 82, 10_203_987,
           P("Sant Esteve Sesrovires", "ES-CT", "ES", "a municipality (Baix Llobregat, Barcelona)")),
    Artist("angelique_kidjo", "Angélique Kidjo", None, None, (), 45, 262_118, P("Cotonou", "BJ-LI", "BJ")),
    Artist("ladysmith", "Ladysmith Black Mambazo", None, None, (), 47, 291_804, P("Ladysmith", "ZA-KZN", "ZA")),
    Artist("natalia_lafourcade", "Natalia Lafourcade", None, None,
           ("latin alternative", "latin pop", "mexican indie", "mexican pop"), 71, 4_028_373,
           P("Mexico City", "MX-CMX", "MX")),
    Artist("sade", "Sade", "47zz7sob9NUcODy0BTDvKx", None,
           ("british soul", "quiet storm", "sophisti-pop", "soul"), 74, 5_562_901,
           P("London", "GB-ENG", "GB", "the band; Sade Adu was born in Ibadan, NG")),
    Artist("nina_simone", "Nina Simone", "7G1GBhoKtEPnP86X2PvEYO", None,
           ("jazz blues", "soul", "vocal jazz"), 68, 4_611_072, P("Tryon", "US-NC", "US")),
    Artist("stromae", "Stromae", "5j4HeCoUlzhfWtjAfM1acR", None,
           ("belgian pop", "chanson", "francoton"), 70, 6_035_520, P("Brussels", "BE-BRU", "BE")),
    Artist("mdou_moctar", "Mdou Moctar", None, None, (), 41, 121_365,
           P(None, None, "NE", "country only: Niger, not Nigeria (NG)")),
    Artist("cold_war_kids", "Cold War Kids", "6VDdCwrBM4qQaGxoAyxyJC", None,
           ("garage rock", "indie folk", "indie pop", "indie rock", "indietronica", "la indie", "modern rock",
            "piano rock", "shimmer pop", "stomp and holler"), 70, 326_125, P("Long Beach", "US-CA", "US")),
    Artist("kendrick_lamar", "Kendrick Lamar", "2YZyLoL8N0Wb9xBt1NhZWg", "381086ea-f511-4aba-bdf9-71c753dc5077",
           ("conscious hip hop", "hip hop", "rap", "west coast rap"), 91, 33_870_224, P("Compton", "US-CA", "US")),
    Artist("ali_farka_toure", "Ali Farka Touré", None, None,
           ("desert blues", "malian blues", "world"), 45, 203_770, P("Niafunké", None, "ML")),
    Artist("beatles", "The Beatles", "3WrFJ7ztbogyGnTHbHJFl2", "b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d",
           ("british invasion", "classic rock", "merseybeat", "psychedelic rock", "rock"),
           85, 31_455_210, P("Liverpool", "GB-ENG", "GB")),
    Artist("cesaria_evora", "Cesária Évora", None, None,
           ("morna", "world"), 50, 402_515, P("Mindelo", None, "CV", "on the island of São Vicente")),
    Artist("ryuichi_sakamoto", "Ryuichi Sakamoto", None, None,
           ("japanese classical", "japanese soundtrack", "neo-classical"), 58, 1_009_336,
           P("Tokyo", "JP-13", "JP")),
)  # fmt: skip

ALBUMS: tuple[Album, ...] = (
    Album("ok_computer", "radiohead", "OK Computer", "album", "1997-05-21", "XL Recordings", 12, "GBAYE",
          (T(1, "Airbag", 287_333), T(2, "Paranoid Android", 387_213), T(6, "Karma Police", 264_066),
           T(10, "No Surprises", 229_120)), "6dVIqQ8qmQ5GBnJ9shOYGE"),
    Album("in_rainbows", "radiohead", "In Rainbows", "album", "2007-10-10", "XL Recordings", 10, "GBSTK",
          (T(1, "15 Step", 237_293), T(4, "Weird Fishes/Arpeggi", 318_186), T(7, "Reckoner", 290_145))),
    Album("homogenic", "bjork", "Homogenic", "album", "1997-09-22", "One Little Independent Records", 10,
          "GBCTB", (T(1, "Hunter", 255_440), T(2, "Jóga", 305_106), T(6, "Bachelorette", 312_933),
                    T(10, "All Is Full of Love", 272_240))),
    Album("discovery", "daft_punk", "Discovery", "album", "2001-03-12", "Parlophone (France)", 14, "FRZ03",
          (T(1, "One More Time", 320_357), T(3, "Digital Love", 301_373),
           T(4, "Harder, Better, Faster, Stronger", 224_693)), "2noRn2Aes5aoNVsU6iWThc"),
    Album("ram", "daft_punk", "Random Access Memories", "album", "2013-05-17", "Columbia", 13, "USQX9",
          (T(1, "Give Life Back to Music", 274_386), T(2, "The Game of Love", 321_893),
           T(13, "Contact", 381_440)), "4m2880jivSbbyEGAKfITCa"),
    Album("un_verano", "bad_bunny", "Un Verano Sin Ti", "album", "2022-05-06", "Rimas Entertainment LLC", 23,
          "QMFME", (T(1, "Moscow Mule", 245_940, True), T(4, "Tití Me Preguntó", 243_716, True),
                    T(9, "Efecto", 213_061, True))),
    Album("yhlqmdlg", "bad_bunny", "YHLQMDLG", "album", "2020-02-29", "Rimas Entertainment LLC", 20, "QMFME",
          (T(1, "Si Veo a Tu Mamá", 170_972, True), T(7, "Yo Perreo Sola", 172_540, True))),
    Album("1989_tv", "taylor_swift", "1989 (Taylor's Version)", "album", "2023-10-27", "Taylor Swift", 21,
          "USUG1", (T(1, "Welcome To New York (Taylor's Version)", 212_600),
                    T(2, "Blank Space (Taylor's Version)", 231_833), T(3, "Style (Taylor's Version)", 231_000))),
    Album("folklore", "taylor_swift", "folklore", "album", "2020-07-24", "Republic Records", 16, "USUG1",
          (T(1, "the 1", 210_240, True), T(2, "cardigan", 239_560), T(8, "august", 261_923))),
    Album("lemonade", "beyonce", "Lemonade", "album", "2016-04-23", "Parkwood Entertainment/Columbia", 12,
          "USSM1", (T(2, "Hold Up", 221_240, True), T(5, "Sorry", 232_560, True),
                    T(12, "Formation", 206_080, True))),
    Album("renaissance", "beyonce", "RENAISSANCE", "album", "2022-07-29", "Parkwood Entertainment/Columbia", 16,
          "USSM1", (T(4, "CUFF IT", 225_389, True), T(6, "BREAK MY SOUL", 278_282))),
    Album("take_care", "drake", "Take Care (Deluxe)", "album", "2011-11-15",
          "Cash Money Records/Young Money Ent./Universal Rec.", 20, "USCM5",
          (T(4, "Take Care", 277_386, True), T(9, "Headlines", 235_986, True),
           T(10, "Marvins Room", 347_146, True))),
    Album("african_giant", "burna_boy", "African Giant", "album", "2019-07-26",
          "Spaceship/Bad Habit/Atlantic/Warner Music International", 19, "USAT2",
          (T(1, "African Giant", 224_253), T(2, "Anybody", 203_027),
           T(3, "Different", 207_480, also=("angelique_kidjo",)), T(10, "Gbona", 181_200))),
    Album("twice_as_tall", "burna_boy", "Twice As Tall", "album", "2020-08-14",
          "Spaceship/Bad Habit/Atlantic/Warner Music International", 15, "USAT2",
          (T(4, "Wonderful", 199_653), T(11, "Way Too Big", 158_480))),
    Album("expensive_shit", "fela_kuti", "Expensive Shit", "album", "1975", "Knitting Factory Records", 2,
          "USKFR", (T(1, "Expensive Shit", 816_200), T(2, "Water No Get Enemy", 664_493))),
    Album("set", "youssou_ndour", "Set", "album", "1990", "Virgin Records", 14, "GBAAA",
          (T(1, "Set", 235_106), T(3, "Toxiques", 270_426))),
    Album("currents", "tame_impala", "Currents", "album", "2015-07-17", "Modular Recordings", 13, "AUUM7",
          (T(1, "Let It Happen", 467_587), T(3, "The Moment", 255_213),
           T(7, "The Less I Know The Better", 216_320), T(11, "New Person, Same Old Mistakes", 360_786))),
    Album("lonerism", "tame_impala", "Lonerism", "album", "2012-10-05", "Modular Recordings", 12, "AUUM7",
          (T(3, "Mind Mischief", 271_706), T(5, "Feels Like We Only Go Backwards", 192_053),
           T(6, "Elephant", 211_013))),
    Album("pure_heroine", "lorde", "Pure Heroine", "album", "2013-09-27", "Universal Music New Zealand Limited",
          10, "NZUM7", (T(1, "Tennis Court", 198_627), T(3, "Royals", 190_185), T(4, "Ribs", 258_760))),
    Album("melodrama", "lorde", "Melodrama", "album", "2017-06-16", "Universal Music New Zealand Limited", 11,
          "NZUM7", (T(1, "Green Light", 234_653), T(5, "Liability", 172_253), T(9, "Supercut", 277_573))),
    Album("transa", "caetano_veloso", "Transa", "album", "1972", "Universal Music Ltda.", 7, "BRPGD",
          (T(1, "You Don't Know Me", 228_373), T(2, "Nine Out of Ten", 290_933), T(3, "Triste Bahia", 576_400)),
          "49cBF5iGpJ7nx6EAR8BLga"),
    Album("cancion_animal", "soda_stereo", "Canción Animal", "album", "1990-08-07",
          "Sony Music Entertainment Argentina S.A.", 10, "ARF05",
          (T(1, "(En) El Séptimo Día", 300_733), T(6, "Canción Animal", 248_040),
           T(9, "De Música Ligera", 213_533))),
    Album("mots7", "bts", "MAP OF THE SOUL : 7", "album", "2020-02-21", "BIGHIT MUSIC", 20, "KRA40",
          (T(5, "Black Swan", 198_053), T(13, "ON", 246_244), T(15, "Filter", 180_266))),
    Album("butter", "bts", "Butter", "single", "2021-05-21", "BIGHIT MUSIC", 2, "KRA40",
          (T(1, "Butter", 164_441), T(2, "Butter (Instrumental)", 164_441))),
    Album("first_love", "hikaru_utada", "First Love", "album", "1999-03-10", "EMI Records Japan", 12, "JPTO0",
          (T(2, "Movin' on without you", 278_600), T(4, "First Love", 257_173), T(12, "Automatic", 306_066))),
    Album("slumdog", "ar_rahman", "Slumdog Millionaire (Music from the Motion Picture)", "compilation",
          "2008-11-24", "Interscope Records", 13, "USUM7",
          (T(3, "Mausam & Escape", 284_160), T(7, "Liquid Dance", 191_386), T(8, "Latika's Theme", 213_013),
           T(13, "Jai Ho", 319_560))),
    Album("agaetis", "sigur_ros", "Ágætis byrjun", "album", "1999-06-12", "Krunk", 10, "ISSMK",
          (T(2, "Svefn-g-englar", 604_040), T(3, "Starálfur", 407_000), T(7, "Olsen Olsen", 483_973)),
          "1DMMv1Kmoli3Y9fVEZDUVC"),
    Album("arrival", "abba", "Arrival", "album", "1976-10-11", "Polar Music International AB", 10, "SEAYD",
          (T(2, "Dancing Queen", 230_400), T(5, "Knowing Me, Knowing You", 241_600),
           T(6, "Money, Money, Money", 185_826))),
    Album("abba_gold", "abba", "ABBA Gold", "compilation", "1992-09-21", "Polar Music International AB", 19,
          "SEAYD", (T(1, "Dancing Queen", 230_400, same_recording_as=("arrival", 2)), T(4, "Mamma Mia", 213_066),
                    T(8, "The Winner Takes It All", 294_373), T(19, "Waterloo", 163_960))),
    Album("mutter", "rammstein", "Mutter", "album", "2001-04-02", "Universal Music GmbH", 11, "DEN06",
          (T(1, "Mein Herz brennt", 279_773), T(2, "Links 2-3-4", 216_440), T(3, "Sonne", 272_400),
           T(6, "Mutter", 268_533))),
    Album("laundry_service", "shakira", "Laundry Service", "album", "2001-11-13", "Epic", 13, "USSM1",
          (T(1, "Objection (Tango)", 223_640), T(2, "Underneath Your Clothes", 224_813),
           T(3, "Whenever, Wherever", 196_160))),
    Album("tee", "kraftwerk", "Trans-Europa Express", "album", "1977-03", "Parlophone UK", 7, "GBAYE",
          (T(1, "Europa Endlos", 578_946), T(3, "Schaufensterpuppen", 371_093), T(4, "Trans-Europa Express", 403_466))),
    Album("am", "arctic_monkeys", "AM", "album", "2013-09-09", "Domino Recording Co", 12, "GBCEL",
          (T(1, "Do I Wanna Know?", 272_394), T(2, "R U Mine?", 201_726), T(5, "Arabella", 207_360),
           T(12, "I Wanna Be Yours", 183_956))),
    Album("whatever", "arctic_monkeys", "Whatever People Say I Am, That's What I'm Not", "album", "2006-01-23",
          "Domino Recording Co", 13, "GBCEL",
          (T(2, "I Bet You Look Good On The Dancefloor", 173_680), T(8, "Mardy Bum", 175_173),
           T(9, "When The Sun Goes Down", 202_146))),
    Album("el_mal_querer", "rosalia", "EL MAL QUERER", "album", "2018-11-02", "Columbia", 11, "ES502",
          (T(1, "MALAMENTE - Cap.1: Augurio", 150_533), T(3, "PIENSO EN TU MIRÁ - Cap.3: Celos", 193_626),
           T(7, "BAGDAD - Cap.7: Liturgia", 172_440), T(8, "DI MI NOMBRE - Cap.8: Éxtasis", 158_293))),
    Album("motomami", "rosalia", "MOTOMAMI", "album", "2022-03-18", "Columbia", 16, "ES502",
          (T(1, "SAOKO", 137_773, True), T(4, "CANDY", 193_333), T(6, "HENTAI", 162_400, True),
           T(9, "BIZCOCHITO", 189_760))),
    Album("logozo", "angelique_kidjo", "Logozo", "album", "1991", "Mango", 12, "GBAAN",
          (T(1, "We-We", 270_106), T(2, "Batonga", 292_053))),
    Album("shaka_zulu", "ladysmith", "Shaka Zulu", "album", "1987", "Warner Records", 10, "USWB1",
          (T(1, "Unomathemba", 255_466), T(4, "Hello My Baby", 184_600))),
    Album("hasta_la_raiz", "natalia_lafourcade", "Hasta la Raíz", "album", "2015-03-17",
          "Sony Music Entertainment México, S.A. De C.V.", 12, "MXF01",
          (T(1, "Hasta la Raíz", 224_280), T(2, "Lo Que Construimos", 224_306), T(4, "Mi Lugar Favorito", 192_960))),
    Album("diamond_life", "sade", "Diamond Life", "album", "1984-07", "Epic", 9, "GBBBM",
          (T(1, "Smooth Operator", 298_920), T(2, "Your Love Is King", 221_813),
           T(3, "Hang On to Your Love", 356_160))),
    Album("pastel_blues", "nina_simone", "Pastel Blues", "album", "1965", "Verve Reissues", 9, "USPR3",
          (T(1, "Be My Husband", 183_426), T(3, "Trouble in Mind", 163_213), T(9, "Sinnerman", 622_066))),
    Album("racine_carree", "stromae", "Racine Carrée", "album", "2013-08-16", "Mosaert", 13, "BEHP1",
          (T(1, "Ta fête", 177_373), T(2, "Papaoutai", 232_146), T(6, "Tous les mêmes", 213_253),
           T(8, "Formidable", 214_066))),
    Album("multitude", "stromae", "Multitude", "album", "2022-03-04", "Mosaert", 12, "BEHP1",
          (T(1, "Invaincu", 160_626), T(2, "Santé", 186_053), T(4, "L'enfer", 189_813))),
    Album("afrique_victime", "mdou_moctar", "Afrique Victime", "album", "2021-05-21", "Matador", 9, "USMTD",
          (T(1, "Chismiten", 286_173), T(3, "Taliat", 266_360), T(9, "Afrique Victime", 424_813))),
    Album("robbers", "cold_war_kids", "Robbers & Cowards", "album", "2006-10-10", "Downtown Records", 11, "USDWT",
          (T(1, "We Used To Vacation", 213_720), T(2, "Hang Me Up To Dry", 223_546), T(5, "Saint John", 219_493))),
    Album("tpab", "kendrick_lamar", "To Pimp A Butterfly", "album", "2015-03-16", "Aftermath", 16, "USUM7",
          (T(1, "Wesley's Theory", 287_226, True), T(3, "King Kunta", 234_893, True),
           T(7, "Alright", 219_333, True), T(13, "The Blacker The Berry", 328_066, True))),
    Album("not_like_us", "kendrick_lamar", "Not Like Us", "single", "2024-05-04", "Interscope Records", 1,
          "USUG1", (T(1, "Not Like Us", 274_192, True),)),
    Album("savane", "ali_farka_toure", "Savane", "album", "2006-07", "World Circuit", 12, "GBBJB",
          (T(1, "Erdi", 300_426), T(7, "Soya", 340_813))),
    Album("abbey_road", "beatles", "Abbey Road (Remastered)", "album", "1969-09-26", "EMI Catalogue", 17,
          "GBAYE", (T(1, "Come Together - Remastered 2009", 259_946), T(2, "Something - Remastered 2009", 182_293),
                    T(7, "Here Comes The Sun - Remastered 2009", 185_733))),
    Album("miss_perfumado", "cesaria_evora", "Miss Perfumado", "album", "1992", "Lusafrica", 10, "FRLSA",
          (T(2, "Sodade", 191_226), T(5, "Angola", 236_520), T(9, "Lua Nha Testemunha", 322_493))),
    Album("mcml", "ryuichi_sakamoto", "Merry Christmas Mr. Lawrence (Original Motion Picture Soundtrack)",
          "album", "1983-05", "Milan Records", 19, "FRM47",
          (T(1, "Merry Christmas Mr. Lawrence", 282_946), T(4, "The Seed and the Sower", 304_600))),
)  # fmt: skip

# The deliberate unknown ids (fabricated, never in the recordings).
UNKNOWN_TRACK_ID = "0GoneFromSpotify0Track"
UNKNOWN_ARTIST_ID = "0GoneFromSpotify0Artst"
UNKNOWN_ALBUM_ID = "0GoneFromSpotify0Album"

# Plays in full rows per artist; artists not named get 1-3 plays (the long tail).
FAVOURITES = {
    "radiohead": 50, "tame_impala": 38, "rosalia": 32, "burna_boy": 30, "bjork": 24, "kendrick_lamar": 22,
    "arctic_monkeys": 19, "daft_punk": 17, "bad_bunny": 15, "lorde": 14, "caetano_veloso": 12, "stromae": 10,
    "sade": 9, "taylor_swift": 8, "beyonce": 7, "bts": 6,
}  # fmt: skip
NOT_IN_FULL_ROWS = {"mdou_moctar", "cesaria_evora", "beatles"}  # reachable only otherwise
HIDDEN_ALBUMS = {"in_rainbows", "afrique_victime", "miss_perfumado"}  # only through track-only rows
TRACK_ONLY_PLAYS = {  # (album, track number): plays in track-only rows
    ("in_rainbows", 1): 3, ("in_rainbows", 4): 2, ("in_rainbows", 7): 2,
    ("afrique_victime", 1): 3, ("afrique_victime", 9): 2, ("afrique_victime", 3): 1,
    ("miss_perfumado", 2): 3, ("miss_perfumado", 5): 2,
    ("homogenic", 2): 1, ("homogenic", 10): 1,
}  # fmt: skip
SCROBBLES = {  # artist: plays as last.fm scrobbles
    "beatles": 9, "radiohead": 5, "bjork": 4, "sigur_ros": 3, "kraftwerk": 4, "nina_simone": 4, "abba": 3,
    "arctic_monkeys": 2, "daft_punk": 2, "fela_kuti": 2, "cold_war_kids": 1, "tame_impala": 1,
}  # fmt: skip
# Relative weight of each hour of the day (UTC): mornings, a quiet afternoon, busy evenings, some nights.
HOUR_WEIGHTS = (5, 4, 3, 1, 1, 1, 2, 5, 6, 4, 3, 3, 4, 3, 3, 4, 5, 8, 11, 13, 14, 13, 10, 7)


# ---------------------------------------------------------------------------------------------------------
# Deterministic helpers
# ---------------------------------------------------------------------------------------------------------
def _digest(*parts: object) -> bytes:
    return hashlib.sha256(":".join(["rws-music-sample", *map(str, parts)]).encode()).digest()


def fake_id(kind: str, key: str) -> str:
    """A fabricated 22-character base62 Spotify-style id, stable for (kind, key)."""
    n = int.from_bytes(_digest(kind, key), "big")
    chars = []
    for _ in range(22):
        n, r = divmod(n, 62)
        chars.append(B62[r])
    return "".join(chars)


def _number(*parts: object) -> int:
    return int.from_bytes(_digest(*parts)[:8], "big")


def image_url(kind: str, spotify_id: str, size: int) -> str:
    return "https://i.scdn.co/image/" + hashlib.sha1(f"{kind}:{spotify_id}:{size}".encode()).hexdigest()


def gtin(body: str) -> str:
    """Append the GS1 check digit to a UPC-A (11 digits) or EAN-13 (12 digits) body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def precision(release_date: str) -> str:
    return {4: "year", 7: "month", 10: "day"}[len(release_date)]


# ---------------------------------------------------------------------------------------------------------
# Building the Spotify objects
# ---------------------------------------------------------------------------------------------------------
@dataclass
class Catalogue:
    artists: dict[str, Artist]
    albums: dict[str, Album]
    artist_ids: dict[str, str] = field(default_factory=dict)
    album_ids: dict[str, str] = field(default_factory=dict)
    track_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    isrcs: dict[tuple[str, int], str] = field(default_factory=dict)
    track_popularity: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def build(cls) -> Catalogue:
        cat = cls({a.key: a for a in ARTISTS}, {a.key: a for a in ALBUMS})
        for artist in ARTISTS:
            cat.artist_ids[artist.key] = artist.spotify_id or fake_id("artist", artist.key)
        for album in ALBUMS:
            cat.album_ids[album.key] = album.spotify_id or fake_id("album", album.key)
            year = int(album.release_date[:4]) % 100
            serial = _number("isrc", album.key) % 900 + 100
            base = cat.artists[album.artist].popularity
            for t in album.tracks:
                key = (album.key, t.number)
                cat.track_ids[key] = fake_id("track", f"{album.key}:{t.number}")
                cat.isrcs[key] = f"{album.isrc_prefix}{year:02d}{serial:03d}{t.number:02d}"
                cat.track_popularity[key] = max(0, min(100, base - 12 + _number("pop", *key) % 20))
        for album in ALBUMS:
            for t in album.tracks:
                if t.same_recording_as:
                    cat.isrcs[(album.key, t.number)] = cat.isrcs[t.same_recording_as]
        return cat

    # -- pieces ---------------------------------------------------------------------------------------
    def simple_artist(self, key: str) -> dict[str, Any]:
        sid = self.artist_ids[key]
        return {
            "external_urls": {"spotify": f"{OPEN}/artist/{sid}"},
            "href": f"{API}/artists/{sid}",
            "id": sid,
            "name": self.artists[key].name,
            "type": "artist",
            "uri": f"spotify:artist:{sid}",
        }

    def images(self, kind: str, sid: str, sizes: Iterable[int]) -> list[dict[str, Any]]:
        return [{"height": s, "url": image_url(kind, sid, s), "width": s} for s in sizes]

    def artist(self, artist: Artist) -> dict[str, Any]:
        sid = self.artist_ids[artist.key]
        return {
            "external_urls": {"spotify": f"{OPEN}/artist/{sid}"},
            "followers": {"href": None, "total": artist.followers},
            "genres": list(artist.genres),
            "href": f"{API}/artists/{sid}",
            "id": sid,
            "images": self.images("artist", sid, (640, 320, 160)),
            "name": artist.name,
            "popularity": artist.popularity,
            "type": "artist",
            "uri": f"spotify:artist:{sid}",
        }

    def track_artists(self, album: Album, t: T) -> list[dict[str, Any]]:
        return [self.simple_artist(k) for k in (album.artist, *t.also)]

    def simple_track(self, album: Album, t: T) -> dict[str, Any]:
        sid = self.track_ids[(album.key, t.number)]
        return {
            "artists": self.track_artists(album, t),
            "available_markets": list(MARKETS),
            "disc_number": 1,
            "duration_ms": t.duration_ms,
            "explicit": t.explicit,
            "external_urls": {"spotify": f"{OPEN}/track/{sid}"},
            "href": f"{API}/tracks/{sid}",
            "id": sid,
            "is_local": False,
            "name": t.name,
            "preview_url": None,
            "track_number": t.number,
            "type": "track",
            "uri": f"spotify:track:{sid}",
        }

    def simple_album(self, album: Album) -> dict[str, Any]:
        sid = self.album_ids[album.key]
        return {
            "album_type": album.album_type,
            "artists": [self.simple_artist(album.artist)],
            "available_markets": list(MARKETS),
            "external_urls": {"spotify": f"{OPEN}/album/{sid}"},
            "href": f"{API}/albums/{sid}",
            "id": sid,
            "images": self.images("album", sid, (640, 300, 64)),
            "name": album.name,
            "release_date": album.release_date,
            "release_date_precision": precision(album.release_date),
            "total_tracks": album.total_tracks,
            "type": "album",
            "uri": f"spotify:album:{sid}",
        }

    def album(self, album: Album) -> dict[str, Any]:
        sid = self.album_ids[album.key]
        year = album.release_date[:4]
        digits = 11 if album.isrc_prefix[:2] in ("US", "QM") else 12  # UPC-A in the US, EAN-13 elsewhere
        upc_body = f"{_number('upc', album.key):020d}"[:digits]
        simple = self.simple_album(album)
        return {
            "album_type": album.album_type,
            "artists": simple["artists"],
            "available_markets": list(MARKETS),
            "copyrights": [
                {"text": f"© {year} {album.label}", "type": "C"},
                {"text": f"℗ {year} {album.label}", "type": "P"},
            ],
            "external_ids": {"upc": gtin(upc_body)},
            "external_urls": simple["external_urls"],
            "genres": [],
            "href": simple["href"],
            "id": sid,
            "images": simple["images"],
            "label": album.label,
            "name": album.name,
            "popularity": max(0, self.artists[album.artist].popularity - 8 - _number("alb", album.key) % 15),
            "release_date": album.release_date,
            "release_date_precision": precision(album.release_date),
            "total_tracks": album.total_tracks,
            "tracks": {
                "href": f"{API}/albums/{sid}/tracks?offset=0&limit=50",
                "items": [self.simple_track(album, t) for t in album.tracks],
                "limit": 50,
                "next": None,
                "offset": 0,
                "previous": None,
                "total": album.total_tracks,
            },
            "type": "album",
            "uri": f"spotify:album:{sid}",
        }

    def track(self, album: Album, t: T) -> dict[str, Any]:
        key = (album.key, t.number)
        simple = self.simple_track(album, t)
        return {
            "album": self.simple_album(album),
            "artists": simple["artists"],
            "available_markets": simple["available_markets"],
            "disc_number": 1,
            "duration_ms": t.duration_ms,
            "explicit": t.explicit,
            "external_ids": {"isrc": self.isrcs[key]},
            "external_urls": simple["external_urls"],
            "href": simple["href"],
            "id": simple["id"],
            "is_local": False,
            "name": t.name,
            "popularity": self.track_popularity[key],
            "preview_url": None,
            "track_number": t.number,
            "type": "track",
            "uri": simple["uri"],
        }

    def recordings(self) -> dict[str, dict[str, Any]]:
        return {
            "artists": {self.artist_ids[a.key]: self.artist(a) for a in ARTISTS},
            "albums": {self.album_ids[a.key]: self.album(a) for a in ALBUMS},
            "tracks": {self.track_ids[(a.key, t.number)]: self.track(a, t) for a in ALBUMS for t in a.tracks},
        }


# ---------------------------------------------------------------------------------------------------------
# Plays
# ---------------------------------------------------------------------------------------------------------
COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("user_id", pa.string()),
    ("track_id", pa.string()),
    ("track_uri", pa.string()),
    ("track_isrc", pa.string()),
    ("track_name", pa.string()),
    ("album_id", pa.string()),
    ("album_uri", pa.string()),
    ("album", pa.string()),
    ("artist_id", pa.string()),
    ("artist_mbid", pa.string()),
    ("artist", pa.string()),
    ("duration_ms", pa.int64()),
    ("played_at", pa.timestamp("us")),
    ("popularity", pa.float64()),
    ("request_cursor", pa.string()),
    ("play_source", pa.string()),
)
SQL_TYPES = {
    "duration_ms": "bigint",
    "played_at": "timestamp",
    "popularity": "double",
}


def _played_at(rng: random.Random, whole_seconds: bool = False) -> datetime:
    days = (LAST_DAY - FIRST_DAY).days + 1
    day = FIRST_DAY + timedelta(days=int(days * rng.random() ** 0.85))  # a little more listening lately
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    ms = 0 if whole_seconds else rng.randrange(1000)
    return day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60), milliseconds=ms)


def _epoch_ms(at: datetime) -> int:
    """Milliseconds since 1970 of a naive UTC datetime (never the machine's local time zone)."""
    return (at - datetime(1970, 1, 1)) // timedelta(milliseconds=1)


class PlayMaker:
    def __init__(self, cat: Catalogue, rng: random.Random) -> None:
        self.cat = cat
        self.rng = rng
        self.rows: list[dict[str, Any]] = []
        self._seen: set[tuple[datetime, str]] = set()

    def _when(self, identity: str, whole_seconds: bool = False) -> datetime:
        while True:
            at = _played_at(self.rng, whole_seconds)
            if (at, identity) not in self._seen:
                self._seen.add((at, identity))
                return at

    def _base(self, album: Album, t: T) -> dict[str, Any]:
        return {column: None for column, _ in COLUMNS} | {
            "user_id": USER_ID,
            "track_name": t.name,
            "album": album.name,
            "artist": self.cat.artists[album.artist].name,
        }

    def full(self, album: Album, t: T) -> None:
        key = (album.key, t.number)
        track_id = self.cat.track_ids[key]
        album_id = self.cat.album_ids[album.key]
        row = self._base(album, t) | {
            "track_id": track_id,
            "track_uri": f"spotify:track:{track_id}",
            "track_isrc": self.cat.isrcs[key],
            "album_id": album_id,
            "album_uri": f"spotify:album:{album_id}",
            "artist_id": self.cat.artist_ids[album.artist],
            "duration_ms": t.duration_ms,
            "played_at": self._when(track_id),
            "popularity": float(self.cat.track_popularity[key]),
            "play_source": "spotify_recently_played",
        }
        self.rows.append(row)

    def track_only(self, album: Album, t: T) -> None:
        track_id = self.cat.track_ids[(album.key, t.number)]
        self.rows.append(
            self._base(album, t)
            | {
                "track_id": track_id,
                "track_uri": f"spotify:track:{track_id}",
                "played_at": self._when(track_id, whole_seconds=True),
                "request_cursor": "Streaming_History_Audio_2024-2026_0.json",
                "play_source": "spotify_extended_history",
            }
        )

    def scrobble(self, album: Album, t: T) -> None:
        artist = self.cat.artists[album.artist]
        name = t.name.removesuffix(" - Remastered 2009")
        self.rows.append(
            self._base(album, t)
            | {
                "track_name": name,
                "album": album.name.removesuffix(" (Remastered)"),
                "artist_mbid": artist.mbid,
                "played_at": self._when(name, whole_seconds=True),
                "play_source": "lastfm",
            }
        )

    def pick_track(self, artist_key: str, allow_hidden: bool = False) -> tuple[Album, T]:
        choices = [
            (album, t)
            for album in ALBUMS
            if album.artist == artist_key and (allow_hidden or album.key not in HIDDEN_ALBUMS)
            for t in album.tracks
        ]
        weights = [self.cat.track_popularity[(a.key, t.number)] + 5 for a, t in choices]
        return self.rng.choices(choices, weights=weights)[0]

    def make(self) -> list[dict[str, Any]]:
        cat, rng = self.cat, self.rng
        # 1. full rows: favourites, then the long tail
        for artist in ARTISTS:
            if artist.key in NOT_IN_FULL_ROWS:
                continue
            plays = FAVOURITES.get(artist.key) or rng.randint(1, 3)
            for _ in range(plays):
                self.full(*self.pick_track(artist.key))
        # 2. track-only rows
        for (album_key, number), plays in TRACK_ONLY_PLAYS.items():
            album = cat.albums[album_key]
            t = next(t for t in album.tracks if t.number == number)
            for _ in range(plays):
                self.track_only(album, t)
        # 3. scrobbles
        for artist_key, plays in SCROBBLES.items():
            for _ in range(plays):
                self.scrobble(*self.pick_track(artist_key, allow_hidden=True))
        # 4. a track Spotify no longer knows, played twice
        for _ in range(2):
            self.rows.append(
                {column: None for column, _ in COLUMNS}
                | {
                    "user_id": USER_ID,
                    "track_id": UNKNOWN_TRACK_ID,
                    "track_uri": f"spotify:track:{UNKNOWN_TRACK_ID}",
                    "track_name": "Hospital Beds - Live at the Troubadour",  # fabricated: a removed live take
                    "album": "Live at the Troubadour",
                    "artist": "Cold War Kids",
                    "played_at": self._when(UNKNOWN_TRACK_ID, whole_seconds=True),
                    "request_cursor": "Streaming_History_Audio_2024-2026_0.json",
                    "play_source": "spotify_extended_history",
                }
            )
        # 5. an artist and an album Spotify does not know (a fabricated act)
        self.rows.append(
            {column: None for column, _ in COLUMNS}
            | {
                "user_id": USER_ID,
                "track_isrc": "ARZZ11900417",
                "track_name": "Canción Perdida",
                "album_id": UNKNOWN_ALBUM_ID,
                "album_uri": f"spotify:album:{UNKNOWN_ALBUM_ID}",
                "album": "Lado B",
                "artist_id": UNKNOWN_ARTIST_ID,
                "artist": "Los Desaparecidos",
                "duration_ms": 201_733,
                "played_at": self._when("Canción Perdida"),
                "popularity": 0.0,
                "play_source": "legacy_import",
            }
        )
        self.rows.sort(key=lambda r: (r["played_at"], r["play_source"], r["track_id"] or r["track_name"]))
        self._cursors()
        # 6. one exact duplicate of a full row (cursor included), right after the original
        full = [i for i, r in enumerate(self.rows) if r["play_source"] == "spotify_recently_played"]
        original = rng.choice(full)
        self.rows.insert(original + 1, dict(self.rows[original]))
        return self.rows

    def _cursors(self) -> None:
        """recently-played answers 50 plays per request; each row keeps the ``after`` cursor it came from."""
        recent = [r for r in self.rows if r["play_source"] == "spotify_recently_played"]
        after = _epoch_ms(FIRST_DAY - timedelta(days=1))
        for start in range(0, len(recent), 50):
            batch = recent[start : start + 50]
            for row in batch:
                row["request_cursor"] = str(after)
            last: datetime = batch[-1]["played_at"]
            after = _epoch_ms(last)
        scrobbles = [r for r in self.rows if r["play_source"] == "lastfm"]
        for i, row in enumerate(sorted(scrobbles, key=lambda r: r["played_at"], reverse=True)):
            row["request_cursor"] = f"page={i // 200 + 1}"


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------
def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    schema = pa.schema(list(COLUMNS))
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    con = duckdb.connect(":memory:")
    try:
        con.execute("set threads = 1")
        con.execute("set timezone = 'UTC'")
        con.register("plays_arrow", table)
        select = ", ".join(f"cast({c} as {SQL_TYPES.get(c, 'varchar')}) as {c}" for c, _ in COLUMNS)
        con.execute(f"copy (select {select} from plays_arrow) to '{tmp}' (format parquet, compression zstd)")
    finally:
        con.close()
    tmp.replace(path)


def generate(out: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    cat = Catalogue.build()
    recordings = cat.recordings()
    for name, obj in recordings.items():
        write_json(out / "recordings" / "spotify" / f"{name}.json", obj)
    rows = PlayMaker(cat, rng).make()
    write_parquet(out / "tracks_played.parquet", rows)
    return {**{name: len(obj) for name, obj in recordings.items()}, "plays": len(rows)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate the bundled sample (deterministic).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    counts = generate(args.out)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()), "->", args.out)


if __name__ == "__main__":
    main()
