"""Tests of engine.files: a file written whole or not at all."""

from __future__ import annotations

import os

import pytest

from engine import files
from engine.files import write_whole


def test_written_whole(tmp_path):
    """The file holds the data, and nothing else is left beside it."""
    target = tmp_path / "out.html"
    write_whole(target, b"<p>all</p>")
    assert target.read_bytes() == b"<p>all</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


@pytest.mark.parametrize("when", ["write", "replace"])
@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_interrupted_leaves_nothing(tmp_path, monkeypatch, when, failure):
    """Interrupted (Ctrl-C) or failing while writing or while moving into place, the old file is as it was and
    no hidden partial file is left behind; the failure is raised again."""
    target = tmp_path / "out.html"
    target.write_bytes(b"old")

    def fail(*args, **kwargs):
        raise failure()

    if when == "replace":
        monkeypatch.setattr(files.os, "replace", fail)
    else:
        real_open = open

        class Failing:
            def __init__(self, *args, **kwargs):
                self.stream = real_open(*args, **kwargs)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.stream.close()

            def write(self, data):
                self.stream.write(data[:3])
                raise failure()

        monkeypatch.setattr(files, "open", Failing, raising=False)
    with pytest.raises(failure):
        write_whole(target, b"<p>new</p>")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]
    assert not any(name.endswith(".part") for name in os.listdir(tmp_path))
