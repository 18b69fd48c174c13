"""Reading the YAML files a user edits, safely and with places for errors.

Every file is read as UTF-8 (a byte-order mark and Windows line ends are
fine), composed with PyYAML's *base* resolver so that no plain scalar is
turned into a float, a date or a boolean behind the user's back, and any tag
or alias is refused.  What comes out is plain ``dict``/``list``/``str``/``None``
with a table of line and column for every value, so a later check can say
exactly where a mistake is.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path
from typing import Any, Callable

import attrs
import yaml

from .. import fmt
from ..errors import InputError, did_you_mean

__all__ = ["Fields", "Source", "YamlFile", "parse", "read"]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULLS = {"", "~", "null", "Null", "NULL"}


class YamlFile:
    """One YAML file: its data and where each value stands in it."""

    def __init__(self, name: str, data: Any, places: dict[tuple, tuple[int, int]]):
        self.name = name
        self.data = data
        self._places = places

    def place(self, path: tuple) -> tuple[int | None, int | None]:
        """1-based (line, column) of the value at *path*, or of its nearest parent."""
        while path not in self._places and path:
            path = path[:-1]
        return self._places.get(path, (None, None))

    def error(self, path: tuple, problem: str, fix: str | None = None, *, at_key: bool = False) -> InputError:
        """An :class:`InputError` placed at *path* of this file."""
        key = path + ("<key>",) if at_key else path
        line, column = self.place(key) if key in self._places else self.place(path)
        return InputError(problem, file=self.name, field=dotted(path), line=line, column=column, fix=fix)

    def fields(self, what: str) -> "Fields":
        """The top level of the file, which must be a mapping."""
        if not isinstance(self.data, dict):
            raise self.error((), f"expected {what} as a mapping of 'field: value' lines, found {fmt.found(self.data)}")
        return Fields(self, ())


def dotted(path: tuple) -> str | None:
    """``delivery.end`` or ``rules[2].check`` for a path of keys and indexes."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif part != "<key>":
            out += ("." if out else "") + str(part)
    return out or None


@attrs.frozen
class Source:
    """The bytes of one input file, and the name the user gave it by (never more of its path)."""

    name: str
    data: bytes = attrs.field(repr=False)

    @classmethod
    def from_path(cls, path: str | Path, *, name: str | None = None) -> "Source":
        """The bytes at *path*, read once; any problem is an :class:`InputError` naming it."""
        shown = name if name is not None else str(path)
        try:
            return cls(shown, Path(path).read_bytes())
        except FileNotFoundError:
            raise InputError("file not found", file=shown, fix="check the path") from None
        except IsADirectoryError:
            raise InputError("is a folder, not a YAML file", file=shown, fix="give the path of a .yaml file") from None
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", file=shown) from None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def yaml(self) -> "YamlFile":
        """The file composed (see :func:`parse`)."""
        return parse(self.data, self.name)


def read(path: str | Path, *, name: str | None = None) -> YamlFile:
    """Read and compose *path*; any problem is an :class:`InputError` naming it."""
    return Source.from_path(path, name=name).yaml()


