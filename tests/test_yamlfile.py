"""Tests of engine.inputs.yamlfile: reading YAML safely, with a place for every value."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.inputs import values, yamlfile
from engine.errors import InputError, InputErrors
from . import strategies as S
from .conftest import DEEP, PROPOSALS, REPO, location

EXAMPLE = PROPOSALS / "2026-27-example" / "asb-community-mediation.yaml"
SHIPPED = sorted(path for folder in ("rules", "proposals", "scenarios", "tests/data")
                 for path in (REPO / folder).rglob("*.yaml"))
LIBYAML = yamlfile._FAST
needs_libyaml = pytest.mark.skipif(LIBYAML is None, reason="PyYAML was built without libyaml")


@pytest.fixture(params=["libyaml", "python"])
def each_parser(request, monkeypatch):
    """Runs a test with libyaml composing the files, then with the pure-Python fallback forced."""
    if request.param == "libyaml" and LIBYAML is None:
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(yamlfile, "_FAST", LIBYAML if request.param == "libyaml" else None)
    return request.param


def outcome(raw: bytes, fast) -> tuple:
    """``("read", data, places)`` or ``("refused", message)`` for *raw* composed with *fast* (None: Python)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(yamlfile, "_FAST", fast)
        try:
            f = yamlfile.parse(raw, "folder/p.yaml")
        except InputError as exc:
            return "refused", str(exc)
    return "read", f.data, f._places


def composed_by(raw: bytes) -> list:
    """The loaders that composed *raw* under the default choice, in order."""
    used = []
    real = yamlfile._compose
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(yamlfile, "_compose", lambda text, name, loader: used.append(loader) or real(text, name, loader))
        try:
            yamlfile.parse(raw, "f.yaml")
        except InputError:
            pass
    return used


