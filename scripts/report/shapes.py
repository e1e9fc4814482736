"""The report's country shapes: Natural Earth's 1:50m countries as TopoJSON (world-atlas 2.0.2, Mike Bostock,
ISC licence; the shapes are public domain), re-keyed by ISO 3166-1 alpha-2, the code dim_artist and
report_origin_countries carry. Made once and committed (scripts/report/assets/countries-50m.json), so the
report needs no network:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    uv run python -m scripts.report.shapes package/countries-50m.json

Each country's id becomes its alpha-2 code (pycountry, from world-atlas's ISO numeric id; Kosovo has no
numeric code and is XK, as in MusicBrainz); a shape without a code (Somaliland, N. Cyprus) keeps no id and is
drawn as land without data. Only the `countries` object is kept (`land` repeats it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SHAPES = Path(__file__).resolve().parent / "assets" / "countries-50m.json"
UNNUMBERED = {"Kosovo": "XK"}  # countries world-atlas gives no ISO numeric id, by their name there


def rekey(topology: dict) -> dict:
    """The world-atlas topology with alpha-2 ids and only the countries."""
    import pycountry  # a dev dependency: only this one-off conversion needs it

    countries = topology["objects"]["countries"]
    for geometry in countries["geometries"]:
        numeric, name = geometry.get("id"), geometry.get("properties", {}).get("name")
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        code = country.alpha_2 if country else UNNUMBERED.get(name)
        geometry.pop("id", None)
        if code:
            geometry["id"] = code
        geometry["properties"] = {"name": name}
    return {**topology, "objects": {"countries": countries}}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit("usage: python -m scripts.report.shapes PATH/countries-50m.json (from npm's world-atlas@2.0.2)")
    topology = rekey(json.loads(Path(args[0]).read_text(encoding="utf-8")))
    SHAPES.write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")
    print(f"{SHAPES}: {len(topology['objects']['countries']['geometries'])} countries")


if __name__ == "__main__":
    main()
