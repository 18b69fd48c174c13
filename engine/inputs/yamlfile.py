"""Reading the YAML files a user edits, safely and with places for errors.

Every file is read as UTF-8 (a byte-order mark and Windows line ends are
fine), composed with PyYAML's *base* resolver so that no plain scalar is
turned into a float, a date or a boolean behind the user's back, and any tag
or alias is refused.  What comes out is plain ``dict``/``list``/``str``/``None``
with a table of line and column for every value, so a later check can say
exactly where a mistake is.

The file is composed by libyaml, PyYAML's C parser, when PyYAML was built with
it (:func:`parser` says which is in use; ``crg --version`` prints it), and by
PyYAML's pure-Python parser otherwise.  Both give the same nodes with the
same places.  A file libyaml refuses is read again by the Python parser, so
that every message and place is the one that parser gives.

A loader reads a file through :class:`Fields`, which keeps going past a bad
value: each mistake is kept in the file's :class:`~engine.errors.Problems`
and all of them are raised together when the loader calls ``done()`` on the
top-level mapping.  A list item with an ``id`` is named by it in messages
(``rules[received-by-deadline].check``), not by its position.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path
from typing import Any, Callable

import attrs
import yaml

from .. import fmt
from ..errors import InputError, InputWarning, Problems, did_you_mean

__all__ = ["Fields", "Source", "YamlFile", "looks_like", "parse", "parser", "read"]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TAB_INDENT = re.compile(r"[ ]*\t")
_NULLS = {"", "~", "null", "Null", "NULL"}

try:  # PyYAML's C parser, present when PyYAML was built with libyaml
    from yaml import CBaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _FAST = None
else:
    _DEFAULT_TAGS = {yaml.ScalarNode: CBaseLoader.DEFAULT_SCALAR_TAG, yaml.SequenceNode: CBaseLoader.DEFAULT_SEQUENCE_TAG,
                     yaml.MappingNode: CBaseLoader.DEFAULT_MAPPING_TAG}

    class _CLoader(CBaseLoader):
        """PyYAML's C parser with the base resolver's answers given at once: it names no implicit tag and
        follows no path (a plain value is text, as every value is read here), so each node's tag is the
        default of its kind.  The C parser asks it of every node."""

        def descend_resolver(self, current_node, current_index) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

        def resolve(self, kind, value, implicit) -> str:
            return _DEFAULT_TAGS[kind]

    # were the base resolver ever taught tags or paths, it would be asked
    _FAST = CBaseLoader if CBaseLoader.yaml_implicit_resolvers or CBaseLoader.yaml_path_resolvers else _CLoader


def parser() -> str:
    """Which parser composes the files: libyaml (with its version), or the pure-Python fallback."""
    if _FAST is not None:
        from yaml import _yaml

        return f"libyaml {_yaml.get_version_string()} (PyYAML's C parser)"
    return "PyYAML's pure-Python parser (libyaml is not installed)"


class YamlFile:
    """One YAML file: its data and where each value stands in it."""

    def __init__(self, name: str, data: Any, places: dict[tuple, tuple[int, int]]):
        self.name = name
        self.data = data
        self._places = places
        self.problems = Problems()  # mistakes found so far, raised together by check()
        self.warnings: list[InputWarning] = []

    def place(self, path: tuple) -> tuple[int | None, int | None]:
        """1-based (line, column) of the value at *path*, or of its nearest parent."""
        while path not in self._places and path:
            path = path[:-1]
        return self._places.get(path, (None, None))

    def error(self, path: tuple, problem: str, fix: str | None = None, *, at_key: bool = False) -> InputError:
        """An :class:`InputError` placed at *path* of this file."""
        line, column = self._at(path, at_key)
        return InputError(problem, file=self.name, field=self.name_of(path), line=line, column=column, fix=fix)

    def warning(self, path: tuple, problem: str, fix: str | None = None, *, at_key: bool = False) -> None:
        """Keep an :class:`InputWarning` placed at *path* of this file."""
        line, column = self._at(path, at_key)
        self.warnings.append(InputWarning(problem, file=self.name, field=self.name_of(path), line=line,
                                          column=column, fix=fix))

    def problem(self, error: InputError) -> None:
        """Keep *error*, to be raised with every other mistake of the file by :meth:`check`."""
        self.problems.add(error)

    def check(self) -> None:
        """Raise every mistake kept for this file, if any."""
        self.problems.check()

    def _at(self, path: tuple, at_key: bool) -> tuple[int | None, int | None]:
        key = path + ("<key>",) if at_key else path
        return self.place(key) if key in self._places else self.place(path)

    def name_of(self, path: tuple) -> str | None:
        """``delivery.end``, or ``rules[received-by-deadline].check``: a list item named by its id when it has one."""
        out = ""
        value = self.data
        for part in path:
            if part == "<key>":
                continue
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and 0 <= part < len(value) else None
                ident = value.get("id") if isinstance(value, dict) else None
                label = ident.strip() if isinstance(ident, str) and _ID.fullmatch(ident.strip()) else str(part + 1)
                out += f"[{label}]"
            else:
                value = value.get(part) if isinstance(value, dict) else None
                out += ("." if out else "") + str(part)
        return out or None

    def fields(self, what: str) -> "Fields":
        """The top level of the file, which must be a mapping."""
        if not isinstance(self.data, dict):
            raise self.error((), f"expected {what} as a mapping of 'field: value' lines, found {fmt.found(self.data)}",
                             fix="write one 'field: value' line for each field, from the start of the line "
                                 "(crg fields lists them)")
        return Fields(self, ())


# the top-level fields only one kind of crg file has ('round' is a rules file's and a ledger's)
_MARKS = {
    "a rules file": ("money", "deadlines", "priorities", "tactical_pot", "scoring", "selection"),
    "a ledger": ("shortlisted", "projects", "earlier_projects", "events"),
    "a proposal": ("lead_agency", "partners", "submitted", "cost", "pcc_priorities", "csa_priorities", "delivery"),
}


def looks_like(data: Any) -> tuple[str, tuple[str, ...]] | None:
    """The kind of crg file *data* (a file's top level) looks like, and the fields that say so: the kind with the
    most of its own fields, when it has two or more of them."""
    if not isinstance(data, dict):
        return None
    found = {kind: tuple(k for k in marks if k in data) for kind, marks in _MARKS.items()}
    kind = max(found, key=lambda k: len(found[k]))
    return (kind, found[kind]) if len(found[kind]) >= 2 else None


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
            with open(path, "rb") as file:
                return cls(shown, file.read())
        except FileNotFoundError:
            raise InputError("file not found", file=shown, fix="check the path") from None
        except IsADirectoryError:
            raise InputError("is a folder, not a YAML file", file=shown, fix="give the path of a .yaml file") from None
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", file=shown,
                             fix="check that the file is there and that you may read it") from None

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
        if _FAST is not None and not _PYTHON_READS.search(text):
            try:
                return _compose(text, name, _FAST)
            except (yaml.YAMLError, InputError, _Unlike):
                pass  # read again by the Python parser: its messages and places are the ones users see
        return _compose(text, name, yaml.BaseLoader)
    except RecursionError:
        raise InputError("lists or mappings are nested too deeply to be read (hundreds of levels)", file=name,
                         fix="look for a '[' or '{' left open; a file needs only a few levels") from None


# Texts the Python parser reads from the start: where libyaml reads otherwise (a tab; a byte-order mark
# inside the text; a block scalar's header followed by '#' with no space, which libyaml takes for a
# comment and the Python parser refuses), and any line break other than \n and \r\n, as the check of
# the end of the file in _Reader counts lines by \n.
_PYTHON_READS = re.compile("[\t\x85\u2028\u2029\ufeff]|\r(?!\n)|[|>][-+0-9]*#")


# a mapping in braces cut at the comma of a sum: {a: £6,000} reads as a: '£6' and a key '000' with no value
_SPLIT_START = re.compile(r"£?[0-9]{1,3}(,[0-9]{3})*")
_SPLIT_THOUSANDS = re.compile(r"[0-9]{3}(\.[0-9]{1,2})?")


def _bare(node) -> bool:
    """Whether *node* is a value left empty (the key before it had none)."""
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value == ""


def _split_sum(value, pairs) -> str | None:
    """The sum a mapping in braces was cut at its commas, as written (``'£6,000'``), where *value* is the start of
    one and *pairs* (the mapping's pairs from the next key on) begin with its groups of three digits as keys with
    no value; ``None`` otherwise."""
    if not (isinstance(value, yaml.ScalarNode) and value.style is None and _SPLIT_START.fullmatch(value.value)):
        return None
    parts = [value.value]
    for key, rest in pairs:
        if not (isinstance(key, yaml.ScalarNode) and _SPLIT_THOUSANDS.fullmatch(key.value) and _bare(rest)):
            break
        parts.append(key.value)
    return ",".join(parts) if len(parts) > 1 else None


class _Unlike(Exception):
    """libyaml placed a node where the Python parser would not."""


def _compose(text: str, name: str, loader) -> YamlFile:
    try:
        nodes = list(yaml.compose_all(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        tab = _tab_at(text, line, column)
        if tab is not None:
            raise InputError(tab[1], file=name, line=line, column=tab[0], fix=tab[2]) from None
        problem = (exc.problem or exc.context or "not valid YAML").strip()
        raise InputError(
            f"not valid YAML: {fmt.short(problem, 80)}", file=name, line=line, column=column,
            fix="check the indentation and quoting on this line or the one before",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {fmt.short(' '.join(str(exc).split()), 80)}", file=name,
                         fix="check the indentation and quoting where the message points") from None
    if not nodes or nodes == [None]:
        raise InputError("the file is empty", file=name, fix="fill it in, or remove it")
    if len(nodes) != 1 or nodes[0] is None:
        raise InputError(
            "holds more than one YAML document" if len(nodes) > 1 else "the file is empty",
            file=name, fix="keep one document per file (remove extra '---' lines)",
        )
    reader = _Reader(name, last_line=text.count("\n") if loader is _FAST else None)
    data = reader.convert(nodes[0], ())
    if data is None:
        raise InputError("the file is empty", file=name, fix="fill it in, or remove it")
    return YamlFile(name, data, reader.places)


def _tab_at(text: str, line: int | None, column: int | None) -> tuple[int, str, str] | None:
    """(column, problem, fix) when the YAML error at *line*:*column* (1-based) is a tab: in the indentation, or at the mark."""
    lines = text.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return None
    here = lines[line - 1]
    match = _TAB_INDENT.match(here)
    if match:
        return match.end(), "the line is indented with a tab", "indent with spaces, not tabs"
    if column is not None and 1 <= column <= len(here) and here[column - 1] == "\t":
        return column, "a tab where YAML does not allow one", "use spaces, not tabs"
    return None


class _Reader:
    """Turns composed nodes into plain values, refusing tags, aliases and duplicate keys, and noting places.

    With *last_line* (the nodes came from libyaml), a plain scalar the Python parser would read or
    place otherwise raises :class:`_Unlike`, so that the Python parser reads the file instead.
    """

    def __init__(self, name: str, last_line: int | None):
        self.name = name
        self.last_line = last_line
        self.places: dict[tuple, tuple[int, int]] = {}
        self.seen: set[int] = set()

    def _unlike(self, node, flow: bool) -> bool:
        """Whether the two parsers read this plain scalar (of a flow collection, if *flow*) differently.

        An empty one is placed by the token after it, which they take differently inside a flow
        collection and at the end of a file; and inside a flow collection the Python parser ends a
        plain scalar at a '?', where libyaml reads on.
        """
        if node.style:
            return False
        if not node.value:
            return flow or node.start_mark.line > self.last_line
        return flow and "?" in node.value

    def convert(self, node, path: tuple, key_mark=None, flow: bool = False) -> Any:
        name, mark = self.name, node.start_mark
        self.places[path] = (mark.line + 1, mark.column + 1)
        if id(node) in self.seen:  # every node is read once: a second visit is an alias
            mark = key_mark or mark  # an alias node carries the anchor's place; its key shows where it is used
            raise InputError(
                "uses a YAML alias (*name)", file=name, field=dotted(path),
                line=mark.line + 1, column=mark.column + 1,
                fix="write the value out in full",
            )
        if node.tag not in _PLAIN_TAGS:
            raise InputError(
                f"uses the YAML tag '{node.tag}', which is not allowed here", file=name, field=dotted(path),
                line=mark.line + 1, column=mark.column + 1,
                fix="remove the tag and write a plain value",
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.style:
                return node.value
            if self.last_line is not None and self._unlike(node, flow):
                raise _Unlike(path)
            return None if node.value in _NULLS else node.value  # plain: style None (Python) or "" (libyaml)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), flow=node.flow_style) for i, item in enumerate(node.value)]
        out: dict[str, Any] = {}
        before = None  # the value of the key before, in a mapping written in braces
        for at, (key_node, value_node) in enumerate(node.value):
            key_mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise InputError(
                    "a key must be a plain word", file=name, field=dotted(path),
                    line=key_mark.line + 1, column=key_mark.column + 1,
                    fix="write the field's name as a word followed by a colon, with no quotes, brackets or '?'",
                )
            key = key_node.value
            if node.flow_style and before is not None:
                amount = _split_sum(before, node.value[at:])
                if amount is not None:
                    raise InputError(
                        f"the comma splits the amount '{amount}' apart: inside {{ }} a comma ends a value",
                        file=name, field=dotted(path), line=before.start_mark.line + 1,
                        column=before.start_mark.column + 1,
                        fix=f"quote it ('{amount}'), or write one 'key: value' line each",
                    )
            before = value_node
            if self.last_line is not None and self._unlike(key_node, node.flow_style):
                raise _Unlike(path)
            if key in out:
                raise InputError(
                    f"{fmt.quoted(key)} is given twice", file=name, field=dotted(path + (key,)),
                    line=key_mark.line + 1, column=key_mark.column + 1,
                    fix="keep one of them",
                )
            self.places[path + (key, "<key>")] = (key_mark.line + 1, key_mark.column + 1)
            out[key] = self.convert(value_node, path + (key,), key_mark, node.flow_style)
        return out


class Fields:
    """Reads the fields of one mapping in a file, each checked and placed.

    ``take`` consumes a field; a mistake in it is kept (the field reads as its
    default) and the reading goes on, so one run finds every mistake of the
    file.  ``done`` refuses any field left over, with the nearest known name
    suggested; on the top-level mapping it then raises every mistake kept.
    """

    def __init__(self, file: YamlFile, path: tuple, *, data: dict | None = None, quiet: bool = False):
        self.file = file
        self.path = path
        if data is None:
            data = file.data
            for part in path:
                data = data[part]
        self.data: dict = data
        self._quiet = quiet  # a mapping already reported missing or wrong: nothing more to say of it
        self._known: list[str] = []
        self._misspelt: set[str] = set()  # keys already named as the misspelling of a missing field

    @classmethod
    def absent(cls, file: YamlFile, path: tuple) -> "Fields":
        """A stand-in for a mapping already reported missing or wrong: every field reads as its default."""
        return cls(file, path, data={}, quiet=True)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def take(self, key: str, convert: Callable[[Any], Any] | None = None, *, required: bool = True, default=None):
        """The value of *key*, passed through *convert*; a mistake is kept, placed at it, and gives *default*."""
        self._known.append(key)
        path = self.path + (key,)
        value = self.data.get(key)
        if value is None:
            if required and not self._quiet:
                self.file.problem(self._missing(key))
            return default
        if convert is None:
            return value
        try:
            return convert(value)
        except InputError as exc:
            self.file.problem(self.file.error(path, exc.problem, exc.fix))
            return default

    def _missing(self, key: str) -> InputError:
        path = self.path + (key,)
        if key in self.data:
            return self.file.error(path, f"'{key}' has no value", f"write its value after '{key}:'", at_key=True)
        unknown = [k for k in self.data if k not in self._known and isinstance(k, str)]
        close = difflib.get_close_matches(key, unknown, n=1, cutoff=0.6)
        if close:
            self._misspelt.add(close[0])
            line, column = self.file.place(self.path + (close[0], "<key>"))
            return InputError(f"'{key}' is missing (is it misspelt as '{close[0]}'?)", file=self.file.name,
                              field=self.file.name_of(path), line=line, column=column,
                              fix=f"rename '{close[0]}' to '{key}'")
        line, column = self.file.place(self.path)
        return InputError(f"'{key}' is missing", file=self.file.name, field=self.file.name_of(path),
                          line=line, column=column, fix=f"add '{key}: ...'")

    def take_choice(self, key: str, choices, what: str, fix: str, *, required: bool = True, default=None):
        """The text at *key*, which must be one of *choices* (a near miss is suggested)."""
        value = self.take(key, lambda v: v.strip() if isinstance(v, str) else v, required=required)
        if value is None:
            return default
        if value not in choices:
            self.refuse(key, f"{fmt.quoted(value)} is not {what}{did_you_mean(str(value), choices)}", fix=fix)
            return default
        return value

    def take_new_id(self, key: str, taken, what: str) -> str | None:
        """The id at *key*, which no earlier entry in *taken* may use."""
        from .values import slug

        value = self.take(key, slug)
        if value is not None and value in taken:
            self.refuse(key, f"the {what} id '{value}' is used twice", fix=f"give each {what} its own id")
        return value

    def sub(self, key: str, *, required: bool = True) -> "Fields | None":
        """The nested mapping at *key* (``None`` when it is optional and not given, or wrong)."""
        self._known.append(key)
        value = self.data.get(key)
        if value is None:
            if required:
                self.take(key)
                return Fields.absent(self.file, self.path + (key,))
            return None
        if not isinstance(value, dict):
            self.refuse(key, f"expected a mapping under '{key}', found {fmt.found(value)}",
                        fix="write one 'name: value' line under it for each field, indented")
            return Fields.absent(self.file, self.path + (key,)) if required else None
        return Fields(self.file, self.path + (key,), quiet=self._quiet)

    def items(self, key: str, *, required: bool = True) -> list[tuple[tuple, Any]]:
        """``(path, value)`` for each entry of the list at *key*."""
        self._known.append(key)
        value = self.data.get(key)
        if value is None:
            if required:
                self.take(key)
            return []
        if not isinstance(value, list):
            self.refuse(key, f"expected a list under '{key}', found {fmt.found(value)}",
                        fix="write the items as '- item' lines or [a, b]")
            return []
        return [(self.path + (key, i), item) for i, item in enumerate(value)]

    def at(self, path: tuple) -> "Fields":
        """The mapping at *path* (a path returned by :meth:`items`)."""
        value = self.file.data
        for part in path:
            value = value[part]
        if not isinstance(value, dict):
            self.file.problem(self.file.error(path, f"expected a mapping, found {fmt.found(value)}",
                                              "write its fields as 'field: value' lines, indented under it"))
            return Fields.absent(self.file, path)
        return Fields(self.file, path)

    def done(self) -> None:
        """Refuse any field that was not read; on the top-level mapping, raise every mistake kept."""
        if not self._quiet:
            for key in self.data:
                if key in self._known or key in self._misspelt:
                    continue
                hint = did_you_mean(key, self._known)
                known = dict.fromkeys(self._known)  # a field is noted each time it is read: name it once
                fix = "correct the name" if hint else "remove it; the known fields are " + ", ".join(known)
                self.file.problem(self.file.error(self.path + (key,), f"{fmt.quoted(key)} is not a known field{hint}",
                                                  fix=fix, at_key=True))
        if not self.path:
            self.file.check()

    def error(self, key: str | None, problem: str, fix: str | None = None) -> InputError:
        return self.file.error(self.path + ((key,) if key else ()), problem, fix)

    def refuse(self, key: str | None, problem: str, fix: str | None = None) -> None:
        """Keep a mistake placed at *key*; the reading goes on."""
        if not self._quiet:
            self.file.problem(self.error(key, problem, fix))

    def warn(self, key: str | None, problem: str, fix: str | None = None) -> None:
        """Keep a warning placed at *key*."""
        self.file.warning(self.path + ((key,) if key else ()), problem, fix)
