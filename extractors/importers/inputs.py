"""The files an import reads: paths given, folders walked, zips extracted (streamed) into a work folder.

Every file gets a short, glob-free alias in the work folder (a symlink, or the extracted member), so DuckDB
never reads a user's path as a glob pattern, and a readable name for messages (``export.zip:folder/file``).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from extractors.errors import InputError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SKIPPED_NAMES = ("__MACOSX",)  # resource forks macOS adds to zips
CHUNK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    name: str  # for messages: the path given, or ``archive.zip:member``
    path: Path  # what DuckDB reads (an alias in the work folder)
    basename: str  # the original file name


def is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) in ZIP_MAGIC


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p in SKIPPED_NAMES for p in parts)


class Inputs:
    """Collects the files under ``paths`` into ``work`` (a temporary folder the caller removes)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.files: list[InputFile] = []
        self._seen: set[Path] = set()

    def add(self, path: Path) -> None:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not _hidden(child.relative_to(path).parts):
                    self._add_file(child, str(child))
        elif path.is_file():
            self._add_file(path, str(path))
        else:
            raise InputError(f"{path}: no such file or folder; check the path")

    def _alias(self, basename: str) -> Path:
        suffix = "".join(c for c in Path(basename).suffix if c.isalnum() or c == ".")[:10]
        return self.work / f"{len(self.files):06d}{suffix}"

    def _add_file(self, path: Path, name: str) -> None:
        real = path.resolve()
        if real in self._seen:  # the same file given twice (a folder and a file in it)
            return
        self._seen.add(real)
        if is_zip(real):
            self._add_zip(real, name)
            return
        alias = self._alias(path.name)
        try:
            os.symlink(real, alias)
        except OSError:  # a file system without symlinks
            shutil.copyfile(real, alias)
        self.files.append(InputFile(name, alias, path.name))

    def _add_zip(self, archive: Path, name: str) -> None:
        try:
            with zipfile.ZipFile(archive) as zf:
                for info in sorted(zf.infolist(), key=lambda i: i.filename):
                    member = PurePosixPath(info.filename)
                    if info.is_dir() or _hidden(member.parts):
                        continue
                    alias = self._alias(member.name)
                    with zf.open(info) as src, open(alias, "wb") as dst:
                        shutil.copyfileobj(src, dst, CHUNK)
                    if is_zip(alias):  # a zip in the zip
                        self._add_zip(alias, f"{name}:{member}")
                        continue
                    self.files.append(InputFile(f"{name}:{member}", alias, member.name))
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
            raise InputError(f"{name}: not a readable zip ({exc}); download the export again") from None

    def __iter__(self) -> Iterator[InputFile]:
        return iter(self.files)