def refused(raw: bytes | str, name: str = "folder/p.yaml") -> str:
    """The message of the InputError raised for *raw*, checked to start with *name*."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    with pytest.raises(InputError) as err:
        yamlfile.parse(raw, name)
    message = str(err.value)
    assert err.value.file == name
    assert message.startswith(name)
    return message


@pytest.mark.usefixtures("each_parser")
class TestParse:
    """yamlfile.parse"""

    def test_plain_values_stay_text(self):
        """Dates, numbers and yes/no stay the text written: nothing is converted behind the user's back."""
        data = yamlfile.parse(b"a: 2026-04-08\nb: 5595.0\nc: yes\nd: 010\ne: [1, on]\n", "f.yaml").data
        assert data == {"a": "2026-04-08", "b": "5595.0", "c": "yes", "d": "010", "e": ["1", "on"]}

    @pytest.mark.parametrize("text", ["a: " + "[" * 1000 + "]" * 1000 + "\n", "a: " + "[" * 1000 + "\n",
                                      "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 1200)) + "  b: 1\n"])
    def test_nested_too_deeply(self, text):
        """A file nested hundreds of levels deep (brackets left open, say) is one mistake naming it, not a
        RecursionError."""
        with pytest.raises(InputError) as caught:
            yamlfile.parse(text.encode(), "x.yaml")
        assert caught.value.file == "x.yaml"
        assert caught.value.problem == "lists or mappings are nested too deeply to be read (hundreds of levels)"

    @pytest.mark.parametrize(("text", "amount", "column"), [
        ("costs: {a: £6,000}\n", "£6,000", 12), ("costs: {a: 1,250.50, b: 3}\n", "1,250.50", 12),
        ("c: {a: £1,000,000}\n", "£1,000,000", 8)])
    def test_a_sum_split_by_its_comma_in_braces(self, text, amount, column):
        """A sum with a comma written inside { } is cut in two there (a key of digits with no value): a mistake
        saying so, at the sum, with the fix."""
        with pytest.raises(InputError) as caught:
            yamlfile.parse(text.encode(), "s.yaml")
        assert str(caught.value) == (
            f"s.yaml:1:{column}: {text.split(':')[0]}: the comma splits the amount '{amount}' apart: inside {{ }} a "
            f"comma ends a value\n  fix: quote it ('{amount}'), or write one 'key: value' line each")

    @pytest.mark.parametrize("text", ["costs: {a: '£6,000'}\n", "costs:\n  a: £6,000\n", "m: {a: x, 000: y}\n",
                                      "m: {a: 6, b: 7}\n"])
    def test_sums_that_are_not_split(self, text):
        """A sum quoted or on a line of its own, or digits as a key with a value, read as written."""
        yamlfile.parse(text.encode(), "s.yaml")

    @pytest.mark.parametrize("written", ["", "~", "null", "Null", "NULL"])
    def test_nulls(self, written):
        """An empty value and the null words are None."""
        assert yamlfile.parse(f"a: {written}\n".encode(), "f.yaml").data == {"a": None}

    def test_quoted_null_is_text(self):
        """A quoted null word is text."""
        assert yamlfile.parse(b"a: 'null'\nb: \"\"\n", "f.yaml").data == {"a": "null", "b": ""}

    def test_places(self):
        """Every value has its 1-based line and column, and every key its own."""
        f = yamlfile.parse(b"id: x\ndelivery:\n  start: 2026-05-01\nlist:\n  - a\n  - b\n", "f.yaml")
        assert f.place(("id",)) == (1, 5)
        assert f.place(("delivery", "start")) == (3, 10)
        assert f.place(("delivery", "start", "<key>")) == (3, 3)
        assert f.place(("list", 1)) == (6, 5)
        assert f.place(("delivery",)) == (3, 3)  # a block mapping starts at its first key
        assert f.place(("delivery", "nothing", "here")) == (3, 3)  # the nearest parent

    def test_bom_and_crlf_accepted(self):
        """A file saved with a UTF-8 byte-order mark and Windows line ends reads like any other."""
        plain = EXAMPLE.read_bytes()
        windows = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
        a, b = yamlfile.parse(plain, "a.yaml"), yamlfile.parse(windows, "b.yaml")
        assert a.data == b.data
        assert a.data["id"] == "asb-community-mediation"  # no BOM glued to the first key
        assert b.place(("cost",)) == a.place(("cost",)) == (7, 7)

    @pytest.mark.parametrize("raw", [b"", b"\n\n", b"   \n", b"# only a comment\n", b"# one\n\n   # two\n"])
    def test_empty_file(self, raw):
        """An empty file, or one of only comments, is refused as empty."""
        assert "empty" in refused(raw)

    def test_empty_document(self):
        """A file holding only a document marker has no fields, and is refused when they are read."""
        with pytest.raises(InputError) as err:
            yamlfile.parse(b"---\n", "folder/p.yaml").fields("a proposal")
        assert str(err.value).startswith("folder/p.yaml")

    def test_two_documents(self):
        """A file with two YAML documents is refused."""
        assert "more than one YAML document" in refused("a: 1\n---\nb: 2\n")

    def test_malformed(self):
        """Broken YAML is refused with the line it breaks on."""
        message = refused("id: x\ntitle: [unclosed\npot: upfront\n")
        file, line = location(message)
        assert file == "folder/p.yaml"
        assert line in (2, 3)
        assert "not valid YAML" in message

    def test_malformed_indentation(self):
        """A mis-indented line is refused with its line."""
        message = refused("delivery:\n  start: 2026-05-01\n    end: 2027-03-31\n")
        assert location(message)[1] == 3

    @pytest.mark.parametrize(
        "value, tag",
        [('!!python/object/apply:os.system ["echo hi"]', "python/object/apply:os.system"),
         ("!!binary aGk=", "binary"),
         ("!!int 5", "int"),
         ("!custom x", "!custom")],
    )
    def test_tags_refused(self, value, tag):
        """A value with a YAML tag is refused, naming the tag, the field and the line."""
        message = refused(f"id: x\ncost: {value}\n")
        assert tag in message
        assert "tag" in message
        assert location(message) == ("folder/p.yaml", 2)
        assert "cost" in message

    def test_python_tag_runs_nothing(self, tmp_path, monkeypatch):
        """The os.system tag is refused without running the command."""
        marker = tmp_path / "ran"
        monkeypatch.chdir(tmp_path)
        with pytest.raises(InputError):
            yamlfile.parse(f'a: !!python/object/apply:os.system ["touch {marker}"]\n'.encode(), "f.yaml")
        assert not marker.exists()

    def test_tag_on_key_refused(self):
        """A tagged key is refused."""
        refused("!!python/name:os.system x: 1\n")

    @pytest.mark.parametrize(
        "text, line",
        [("title: &t Community mediation\nsummary: *t\n", 2),
         ("delivery: &d {start: 2026-05-01, end: 2027-03-31}\nagain: *d\n", 2),
         ("ids: &l [a, b]\nmore: *l\n", 2),
         ("a: &x [*x]\n", 1)],
    )
    def test_alias_refused(self, text, line):
        """Any use of a YAML alias (*name) is refused, at the line of the alias."""
        message = refused(text)
        assert "alias" in message
        assert location(message)[1] == line

    def test_duplicate_key(self):
        """A key given twice is refused at the second one, naming it."""
        message = refused("id: x\ncost: £1\npot: upfront\ncost: £2\n")
        assert location(message) == ("folder/p.yaml", 4)
        assert "'cost' is given twice" in message

    def test_duplicate_nested_key(self):
        """A key given twice inside a mapping names the dotted field."""
        message = refused("delivery:\n  start: 2026-05-01\n  start: 2026-06-01\n")
        assert location(message)[1] == 3
        assert "delivery.start" in message

    def test_non_utf8(self):
        """Bytes that are not UTF-8 are refused, with where the first bad byte is."""
        message = refused("title: caf".encode() + b"\xe9\n")
        assert "UTF-8" in message
        assert "byte 11" in message

    def test_latin1_pound_sign(self):
        """A Latin-1 £ (a common way to spoil a file) is refused, not misread."""
        assert "UTF-8" in refused(b"cost: \xa35,595\n")

    def test_non_string_key(self):
        """A mapping as a key is refused."""
        refused("? [a, b]\n: 1\n")

    @given(st.dictionaries(S.ids, S.texts, min_size=1, max_size=5))
    def test_round_trip_flat_mapping(self, mapping):
        """A mapping of ids to double-quoted texts reads back as written."""
        import json
        text = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in mapping.items())
        assert yamlfile.parse(text.encode("utf-8"), "f.yaml").data == mapping


@pytest.mark.usefixtures("each_parser")
class TestTabs:
    @pytest.mark.parametrize("text, line", [
        ("id: x\ndelivery:\n\tstart: 2026-01-01\n", 3),
        ("id: x\ndelivery:\n  start: 2026-01-01\n\tend: 2027-01-01\n", 4),
        ("a:\n  - x\n\t- y\n", 3),
        ("a: |\n  one\n\ttwo\n", 3),
    ])
    def test_tab_in_indentation(self, text, line):
        """A tab in the indentation says so, at its line, with 'indent with spaces, not tabs', whichever parser."""
        message = refused(text, "f.yaml")
        assert message == f"f.yaml:{line}:1: the line is indented with a tab\n  fix: indent with spaces, not tabs"

    def test_tab_inside_text_is_fine(self):
        """A tab inside a block of text, after its indentation, is kept as text."""
        assert yamlfile.parse(b"a: >\n  one\n  \ttwo\nb: x\n", "f.yaml").data == {"a": "one\n\ttwo\n", "b": "x"}


@pytest.mark.usefixtures("each_parser")
class TestRead:
    """yamlfile.read"""

    def test_reads_a_file(self):
        """A shipped proposal file is read, named as given."""
        f = yamlfile.read(EXAMPLE, name="shown.yaml")
        assert f.name == "shown.yaml"
        assert f.data["cost"] == "£9,000"

    def test_name_defaults_to_path(self, tmp_path):
        """Without a name, errors name the path as given."""
        path = tmp_path / "bad.yaml"
        path.write_text("a: [\n")
        with pytest.raises(InputError) as err:
            yamlfile.read(str(path))
        assert str(err.value).startswith(f"{path}:")

    def test_missing_file(self, tmp_path):
        """A missing file is refused, naming it."""
        with pytest.raises(InputError) as err:
            yamlfile.read(tmp_path / "nope.yaml", name="nope.yaml")
        assert str(err.value).startswith("nope.yaml: ")
        assert "not found" in str(err.value)

    def test_folder(self, tmp_path):
        """A folder given as a file is refused, naming it."""
        with pytest.raises(InputError) as err:
            yamlfile.read(tmp_path, name="some-folder")
        assert str(err.value).startswith("some-folder: ")
        assert "folder" in str(err.value)


@pytest.mark.usefixtures("each_parser")
class TestFields:
    """yamlfile.Fields"""

    def fields(self, text: str) -> yamlfile.Fields:
        return yamlfile.parse(text.encode(), "f.yaml").fields("a test")

    def test_top_level_must_be_mapping(self):
        """A file whose top level is a list is refused."""
        with pytest.raises(InputError) as err:
            self.fields("- a\n- b\n")
        assert "mapping" in str(err.value)

    def test_take_converts_and_places_errors(self):
        """A conversion error is kept, placed at the field's value with its name, and raised by done()."""
        f = self.fields("id: x\nwhen: 08/04/2026\n")
        assert f.take("when", values.date) is None
        f.take("id")
        with pytest.raises(InputError) as err:
            f.done()
        assert str(err.value).startswith("f.yaml:2:7: when: ")
        assert "YYYY-MM-DD" in str(err.value)

    def test_missing_and_empty(self):
        """A required field missing, or present with no value, is refused by name, both at once."""
        f = self.fields("id: x\ntitle:\n")
        f.take("id")
        f.take("summary")
        f.take("title")
        with pytest.raises(InputErrors) as err:
            f.done()
        first, second = err.value.errors
        assert "'summary' is missing" in str(first) and location(str(first))[1] == 1
        assert "'title' has no value" in str(second) and location(str(second))[1] == 2

    def test_misspelt_required_field_at_its_own_line(self):
        """A required field missing beside a near name is placed at the misspelt key's line, reported once."""
        f = self.fields("id: x\nsumary: text\n")
        f.take("id")
        f.take("summary")
        with pytest.raises(InputError) as err:
            f.done()
        assert str(err.value).startswith("f.yaml:2:1: summary: 'summary' is missing (is it misspelt as 'sumary'?)")
        assert err.value.fix == "rename 'sumary' to 'summary'"

    def test_keeps_going_past_a_bad_field(self):
        """Every bad field of a mapping is reported, in the order of the file."""
        f = self.fields("a: 2026-13-01\nb: fine\nc: x\nzz: 1\n")
        f.take("a", values.date)
        f.take("b", values.text)
        f.take("c", values.count)
        with pytest.raises(InputErrors) as err:
            f.done()
        assert [location(str(e))[1] for e in err.value.errors] == [1, 3, 4]

    def test_list_item_named_by_its_id(self):
        """A mistake inside a list item with an id names the item by its id, not its position."""
        f = self.fields("rules:\n  - id: late\n    says: [a, b]\n")
        path, _ = f.items("rules")[0]
        item = f.at(path)
        item.take("id")
        item.take("says", values.text)
        item.done()
        with pytest.raises(InputError) as err:
            f.done()
        assert ": rules[late].says: " in str(err.value)

    def test_optional_default(self):
        """An optional field that is missing gives the default."""
        assert self.fields("id: x\n").take("reach", values.count, required=False, default=7) == 7

    def test_done_suggests_near_name(self):
        """A field not read is refused at its key, with the nearest known name suggested."""
        f = self.fields("id: x\ncsa_priorites: [a]\n")
        f.take("id")
        f.take("csa_priorities", required=False)
        with pytest.raises(InputError) as err:
            f.done()
        message = str(err.value)
        assert message.startswith("f.yaml:2:1: csa_priorites: ")
        assert "did you mean 'csa_priorities'?" in message

    def test_done_lists_known_when_nothing_near(self):
        """A field with no near name is refused, listing the known fields."""
        f = self.fields("id: x\nzzzz: 1\n")
        f.take("id")
        with pytest.raises(InputError) as err:
            f.done()
        assert "did you mean" not in str(err.value)
        assert "id" in err.value.fix


@needs_libyaml
class TestBothParsers:
    """yamlfile.parse with libyaml and with the pure-Python parser: the same data, places and messages"""

    @settings(DEEP)
    @given(S.yaml_texts())
    def test_same_outcome(self, text):
        """On generated files, well formed or spoiled, both parsers give the same data and places, or the same message."""
        raw = text.encode("utf-8")
        assert outcome(raw, LIBYAML) == outcome(raw, None)

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
    def test_shipped_files(self, path):
        """Every shipped file reads the same with both parsers, and is composed by libyaml alone."""
        raw = path.read_bytes()
        assert outcome(raw, LIBYAML) == outcome(raw, None)
        if b"\t" not in raw:  # a file written with a tab on purpose (to test its message) is the Python parser's
            assert composed_by(raw) == [LIBYAML]

    @pytest.mark.parametrize("text", [
        "k4: |-\t", "cost: £5,595\t\n", "a: |#\n", "a: x\x85b: y\n", "a: x\rb: y\n", "a: x\ufeff\n",
        "? a", "?", "---", "k: {a: 1, b: }\n", "k: [a: ]\n", "k: [£5,5? 95]\n", "k: {a?b: 1}\n",
        "k: !:!!str x\n",
    ])
    def test_where_libyaml_reads_otherwise(self, text):
        """Where libyaml alone would read or place a file otherwise, the outcome is still the Python parser's."""
        raw = text.encode("utf-8")
        assert outcome(raw, LIBYAML) == outcome(raw, None)

    @needs_libyaml
    @settings(DEEP)
    @given(S.yaml_texts())
    def test_the_fast_resolver_tags_as_the_base_one(self, text):
        """libyaml with the base resolver's answers given at once composes the very nodes (kinds, tags, values,
        styles and places) that it composes asking PyYAML's base resolver, or fails alike."""
        def nodes(loader):
            def walk(node, above=()):
                if id(node) in above:  # an alias of a node it is inside
                    return "recursive"
                above += (id(node),)
                if isinstance(node, yaml.ScalarNode):
                    inner = node.value
                elif isinstance(node, yaml.SequenceNode):
                    inner = [walk(item, above) for item in node.value]
                else:
                    inner = [(walk(key, above), walk(value, above)) for key, value in node.value]
                return (type(node).__name__, node.tag, inner, getattr(node, "style", None),
                        node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
            try:
                return [walk(n) for n in yaml.compose_all(text, Loader=loader) if n is not None]
            except yaml.YAMLError as exc:
                return str(exc)
        assert nodes(LIBYAML) == nodes(yaml.CBaseLoader)

    def test_refusal_is_read_again_by_python(self):
        """A file libyaml refuses is read again by the Python parser, whose message users see."""
        raw = b"id: x\ntitle: [unclosed\npot: upfront\n"
        assert composed_by(raw) == [LIBYAML, yaml.BaseLoader]
        assert outcome(raw, LIBYAML) == outcome(raw, None)


class TestParser:
    """yamlfile.parser"""

    @needs_libyaml
    def test_libyaml(self):
        """With libyaml, it names libyaml and its version."""
        from yaml import _yaml

        assert yamlfile.parser() == f"libyaml {_yaml.get_version_string()} (PyYAML's C parser)"

    def test_fallback(self, monkeypatch):
        """Without libyaml, it says the pure-Python parser is in use."""
        monkeypatch.setattr(yamlfile, "_FAST", None)
        assert yamlfile.parser() == "PyYAML's pure-Python parser (libyaml is not installed)"


class TestDotted:
    """yamlfile.dotted"""

    def test_paths(self):
        """Keys are joined with dots and list indexes shown 1-based in brackets."""
        assert yamlfile.dotted(("delivery", "end")) == "delivery.end"
        assert yamlfile.dotted(("rules", 2, "check")) == "rules[3].check"
        assert yamlfile.dotted(("cost", "<key>")) == "cost"
        assert yamlfile.dotted(()) is None


class TestSource:
    def test_bytes_and_name(self, tmp_path):
        """A source holds the file's bytes, read once, under the name given, and their SHA-256."""
        import hashlib

        path = tmp_path / "a.yaml"
        path.write_bytes(b"id: a\n")
        source = yamlfile.Source.from_path(path, name="props/a.yaml")
        path.write_bytes(b"id: b\n")
        assert (source.name, source.data) == ("props/a.yaml", b"id: a\n")
        assert source.sha256 == hashlib.sha256(b"id: a\n").hexdigest()
        assert source.yaml().data == {"id": "a"}

    def test_missing(self, tmp_path):
        """A missing file is an error naming it as given."""
        with pytest.raises(InputError) as err:
            yamlfile.Source.from_path(tmp_path / "none.yaml", name="none.yaml")
        assert str(err.value) == "none.yaml: file not found\n  fix: check the path"

    def test_yaml_places_errors_in_the_name(self):
        """Bytes that are not YAML are an error placed in the source's name."""
        with pytest.raises(InputError) as err:
            yamlfile.Source("props/x.yaml", b"id: [\n").yaml()
        assert location(str(err.value)) == ("props/x.yaml", 2)
