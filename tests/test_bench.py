"""The smoke version of `make bench`: one tiny tier end to end, and the figures it must hold.

The full bench (1k/100k/1M plays) is `make bench`; timings are printed there and never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_smoke_bench_prints_the_table_and_writes_json_with_minimum_requests(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--smoke", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    [path] = tmp_path.glob("bench-smoke-*.json")
    assert f"written to {path}" in done.stdout
    result = json.loads(path.read_text())
    assert result["smoke"] is True and result["machine"]["cpus"] >= 1
    rows = {r["step"]: r for r in result["rows"]}
    assert set(rows) == {
        "spotify (extended)", "musicbrainz", "openweather", "dbt build", "make enrich (no-op)", "spotify (dev)",
        "import (extended history)",
    }  # fmt: skip
    header = done.stdout.splitlines()[0].split()
    assert header[:3] == ["tier", "step", "new"] and "minimum" in header and "peak" in header

    for step in ("spotify (extended)", "musicbrainz", "openweather"):
        r = rows[step]
        assert r["requests"] == r["minimum_requests"], f"{step}: {r['requests']} requests, minimum {r}"
        assert r["noop_requests"] == 0, f"{step}: a run with nothing new made {r['noop_requests']} requests"
        assert 0 < r["requests_per_key"] < 1
        assert r["peak_mib"] > 0
    assert rows["openweather"]["minimum_requests"] < rows["openweather"]["new_keys"]  # the gazetteer answers some
    dev = rows["spotify (dev)"]
    assert dev["minimum_requests"] <= dev["requests"] <= dev["minimum_requests"] + 3  # one 403 per batch endpoint

    enrich = rows["make enrich (no-op)"]
    assert enrich["noop_requests"] == 0 and enrich["dbt_skipped"] is True
    assert enrich["sources_asked"] == ["spotify", "musicbrainz", "geo"]  # each ran, found nothing new
    imported = rows["import (extended history)"]
    assert imported["plays_imported"] == imported["plays_expected"] > 0
    assert imported["noop_requests"] == 0  # a re-import adds no play
