"""Shared fixtures: where the shipped rules and proposals are, and a way to spoil a copy of one."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
PROPOSALS = REPO / "proposals"

# the four shipped rounds: rules file -> folder of proposals
ROUNDS = {
    "kcsp-2021-22": (RULES / "kcsp-2021-22.yaml", PROPOSALS / "2021-22"),
    "kcsp-2024-25": (RULES / "kcsp-2024-25.yaml", PROPOSALS / "2024-25"),
    "kcsp-2025-26": (RULES / "kcsp-2025-26.yaml", PROPOSALS / "2025-26"),
    "kcsp-2026-27": (RULES / "kcsp-2026-27.yaml", PROPOSALS / "2026-27-example"),
}

# the shipped ledgers: year -> (rules file, ledger)
LEDGERS = REPO / "ledgers"
YEARS = {
    "2021-22": (RULES / "kcsp-2021-22.yaml", LEDGERS / "2021-22.yaml"),
    "2024-25": (RULES / "kcsp-2024-25.yaml", LEDGERS / "2024-25.yaml"),
    "2025-26": (RULES / "kcsp-2025-26.yaml", LEDGERS / "2025-26.yaml"),
}


def year(key: str):
    """The round and the loaded ledger of a shipped year."""
    from engine.inputs.round import load_round
    from engine.year.ledger import load_ledger

    rules, ledger = YEARS[key]
    round_ = load_round(rules)
    return round_, load_ledger(ledger, round_)


def ledger_from_text(text: str, round_):
    """A ledger of *round_* read from *text* (not yet replayed)."""
    from engine.inputs.yamlfile import parse
    from engine.year.ledger import Ledger

    return Ledger.from_fields(parse(text.encode("utf-8"), "l.yaml").fields("a ledger"), round_)


# durable-rules is slow to compile a program the first time: no per-example deadline
settings.register_profile(
    "crg", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
# CI runs with HYPOTHESIS_PROFILE=ci (set by .ci/run): the same, and the deep property tests at full depth
settings.register_profile("ci", parent=settings.get_profile("crg"))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "crg")
settings.load_profile(PROFILE)

# the examples a deep property test runs (decorate it with @settings(DEEP)): a tenth of them locally
settings.register_profile("crg-deep", parent=settings.get_profile("crg"), max_examples=200)
settings.register_profile("ci-deep", parent=settings.get_profile("ci"), max_examples=2000)
DEEP = settings.get_profile("ci-deep" if PROFILE == "ci" else "crg-deep")


def spoil(source: Path, dest: Path, old: str, new: str) -> int:
    """Copy *source* to *dest* with the one line holding *old* changed to hold *new*.

    Returns the 1-based number of the changed line, counted here from the text itself.
    """
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {source}"
    start = text.index(old)
    line = text.count("\n", 0, start) + 1
    dest.write_text(text.replace(old, new), encoding="utf-8")
    return line


@pytest.fixture
def spoiled(tmp_path, monkeypatch):
    """``spoiled(source, old, new, name=None) -> (name as given, line)``: a changed copy in a temporary folder.

    The test runs inside that folder, so the returned name is a relative path, given as a user would.
    """
    monkeypatch.chdir(tmp_path)

    def make(source: Path, old: str, new: str, name: str | None = None) -> tuple[str, int]:
        name = name or source.name
        dest = tmp_path / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        return name, spoil(source, dest, old, new)

    return make


def rendered(markdown_text: str) -> str:
    """Markdown as HTML, the way GitHub renders it: CommonMark with tables, strikethrough and bare addresses
    made into links (www. and scheme:// ones, as GitHub does; not fuzzy ones such as example.com)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")
    md.linkify.set({"fuzzy_link": False})
    return md.render(markdown_text)


def tags_and_text(html_text: str) -> tuple[list[str], str]:
    """The tags of some HTML, in order, and its text with every entity read."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags, self.text = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text.append(data)

    reader = Reader()
    reader.feed(html_text)
    reader.close()
    return reader.tags, "".join(reader.text)


def shuffled_copy(source: Path, dest: Path, seed: int) -> Path:
    """The YAML files of *source* copied into the new folder *dest* in an order and under names drawn from *seed*."""
    import random
    import shutil

    dest.mkdir(parents=True)
    paths = sorted(source.glob("*.yaml"))
    random.Random(seed).shuffle(paths)
    for i, path in enumerate(paths):
        shutil.copy(path, dest / f"{seed}-{i:03d}.yaml")
    return dest


def location(message: str) -> tuple[str, int | None]:
    """The ``file`` and ``line`` at the start of an error message ``file:line:col: ...``."""
    match = re.match(r"(?P<file>[^:\n]+?)(?::(?P<line>\d+)(?::\d+)?)?: ", message)
    assert match, f"no file at the start of {message!r}"
    return match["file"], int(match["line"]) if match["line"] else None


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An Excel workbook at *path*, made with openpyxl: one sheet per entry, in order, each a list of rows."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# titles a hostile or careless partner could send: markup, a script, a Markdown link, spreadsheet formulas, a line break
HOSTILE_TITLES = {
    "doorstep-crime-door-chains": "<script>alert(1)</script>",
    "e-scooter-safety-schools": '"><img src=x onerror=alert(1)>',
    "hate-crime-reporting-centres": "[click me](javascript:alert(1)) **bold**",
    "cuckooing-awareness-housing": '=HYPERLINK("http://example.invalid/x","click")',
    "dhr-learning-webinars": "+cmd|' /C calc'!A0",
    "nte-welfare-training": "Welfare training\nfor night-time staff",
    "asb-community-mediation": "@SUM(1+1) -2+3 see www.example.invalid <b>x</b> & https://example.invalid",
}
HOSTILE_AGENCY = "=1+1 <i>Kent</i> Police"


@pytest.fixture
def hostile(tmp_path):
    """``(rules, folder)``: the example round of 2026/27 with :data:`HOSTILE_TITLES` and one lead agency of
    :data:`HOSTILE_AGENCY`, each written in the files as a YAML string that holds exactly that text."""
    import json

    folder = tmp_path / "hostile-proposals"
    folder.mkdir()
    for path in sorted(ROUNDS["kcsp-2026-27"][1].glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if path.stem in HOSTILE_TITLES:
            text = re.sub(r"(?m)^title: .*$", lambda _: "title: " + json.dumps(HOSTILE_TITLES[path.stem]), text, count=1)
        if path.stem == "doorstep-crime-door-chains":
            text = re.sub(r"(?m)^lead_agency: .*$", lambda _: "lead_agency: " + json.dumps(HOSTILE_AGENCY), text, count=1)
        (folder / path.name).write_text(text, encoding="utf-8")
    return ROUNDS["kcsp-2026-27"][0], folder


def after_warnings(stderr: str) -> str:
    """*stderr* from its first mistake on: what comes before it must be warnings (or notes), each a line and its
    fix, which a command shows with the mistakes of the files."""
    lines = stderr.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.startswith("Error: ")), len(lines))
    for line in lines[:first]:
        assert line.startswith(("Warning: ", "Note: ", "  fix: ")), line
    return "".join(lines[first:])
