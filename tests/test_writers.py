"""Tests of engine.outputs.writers: the format picked by the extension, and no half-written file ever."""

from __future__ import annotations

import io
import zipfile

import pytest

from engine.errors import InputError
from engine import files
from engine.outputs import writers

from .test_layout import example_doc


class TestCheckTarget:
    @pytest.mark.parametrize("name", ["r.html", "r.docx", "r.xlsx", "r.md", "R.HTML"])
    def test_known_extensions(self, tmp_path, name):
        """Each of the four formats is accepted, whatever the case of its extension."""
        assert writers.check_target(str(tmp_path / name)) == tmp_path / name

    @pytest.mark.parametrize("name, problem", [
        ("r.pdf", "'.pdf' is not a format crg can write"),
        ("report", "'report' is not a format crg can write"),
        ("missing/r.html", "the folder does not exist"),
    ])
    def test_refused(self, tmp_path, name, problem):
        """An unknown extension or a folder that does not exist is bad input naming the file and -o."""
        with pytest.raises(InputError) as caught:
            writers.check_target(str(tmp_path / name))
        assert caught.value.problem == problem and caught.value.field == "-o" and caught.value.fix

    def test_a_folder_is_not_a_file(self, tmp_path):
        """A folder given as the file is refused."""
        (tmp_path / "r.html").mkdir()
        with pytest.raises(InputError, match="is a folder, not a file"):
            writers.check_target(str(tmp_path / "r.html"))


class TestWrite:
    def test_whole_file_and_nothing_else(self, tmp_path):
        """write() leaves the file, whole, and no partial file beside it."""
        target = tmp_path / "r.md"
        writers.write(example_doc(), str(target))
        assert target.read_bytes() == writers.render(example_doc(), "md")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]

    def test_failed_render_leaves_the_old_file(self, tmp_path, monkeypatch):
        """If rendering fails, the file already there is left as it was and nothing is added."""
        target = tmp_path / "r.md"
        target.write_text("the old report")
        broken = dict(example_doc(), proposals=None)
        with pytest.raises(TypeError):
            writers.write(broken, str(target))
        assert target.read_text() == "the old report" and len(list(tmp_path.iterdir())) == 1

    def test_failed_rename_leaves_nothing(self, tmp_path, monkeypatch):
        """If the file cannot be put in place, the partial file is removed and the error is one line of bad input."""
        def refuse(source, target):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(files.os, "replace", refuse)
        with pytest.raises(InputError) as caught:
            writers.write(example_doc(), str(tmp_path / "r.md"))
        assert caught.value.problem == "cannot be written (Permission denied)"
        assert list(tmp_path.iterdir()) == []


class TestRender:
    @pytest.mark.parametrize("fmt", sorted(writers.FORMATS))
    def test_progress(self, fmt):
        """Each writer counts its steps to the end, one at a time, and writes the same bytes as without counting."""
        from engine.outputs.writers.layout import sections

        doc = example_doc()
        seen = []
        data = writers.render(doc, fmt, lambda done, total: seen.append((done, total)))
        assert data == writers.render(doc, fmt)
        total = seen[0][1]
        assert seen == [(done, total) for done in range(1, total + 1)]
        assert total >= len(sections(doc))  # at least a step a section (a sheet, or a block)

    def test_unknown_format(self):
        with pytest.raises(ValueError):
            writers.render(example_doc(), "pdf")


class TestSteadyZip:
    def test_dates_fixed_content_kept(self):
        """Every entry gets the same date and keeps its name, order and bytes."""
        raw = io.BytesIO()
        with zipfile.ZipFile(raw, "w") as z:
            z.writestr("b.xml", b"<b/>")
            z.writestr("a.xml", b"<a/>")
        steady = zipfile.ZipFile(io.BytesIO(writers.steady_zip(raw.getvalue())))
        assert [i.filename for i in steady.infolist()] == ["b.xml", "a.xml"]
        assert {i.date_time for i in steady.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert steady.read("a.xml") == b"<a/>"

    def test_rewrite(self):
        """A rewrite is applied to each entry."""
        raw = io.BytesIO()
        with zipfile.ZipFile(raw, "w") as z:
            z.writestr("a.xml", b"<a>1</a>")
        out = writers.steady_zip(raw.getvalue(), lambda name, content: content.replace(b"1", b"2"))
        assert zipfile.ZipFile(io.BytesIO(out)).read("a.xml") == b"<a>2</a>"
