"""The registry (extractors/registry.py) is the one list of sources: the CLI, ``all``, ``status``, the raw views
of dbt, the demo's fakes and the sample's recordings all follow it, and these tests fail when one does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from extractors import rules
from extractors.cli import main
from extractors.registry import PACKAGES, sources
from scripts.devkit.fakes import FAKES

REPO = Path(__file__).resolve().parent.parent


def raw_sources() -> dict[str, set[str]]:
    """Every dbt source with `schema: raw` but the history: its tables (the raw views macros/raw_tables.sql makes)."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            if source.get("schema") == "raw" and source["name"] != "history":
                found[source["name"]] = {table["name"] for table in source["tables"]}
                assert path.name == f"_{source['name']}__sources.yml", f"{path}: one name per source"
                for table in source["tables"]:
                    assert table.get("identifier", table["name"]) == f"{source['name']}_{table['name']}", path
    return found


def test_every_source_is_one_package_in_order():
    assert list(sources()) == list(PACKAGES)
    for name in sources():
        assert (REPO / "extractors" / "sources" / name / "source.py").is_file()


def test_dbt_declares_exactly_the_registrys_endpoints_as_raw_tables():
    assert raw_sources() == {name: set(source.endpoints) for name, source in sources().items()}


def test_the_rules_read_only_landed_endpoints_of_the_registry():
    for source, endpoint in rules.landed_inputs():
        assert endpoint in sources()[source].endpoints, (source, endpoint)


def test_every_source_has_a_fake_and_recordings_for_the_demo():
    assert list(FAKES) == list(sources())
    for name in sources():
        assert (REPO / "data" / "sample" / "recordings" / name).is_dir(), name


def test_every_source_is_a_command_and_its_former_names_still_work():
    runner = CliRunner()
    listed = runner.invoke(main, ["--help"]).output
    for name, source in sources().items():
        assert f"\n  {name} " in listed
        help_text = " ".join(runner.invoke(main, [name, "--help"]).output.split())
        assert " ".join(source.help.split()) in help_text and "--retry-not-found" in help_text
        for alias in source.aliases:
            assert f"\n  {alias} " not in listed  # hidden
            alias_help = " ".join(runner.invoke(main, [alias, "--help"]).output.split())
            assert alias_help == help_text.replace(f"Usage: main {name} ", f"Usage: main {alias} ")
    for name, source in sources().items():
        for command in source.commands:
            assert command.name and f"\n  {command.name} " in listed, (name, command.name)


def test_status_lists_every_source(tmp_path: Path):
    data = tmp_path / "data"
    (data / "src" / "tracks_played").mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-m", "extractors", "status", "--data-path", str(data)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name, source in sources().items():
        section = done.stdout.split(f"\n{name}:", 1)[1]
        for endpoint in source.endpoints:
            assert f"\n  {endpoint} " in section, (name, endpoint)
