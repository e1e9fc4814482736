"""The README's commands exist as it spells them: a user pastes them into a shell.

Every `uv run python -m extractors <command>` it shows answers `--help`, every `make <target>` is a target of
the Makefile, and every `uv run` of dbt carries `--env-file .env` (dbt does not read `.env` by itself). Its
SQL is run against a built warehouse in tests/test_sample_pipeline.py.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

README = (REPO / "README.md").read_text()
DOCS = "\n".join(path.read_text() for path in sorted((REPO / "docs").glob("*.md")))


def extractor_commands() -> list[str]:
    found = re.findall(r"uv run python -m extractors ([a-z][a-z-]*)", README + DOCS)
    return sorted(set(found))


def test_every_extractor_command_the_readme_shows_exists():
    commands = extractor_commands()
    assert {"import", "status", "auth", "spotify", "musicbrainz", "openweather", "all", "recently-played"} <= set(
        commands
    )
    for command in commands:
        done = subprocess.run([sys.executable, "-m", "extractors", command, "--help"], cwd=REPO, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, f"{command}: {done.stderr}"


@pytest.mark.parametrize("target", sorted(set(re.findall(r"`make ([a-z-]+)", README))))
def test_every_make_target_the_readme_shows_exists(target: str):
    assert re.search(rf"^{re.escape(target)}:", (REPO / "Makefile").read_text(), re.M), target


def shown_commands(text: str) -> list[str]:
    """The commands a reader copies: lines of ```sh blocks and the first cell of the command tables."""
    blocks = re.findall(r"```(?:sh|bash|shell)\n(.*?)```", text, re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    cells = re.findall(r"^\| `([^`]+)` \|", text, re.M)
    return [line for line in lines + cells if line]


def test_the_commands_are_spelled_to_run_in_the_project_environment():
    commands = shown_commands(README) + shown_commands(DOCS)
    assert any(c.startswith("uv run python -m extractors import") for c in commands), commands
    for command in commands:  # bare `python -m extractors` or `dbt build` fail outside the project's venv
        assert not command.startswith(("python -m extractors", "python3 -m extractors", "dbt ")), command
        if re.match(r"uv run\b.* dbt ", command):
            assert "--env-file .env" in command, command  # dbt does not read .env by itself