def parse(raw: bytes, name: str) -> YamlFile:
    """Compose the bytes of a YAML file called *name*."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (byte {exc.start + 1})", file=name, fix="save the file as UTF-8"
        ) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InputError("the file is empty", file=name, fix="fill it in, or remove it")
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.BaseLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = (exc.problem or exc.context or "not valid YAML").strip()
        raise InputError(
            f"not valid YAML: {problem}", file=name, line=line, column=column,
            fix="check the indentation and quoting on this line or the one before",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=name) from None
    if not nodes or nodes == [None]:
        raise InputError("the file is empty", file=name, fix="fill it in, or remove it")
    if len(nodes) != 1 or nodes[0] is None:
        raise InputError(
            "holds more than one YAML document" if len(nodes) > 1 else "the file is empty",
            file=name, fix="keep one document per file (remove extra '---' lines)",
        )
    places: dict[tuple, tuple[int, int]] = {}
    data = _convert(nodes[0], (), places, name, set())
    if data is None:
        raise InputError("the file is empty", file=name, fix="fill it in, or remove it")
    return YamlFile(name, data, places)


def _convert(node, path, places, name, seen, key_mark=None) -> Any:
    places[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in seen:  # every node is read once: a second visit is an alias
        mark = key_mark or node.start_mark  # an alias node carries the anchor's place; its key shows where it is used
        raise InputError(
            "uses a YAML alias (*name)", file=name, field=dotted(path),
            line=mark.line + 1, column=mark.column + 1,
            fix="write the value out in full",
        )
    if node.tag not in _PLAIN_TAGS:
        raise InputError(
            f"uses the YAML tag '{node.tag}', which is not allowed here", file=name, field=dotted(path),
            line=node.start_mark.line + 1, column=node.start_mark.column + 1,
            fix="remove the tag and write a plain value",
        )
    if isinstance(node, yaml.ScalarNode):
        seen.add(id(node))
        if node.style is None and node.value in _NULLS:
            return None
        return node.value
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), places, name, seen) for i, item in enumerate(node.value)]
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            raise InputError(
                "a key must be a plain word", file=name, field=dotted(path),
                line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
            )
        key = key_node.value
        if key in out:
            raise InputError(
                f"'{key}' is given twice", file=name, field=dotted(path + (key,)),
                line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                fix="keep one of them",
            )
        places[path + (key, "<key>")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        out[key] = _convert(value_node, path + (key,), places, name, seen, key_node.start_mark)
    return out


class Fields:
    """Reads the fields of one mapping in a file, each checked and placed.

    ``take`` consumes a field; ``done`` refuses any field left over, with the
    nearest known name suggested.
    """

    def __init__(self, file: YamlFile, path: tuple):
        self.file = file
        self.path = path
        value = file.data
        for part in path:
            value = value[part]
        self.data: dict = value
        self._known: list[str] = []

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def take(self, key: str, convert: Callable[[Any], Any] | None = None, *, required: bool = True, default=None):
        """The value of *key*, passed through *convert*; errors are placed at it."""
        self._known.append(key)
        path = self.path + (key,)
        value = self.data.get(key)
        if value is None:
            if required:
                line, column = self.file.place(path if key in self.data else self.path)
                unknown = [k for k in self.data if k not in self._known]
                close = difflib.get_close_matches(key, unknown, n=1, cutoff=0.6)
                hint = f" (is it misspelt as '{close[0]}'?)" if close else ""
                raise InputError(
                    (f"'{key}' is missing{hint}" if key not in self.data else f"'{key}' has no value"),
                    file=self.file.name, field=dotted(path), line=line, column=column,
                    fix=f"rename '{close[0]}' to '{key}'" if close else f"add '{key}: ...'",
                )
            return default
        if convert is None:
            return value
        try:
            return convert(value)
        except InputError as exc:
            line, column = self.file.place(path)
            raise InputError(
                exc.problem, file=self.file.name, field=dotted(path), line=line, column=column, fix=exc.fix
            ) from None

    def take_choice(self, key: str, choices, what: str, fix: str):
        """The text at *key*, which must be one of *choices* (a near miss is suggested)."""
        value = self.take(key, lambda v: v.strip() if isinstance(v, str) else v)
        if value not in choices:
            raise self.error(key, f"'{value}' is not {what}{did_you_mean(str(value), choices)}", fix=fix)
        return value

    def take_new_id(self, key: str, taken, what: str) -> str:
        """The id at *key*, which no earlier entry in *taken* may use."""
        from .values import slug

        value = self.take(key, slug)
        if value in taken:
            raise self.error(key, f"the {what} id '{value}' is used twice", fix=f"give each {what} its own id")
        return value

    def sub(self, key: str, *, required: bool = True) -> "Fields | None":
        """The nested mapping at *key*."""
        self._known.append(key)
        value = self.data.get(key)
        if value is None:
            if required:
                self.take(key)
            return None
        if not isinstance(value, dict):
            raise self.file.error(self.path + (key,), f"expected a mapping under '{key}', found {fmt.found(value)}")
        return Fields(self.file, self.path + (key,))

    def items(self, key: str, *, required: bool = True) -> list[tuple[tuple, Any]]:
        """``(path, value)`` for each entry of the list at *key*."""
        self._known.append(key)
        value = self.data.get(key)
        if value is None:
            if required:
                self.take(key)
            return []
        if not isinstance(value, list):
            raise self.file.error(self.path + (key,), f"expected a list under '{key}', found {fmt.found(value)}",
                                  fix="write the items as '- item' lines or [a, b]")
        return [(self.path + (key, i), item) for i, item in enumerate(value)]

    def at(self, path: tuple) -> "Fields":
        """The mapping at *path* (a path returned by :meth:`items`)."""
        value = self.file.data
        for part in path:
            value = value[part]
        if not isinstance(value, dict):
            raise self.file.error(path, f"expected a mapping, found {fmt.found(value)}")
        return Fields(self.file, path)

    def done(self) -> None:
        """Refuse any field that was not read."""
        for key in self.data:
            if key not in self._known:
                hint = did_you_mean(key, self._known)
                fix = "correct the name" if hint else "remove it; the known fields are " + ", ".join(self._known)
                raise self.file.error(
                    self.path + (key,), f"'{key}' is not a known field{hint}", fix=fix, at_key=True
                )

    def error(self, key: str | None, problem: str, fix: str | None = None) -> InputError:
        return self.file.error(self.path + ((key,) if key else ()), problem, fix)
