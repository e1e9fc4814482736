"""What an import read, skipped, imported and ignored: counted per file, printed as a few lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractors.importers.formats import (
    SKIP_AUDIOBOOK,
    SKIP_FUTURE,
    SKIP_NO_METADATA,
    SKIP_PODCAST,
    SKIP_TOO_EARLY,
    SKIP_VIDEO,
)

# the order reasons are printed in
REASON_ORDER = (SKIP_PODCAST, SKIP_AUDIOBOOK, SKIP_VIDEO, SKIP_NO_METADATA, SKIP_TOO_EARLY, SKIP_FUTURE)


def _reasons(skipped: Counter[str]) -> str:
    names = sorted(skipped, key=lambda r: (REASON_ORDER.index(r) if r in REASON_ORDER else len(REASON_ORDER), r))
    return ", ".join(f"{name} {skipped[name]}" for name in names if skipped[name])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass
class FileReport:
    name: str
    format: str  # the format's label
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def plays(self) -> int:
        return self.rows - sum(self.skipped.values())


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (file, what it is)
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
                skipped = sum(f.skipped.values())
                detail = f", {skipped} skipped ({_reasons(f.skipped)})" if skipped else ""
                out.append(f"  {f.name}: {_plural(f.rows, 'row')}, {_plural(f.plays, 'play')}{detail}")
        for name, what in self.ignored:
            out.append(f"ignored {name}: {what}")
        skipped = self.skipped
        reasons = f" ({_reasons(skipped)})" if skipped else ""
        read = f"read {_plural(self.rows, 'row')}: {_plural(self.plays, 'play')}"
        out.append(f"{read}, {sum(skipped.values())} skipped{reasons}")
        counts = f"{self.imported} new plays, {self.duplicates} duplicates ignored"
        if self.dry_run:
            out.append(f"dry run: would import {counts}; nothing written")
        elif self.path is not None:
            out.append(f"imported {counts}: {self.path}")
        else:
            out.append(f"imported {counts}: nothing written")
        return out
