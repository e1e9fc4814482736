"""Where a JSON file DuckDB could not parse goes wrong: the 1-based row, in words a user can act on.

Used only after DuckDB failed (its own record numbers are off by one for syntax errors), so reading the file
in Python here costs nothing on the normal path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

WHITESPACE = " \t\r\n"


def locate_json_error(path: Path, layout: str) -> str | None:
    """``row N: what is wrong`` for the first bad row of a JSON array or JSONL file, or None if none is found."""
    text = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
    return _array(text) if layout == "array" else _lines(text)


def _what(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false"}.get(type(value), "a number")


def _lines(text: str) -> str | None:
    row = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row += 1
        where = f"row {row}" + (f" (line {number})" if number != row else "")
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            return f"{where}: not valid JSON ({exc.msg} at column {exc.colno})"
        if not isinstance(value, dict):
            return f"{where}: {_what(value)}, not a JSON object"
    return None


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in WHITESPACE:
        at += 1
    return at


def _array(text: str) -> str | None:
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    if text[at : at + 1] != "[":
        return "row 1: the file does not start with a JSON array '['"
    at = _skip(text, at + 1)
    if text[at : at + 1] == "]":
        return None
    row = 0
    while True:
        row += 1
        if at >= len(text):
            return f"row {row}: the file ends before the row (truncated)"
        try:
            value, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            # no later row and no closing bracket: the file stops inside this row
            if _skip(text, exc.pos) >= len(text) or (not text.rstrip().endswith("]") and "}," not in text[at:]):
                return f"row {row}: the file ends in the middle of the row (truncated)"
            return f"row {row}: not valid JSON ({exc.msg})"
        at = end
        if not isinstance(value, dict):
            return f"row {row}: {_what(value)}, not a JSON object"
        at = _skip(text, at)
        if text[at : at + 1] == ",":
            at = _skip(text, at + 1)
            continue
        if text[at : at + 1] == "]":
            rest = _skip(text, at + 1)
            return None if rest >= len(text) else f"row {row}: text after the closing ']' of the array"
        if at >= len(text):
            return f"row {row}: the file ends after the row, without the closing ']' (truncated)"
        return f"row {row}: expected ',' or ']' after the row"


def locate_invalid_utf8(path: Path, layout: str, header: bool = False, skip: int = 0) -> str | None:
    """``row N (line L): byte 0xNN is not UTF-8 text`` for the first such byte, or None if the file is UTF-8.

    Exports are UTF-8; a file saved as Latin-1/cp1252 (a Last.fm CSV opened and saved in a spreadsheet) or a
    damaged one is reported, not guessed at: a wrong guess would silently change every accented name.
    """
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        at = exc.start
    prefix = data[:at].decode("utf-8").lstrip("\ufeff")
    line = prefix.count("\n") + 1
    if layout == "array":
        found = re.match(r"row (\d+)", _array(prefix) or "")
        row = int(found.group(1)) if found else 0
    elif layout == "newline_delimited":
        row = sum(1 for text in prefix.split("\n")[:-1] if text.strip()) + 1
    else:  # csv: a row a line, after the comment lines and the header
        row = line - skip - (1 if header else 0)
    where = f"line {line}" if row < 1 else f"row {row}" + (f" (line {line})" if line != row else "")
    return f"{where}: byte 0x{data[at]:02x} is not UTF-8 text"
