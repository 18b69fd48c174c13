"""Tests of engine.inputs.yamlfile: reading YAML safely, with a place for every value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.inputs import values, yamlfile
from engine.errors import InputError
from . import strategies as S
from .conftest import PROPOSALS, location

EXAMPLE = PROPOSALS / "2026-27-example" / "asb-community-mediation.yaml"


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


class TestParse:
    """yamlfile.parse"""

    def test_plain_values_stay_text(self):
        """Dates, numbers and yes/no stay the text written: nothing is converted behind the user's back."""
        data = yamlfile.parse(b"a: 2026-04-08\nb: 5595.0\nc: yes\nd: 010\ne: [1, on]\n", "f.yaml").data
        assert data == {"a": "2026-04-08", "b": "5595.0", "c": "yes", "d": "010", "e": ["1", "on"]}

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
        """A conversion error is placed at the field's value, with its name."""
        f = self.fields("id: x\nwhen: 08/04/2026\n")
        with pytest.raises(InputError) as err:
            f.take("when", values.date)
        assert str(err.value).startswith("f.yaml:2:7: when: ")
        assert "YYYY-MM-DD" in str(err.value)

    def test_missing_and_empty(self):
        """A required field missing, or present with no value, is refused by name."""
        f = self.fields("id: x\ntitle:\n")
        with pytest.raises(InputError) as err:
            f.take("summary")
        assert "'summary' is missing" in str(err.value)
        with pytest.raises(InputError) as err:
            f.take("title")
        assert "'title' has no value" in str(err.value)
        assert location(str(err.value))[1] == 2

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
