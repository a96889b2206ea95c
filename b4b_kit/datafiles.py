"""Reading the kit's YAML data files, and checking their records field by field.

Framework files, the benchmarks file and sweep grids are written by hand, by
the kit's authors and by its users. Each is read with :func:`read_yaml` and
checked with a :class:`RecordChecker`, so that every mistake in any of them
gets the same kind of message: the file, the field path, what was expected and
how to fix it, raised as the file's own error type (``FrameworkError``,
``BenchmarkError``, ...).

A record's *spec* maps each allowed field to ``(required, kind)``; the kinds a
file knows, and how each is described in a message, are given to the checker.

Examples
--------
>>> checker = RecordChecker("offers.yaml", expected={"text": "a non-empty text"},
...                         accepts=lambda kind, value: isinstance(value, str) and value.strip() != "")
>>> checker.record({"name": "bundle"}, {"name": (True, "text")}, "offers[0]")
{'name': 'bundle'}
>>> checker.record({"nme": "bundle"}, {"name": (True, "text")}, "offers[0]")
Traceback (most recent call last):
...
b4b_kit.errors.B4BError: offers.yaml, field offers[0].nme: unknown key 'nme'. Allowed keys here: name. Check the \
spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .errors import B4BError

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def is_id(value: Any) -> bool:
    """Whether ``value`` is an id as the data files write them: snake_case, starting with a letter.

    Examples
    --------
    >>> is_id("all_in_bundle"), is_id("All-in bundle"), is_id("2nd_level")
    (True, False, False)
    """
    return isinstance(value, str) and bool(_ID.match(value))


def is_text(value: Any) -> bool:
    """Whether ``value`` is a text with something in it."""
    return isinstance(value, str) and value.strip() != ""


def read_yaml(path: str | Path, *, error: type[B4BError] = B4BError, what: str = "file",
              missing_fix: str = "Check the path.") -> Any:
    """What a YAML file holds, or one clear ``error`` naming the file (and the line) and the fix.

    Uses libyaml's C loader when PyYAML has it: the framework files are read at
    every lesson's start, and the pure-Python loader is several times slower.

    Examples
    --------
    >>> read_yaml("no/such/grid.yaml", what="grid file")
    Traceback (most recent call last):
    ...
    b4b_kit.errors.B4BError: no/such/grid.yaml: no such grid file. Check the path.
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise error(f"no such {what}", where=str(path), fix=missing_fix)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"not valid YAML ({problem})", where=where,
                    fix="Fix the indentation or quoting on that line.") from None
    except UnicodeDecodeError:
        raise error("not a UTF-8 text file", where=str(path), fix="Save the file as UTF-8 text.") from None


class RecordChecker:
    """Checks the records of one file against their specs, raising ``error`` on the first mistake.

    Parameters
    ----------
    source : str
        The file's name, as messages show it.
    expected : mapping
        For each kind of field, how a message describes a right value ("a whole number").
    accepts : callable
        ``accepts(kind, value)``: whether ``value`` is a right value of that kind.
    error : type
        The error to raise (a :class:`~b4b_kit.errors.B4BError`).
    """

    def __init__(self, source: str, *, expected: Mapping[str, str], accepts: Callable[[str, Any], bool],
                 error: type[B4BError] = B4BError) -> None:
        self.source = source
        self.expected = expected
        self.accepts = accepts
        self.error = error

    def fail(self, path: str, what: str, fix: str) -> B4BError:
        """The error for the field at ``path`` (to raise)."""
        return self.error(what, where=f"{self.source}, field {path}", fix=fix)

    def record(self, data: Any, spec: Mapping[str, tuple[bool, str]], path: str) -> dict:
        """Check one record (a mapping) against its spec; return it unchanged."""
        if not isinstance(data, dict):
            raise self.fail(path, f"expected a mapping of fields, found {type(data).__name__}",
                            f"Write it as 'key: value' lines with the fields {', '.join(spec)}.")
        for key in data:
            if key not in spec:
                raise self.fail(f"{path}.{key}" if path else str(key), f"unknown key {key!r}",
                                f"Allowed keys here: {', '.join(spec)}. Check the spelling.")
        for key, (required, kind) in spec.items():
            where = f"{path}.{key}" if path else key
            if data.get(key) is None:
                if required:
                    raise self.fail(where, f"missing {key!r}", f"Add '{key}:' with {self.expected[kind]}.")
                continue
            if not self.accepts(kind, data[key]):
                raise self.fail(where, f"expected {self.expected[kind]}, found {data[key]!r}",
                                f"Change '{key}' to {self.expected[kind]}.")
        return data
