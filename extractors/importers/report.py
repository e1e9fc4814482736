"""What an import read, kept, skipped, left out and imported: counted per file, printed as a few lines.

A kept row is a listen. Listens shorter than 30 s (``ms_played`` < 30,000) are kept in the history like any
other, but the warehouse does not count them as plays, so the report counts them apart from the plays.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractors.importers.formats import (
    SKIP_AUDIOBOOK,
    SKIP_FUTURE,
    SKIP_INCOGNITO,
    SKIP_MALFORMED,
    SKIP_NO_METADATA,
    SKIP_PODCAST,
    SKIP_TOO_EARLY,
    SKIP_VIDEO,
)

# the order reasons are printed in
REASON_ORDER = (
    SKIP_PODCAST,
    SKIP_AUDIOBOOK,
    SKIP_VIDEO,
    SKIP_NO_METADATA,
    SKIP_INCOGNITO,
    SKIP_TOO_EARLY,
    SKIP_FUTURE,
    SKIP_MALFORMED,
)
SHORT = "under 30 s (kept; not counted as plays)"


def _reasons(skipped: Counter[str]) -> str:
    names = sorted(skipped, key=lambda r: (REASON_ORDER.index(r) if r in REASON_ORDER else len(REASON_ORDER), r))
    return ", ".join(f"{name} {skipped[name]}" for name in names if skipped[name])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Malformed:
    """A file's malformed rows: how many, the first few (``row 17``, ``row 2 (line 3)``) and the first problem."""

    count: int
    rows: list[str]
    problem: str

    def line(self, name: str) -> str:
        also = ""
        if len(self.rows) > 1:
            also = "; also " + ", ".join(self.rows[1:])
            if self.count > len(self.rows):
                also += f" and {self.count - len(self.rows)} more"
        return f"  {name}: {_plural(self.count, 'malformed row')} skipped ({self.rows[0]}: {self.problem}{also})"


@dataclass
class FileReport:
    name: str
    format: str  # the format's label
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    short: int = 0  # kept listens under 30 s
    malformed: Malformed | None = None

    @property
    def listens(self) -> int:
        """Rows kept (offered to the history)."""
        return self.rows - sum(self.skipped.values())

    @property
    def plays(self) -> int:
        """Kept listens of 30 s or more, or of unknown length."""
        return self.listens - self.short


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (file, what it is) found in a folder or zip
    imported: int = 0
    duplicates: int = 0
    path: Path | None = None
    dry_run: bool = False
    swept: int = 0  # half-written files of an interrupted import removed first

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def skipped(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.skipped)
        return total

    @property
    def listens(self) -> int:
        return sum(f.listens for f in self.files)

    @property
    def short(self) -> int:
        return sum(f.short for f in self.files)

    @property
    def plays(self) -> int:
        return sum(f.plays for f in self.files)

    def lines(self) -> list[str]:
        out = []
        if self.swept:
            out.append(f"removed {_plural(self.swept, 'half-written file')} left by an interrupted import")
        for label in dict.fromkeys(f.format for f in self.files):
            mine = [f for f in self.files if f.format == label]
            out.append(f"{label}: {_plural(len(mine), 'file')}, {_plural(sum(f.rows for f in mine), 'row')}")
            for f in mine:
                out.append(f"  {f.name}: {_plural(f.rows, 'row')}, {_counts(f.plays, f.short, f.skipped)}")
                if f.malformed:
                    out.append(f.malformed.line(f.name))
        for name, why in self.left_out:
            out.append(f"left out: {name} ({why})")
        summary = _counts(self.plays, self.short, self.skipped, short_words=SHORT, always_skipped=True)
        out.append(f"read {_plural(self.rows, 'row')}: {summary}")
        counts = f"{_plural(self.imported, 'new listen')}, {_plural(self.duplicates, 'duplicate')} ignored"
        if self.dry_run:
            out.append(f"dry run: would import {counts}; nothing written")
        elif self.path is not None:
            out.append(f"imported {counts}: {self.path}")
        else:
            out.append(f"imported {counts}: nothing written")
        return out


def _counts(
    plays: int,
    short: int,
    skipped: Counter[str],
    *,
    short_words: str = "under 30 s",
    always_skipped: bool = False,
) -> str:
    """``300 plays, 20 listens under 30 s, 80 skipped (podcast 78, malformed 2)``; zero counts left out."""
    parts = [_plural(plays, "play")]
    if short:
        parts.append(f"{_plural(short, 'listen')} {short_words}")
    total = sum(skipped.values())
    if total or always_skipped:
        parts.append(f"{total} skipped" + (f" ({_reasons(skipped)})" if total else ""))
    return ", ".join(parts)
