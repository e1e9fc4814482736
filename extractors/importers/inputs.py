"""The files an import reads: paths given, folders walked, zips extracted (streamed) into a work folder.

Every file gets a short, glob-free alias in the work folder (a symlink, or the extracted member), so DuckDB
never reads a user's path as a glob pattern, and a readable name for messages (``export.zip:folder/file``).
Each file remembers the path it was found under (``top``) and whether it was found inside a folder or zip
(``contained``): such a file may be left out when it is not a history; a file named on its own may not.
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
    top: str = ""  # the path given on the command line that led to this file
    contained: bool = False  # found inside a folder or zip, not named on its own


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
        self.tops: dict[str, str] = {}  # the folders and zips given → "folder" | "zip" (each must hold a history)
        self.also: dict[int, set[str]] = {}  # file number → other paths given that hold it too
        self._seen: dict[Path, int] = {}

    def add(self, path: Path) -> None:
        top = str(path)
        if path.is_dir():
            self.tops[top] = "folder"
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not _hidden(child.relative_to(path).parts):
                    self._add_file(child, str(child), top, True)
        elif path.is_file():
            if is_zip(path.resolve()):
                self.tops[top] = "zip"
            self._add_file(path, str(path), top, False)
        else:
            raise InputError(f"{path}: no such file or folder; check the path")

    def _alias(self, basename: str) -> Path:
        suffix = "".join(c for c in Path(basename).suffix if c.isalnum() or c == ".")[:10]
        return self.work / f"{len(self.files):06d}{suffix}"

    def _add_file(self, path: Path, name: str, top: str, contained: bool) -> None:
        real = path.resolve()
        if real in self._seen:  # the same file given twice (a folder and a file in it)
            self.also.setdefault(self._seen[real], set()).add(top)
            return
        self._seen[real] = len(self.files)
        if is_zip(real):
            self._add_zip(real, name, top)
            return
        alias = self._alias(path.name)
        try:
            os.symlink(real, alias)
        except OSError:  # a file system without symlinks
            shutil.copyfile(real, alias)
        self.files.append(InputFile(name, alias, path.name, top, contained))

    def _add_zip(self, archive: Path, name: str, top: str) -> None:
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
                        self._add_zip(alias, f"{name}:{member}", top)
                        continue
                    self.files.append(InputFile(f"{name}:{member}", alias, member.name, top, True))
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
            raise InputError(f"{name}: not a readable zip ({exc}); download the export again") from None

    def __iter__(self) -> Iterator[InputFile]:
        return iter(self.files)
