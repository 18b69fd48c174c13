"""Tests of engine.inputs.proposal: reading and checking proposal files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from engine.errors import InputError, InputErrors
from engine.inputs.proposal import Proposal, load_folder, load_proposals, proposal_sources, proposals_from

from . import strategies as S
from .conftest import PROPOSALS, ROUNDS, location, spoil

EXAMPLES = PROPOSALS / "2026-27-example"
EXAMPLE = EXAMPLES / "asb-community-mediation.yaml"  # cost on line 7, submitted on line 5


def error_of(name: str) -> str:
    """The message of the InputError raised loading the proposal file *name*."""
    with pytest.raises(InputError) as err:
        Proposal.from_file(name)
    return str(err.value)


def assert_names(message: str, file: str, line: int | None, field: str | None, *parts: str) -> None:
    """*message* starts with ``file:line:`` (or ``file:``), names *field* and holds each of *parts*."""
    assert location(message) == (file, line), message
    if field is not None:
        assert f": {field}: " in message.splitlines()[0], message
    for part in parts:
        assert part in message, (part, message)


class TestFromFile:
    """Proposal.from_file"""

    def test_example(self):
        """A shipped proposal is read with every value converted: pence, dates, tuples."""
        p = Proposal.from_file(EXAMPLE)
        assert p.id == "asb-community-mediation"
        assert p.cost == 9_000_00
        assert p.minimum_cost == 6_500_00
        assert p.submitted == dt.date(2026, 3, 31)
        assert p.delivery.start == dt.date(2026, 5, 1)
        assert p.delivery.end == dt.date(2027, 3, 31)
        assert p.pcc_priorities == ("protecting-places", "protecting-people")
        assert p.partners == ("Kent Police", "Housing associations")
        assert p.reach == 180
        assert dict(p.panel)["district-councils"] == 5
        assert p.illustrative is True
        assert p.file == str(EXAMPLE)

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_every_shipped_proposal_loads(self, key):
        """Every proposal shipped with the repository is valid."""
        _, folder = ROUNDS[key]
        for path in sorted(folder.glob("*.yaml")):
            assert Proposal.from_file(path).id == path.stem

    def test_optional_fields_absent(self, tmp_path):
        """A proposal without evaluation, minimum_cost and reach is valid, with None for each."""
        text = EXAMPLE.read_text(encoding="utf-8")
        for line in ("minimum_cost: £6,500\n", "reach: 180\n", "evaluation: >-\n  Cases mediated, agreements "
                     "reached and repeat complaints after three months.\n"):
            assert line in text
            text = text.replace(line, "")
        (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
        p = Proposal.from_file(tmp_path / "p.yaml")
        assert (p.minimum_cost, p.evaluation, p.reach) == (None, None, None)
        assert p.cost == 9_000_00

    def test_evaluation_absent(self):
        """The shipped proposal without an evaluation has None for it."""
        assert Proposal.from_file(EXAMPLES / "dhr-learning-webinars.yaml").evaluation is None

    @settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(S.proposal_files())
    def test_round_trip(self, tmp_path, case):
        """A proposal written to a file in any accepted way reads back as the same proposal."""
        proposal, text = case
        path = tmp_path / "p.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = Proposal.from_file(path, name="p.yaml")
        assert loaded == proposal
        assert loaded.file == "p.yaml"

    # --- mistakes, each in a copy of a valid file with one line changed ----------------------------

    def test_malformed_yaml(self, spoiled):
        """Broken YAML names the file and the line (the one changed, or the next)."""
        name, line = spoiled(EXAMPLE, "pot: upfront", "pot: [upfront")
        message = error_of(name)
        file, at = location(message)
        assert file == name and at in (line, line + 1)
        assert "not valid YAML" in message

    def test_cost_wrong_type(self, spoiled):
        """A list where a sum of money should be is refused at the cost's line."""
        name, line = spoiled(EXAMPLE, "cost: £9,000", "cost: [1, 2]")
        assert_names(error_of(name), name, line, "cost", "sum of money", "a list")

    def test_impossible_date(self, spoiled):
        """30 February is refused as not a real date."""
        name, line = spoiled(EXAMPLE, "submitted: 2026-03-31", "submitted: 2026-02-30")
        assert_names(error_of(name), name, line, "submitted", "'2026-02-30'", "not a real date")

    def test_date_wrong_form(self, spoiled):
        """A date written 08/04/2026 is refused, asking for YYYY-MM-DD."""
        name, line = spoiled(EXAMPLE, "submitted: 2026-03-31", "submitted: 08/04/2026")
        assert_names(error_of(name), name, line, "submitted", "'08/04/2026'", "YYYY-MM-DD")

    def test_nested_date_wrong_form(self, spoiled):
        """A bad date under delivery names the dotted field."""
        name, line = spoiled(EXAMPLE, "  end: 2027-03-31", "  end: 31 March 2027")
        assert_names(error_of(name), name, line, "delivery.end", "YYYY-MM-DD")

    def test_unknown_field_suggests(self, spoiled):
        """A misspelt field is refused at its key, suggesting the right name."""
        name, line = spoiled(EXAMPLE, "csa_priorities:", "csa_priorites:")
        assert_names(error_of(name), name, line, "csa_priorites", "not a known field",
                     "did you mean 'csa_priorities'?")

    def test_empty_file(self, tmp_path, monkeypatch):
        """An empty file is refused as empty, naming it."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "e.yaml").write_text("")
        assert_names(error_of("e.yaml"), "e.yaml", None, None, "empty")

    def test_comment_only_file(self, tmp_path, monkeypatch):
        """A file of only comments is refused as empty, naming it."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "c.yaml").write_text("# a proposal will go here\n\n# later\n")
        assert_names(error_of("c.yaml"), "c.yaml", None, None, "empty")

    def test_top_level_list(self, tmp_path, monkeypatch):
        """A file holding a list, not fields, is refused."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "l.yaml").write_text("- id: x\n")
        assert "mapping" in error_of("l.yaml")

    def test_python_tag(self, spoiled):
        """A python tag is refused at its line."""
        name, line = spoiled(EXAMPLE, "title: Community mediation for neighbour disputes",
                             'title: !!python/object/apply:os.system ["echo hi"]')
        assert_names(error_of(name), name, line, "title", "tag", "not allowed")

    def test_binary_tag(self, spoiled):
        """A !!binary value is refused at its line."""
        name, line = spoiled(EXAMPLE, "cost: £9,000", "cost: !!binary aGk=")
        assert_names(error_of(name), name, line, "cost", "binary", "not allowed")

    def test_alias(self, spoiled):
        """A YAML alias is refused, at the line that uses it."""
        name, _ = spoiled(EXAMPLE, "title: Community mediation for neighbour disputes",
                          "title: &t Community mediation for neighbour disputes")
        text = open(name, encoding="utf-8").read().replace("lead_agency: Dartford Borough Council",
                                                           "lead_agency: *t")
        open(name, "w", encoding="utf-8").write(text)
        assert_names(error_of(name), name, 3, "lead_agency", "alias")

    def test_duplicate_key(self, spoiled):
        """A field given twice is refused at the second one."""
        name, line = spoiled(EXAMPLE, "cost: £9,000", "cost: £9,000\ncost: £9,500")
        assert_names(error_of(name), name, line + 1, "cost", "given twice")

    def test_bom_and_crlf_accepted(self, tmp_path):
        """A file with a UTF-8 byte-order mark and Windows line ends is accepted and reads the same."""
        path = tmp_path / "windows.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
        assert Proposal.from_file(path) == Proposal.from_file(EXAMPLE)

    def test_non_utf8(self, tmp_path, monkeypatch):
        """A file saved in Latin-1 is refused as not UTF-8."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "latin.yaml").write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("latin-1"))
        assert_names(error_of("latin.yaml"), "latin.yaml", None, None, "UTF-8")

    def test_minimum_more_than_cost(self, spoiled):
        """A minimum cost above the cost is refused at the minimum."""
        name, line = spoiled(EXAMPLE, "minimum_cost: £6,500", "minimum_cost: £9,000.01")
        assert_names(error_of(name), name, line, "minimum_cost", "more than the cost")

    @pytest.mark.parametrize("line, field", [("cost: £9,000", "cost"), ("minimum_cost: £6,500", "minimum_cost")])
    def test_nothing_asked_for(self, spoiled, line, field):
        """A cost or a minimum of £0 is refused at its line: a bid asks for a penny at least (£0 would also divide
        its people by nothing for value for money)."""
        name, at = spoiled(EXAMPLE, line, f"{field}: £0.00")
        assert_names(error_of(name), name, at, field, "£0 is not an amount", "at least £0.01")

    def test_a_penny_is_asked_for(self, spoiled):
        """A penny is an amount: a minimum of £0.01 is read."""
        name, _ = spoiled(EXAMPLE, "minimum_cost: £6,500", "minimum_cost: £0.01")
        assert Proposal.from_file(name).minimum_cost == 1

    def test_minimum_equal_to_cost(self, spoiled):
        """A minimum cost equal to the cost is accepted."""
        name, _ = spoiled(EXAMPLE, "minimum_cost: £6,500", "minimum_cost: 9000.00")
        assert Proposal.from_file(name).minimum_cost == 9_000_00

    def test_delivery_ends_before_start(self, spoiled):
        """Delivery ending before it starts is refused at the end date, showing both dates."""
        name, line = spoiled(EXAMPLE, "  end: 2027-03-31", "  end: 2026-04-30")
        assert_names(error_of(name), name, line, "delivery.end", "30 April 2026", "1 May 2026")

    def test_delivery_one_day(self, spoiled):
        """Delivery may start and end on the same day."""
        name, _ = spoiled(EXAMPLE, "  end: 2027-03-31", "  end: 2026-05-01")
        p = Proposal.from_file(name)
        assert p.delivery.start == p.delivery.end

    def test_ambiguous_cost(self, spoiled):
        """£6,00 is refused as a sum that can be read more than one way."""
        name, line = spoiled(EXAMPLE, "cost: £9,000", "cost: £6,00")
        assert_names(error_of(name), name, line, "cost", "'£6,00'", "one way only", "pounds or pence")

    def test_missing_required(self, spoiled):
        """A proposal without a required field is refused, naming it."""
        name, _ = spoiled(EXAMPLE, "pot: upfront\n", "")
        assert "'pot' is missing" in error_of(name)

    def test_unknown_pot(self, spoiled):
        """A pot other than upfront or tactical is refused."""
        name, line = spoiled(EXAMPLE, "pot: upfront", "pot: reserve")
        assert_names(error_of(name), name, line, "pot", "'reserve' is not a pot")

    def test_bad_priority_id(self, spoiled):
        """A priority that is not an id is refused."""
        name, line = spoiled(EXAMPLE, "csa_priorities: [neighbourhood-crime-asb]",
                             "csa_priorities: [Neighbourhood crime]")
        assert_names(error_of(name), name, line, "csa_priorities", "not a valid id")

    def test_priority_twice(self, spoiled):
        """A priority listed twice is refused."""
        name, line = spoiled(EXAMPLE, "csa_priorities: [neighbourhood-crime-asb]",
                             "csa_priorities: [vawg, vawg]")
        assert_names(error_of(name), name, line, "csa_priorities", "listed twice")

    def test_panel_score_out_of_range(self, spoiled):
        """A panel score outside 0 to 5 is refused."""
        name, line = spoiled(EXAMPLE, "  kcc: 2", "  kcc: 6")
        assert "0 to 5" in error_of(name)

    def test_assumed_unknown_field(self, spoiled):
        """A field named in 'assumed' that does not exist is refused with a suggestion."""
        name, _ = spoiled(EXAMPLE, "illustrative: true", "illustrative: true\nassumed: [submited]")
        assert "did you mean 'submitted'?" in error_of(name)

    @pytest.mark.parametrize("reach, count", [("400", 400), ("1,200", 1200), ("0", 0)])
    def test_reach(self, spoiled, reach, count):
        """Reach is a whole number, with or without commas."""
        name, _ = spoiled(EXAMPLE, "reach: 180", f"reach: {reach}")
        assert Proposal.from_file(name).reach == count

    @pytest.mark.parametrize("reach", ["-5", "1.5", "lots", "1,20"])
    def test_bad_reach(self, spoiled, reach):
        """Reach that is not a whole number of zero or more is refused at its line."""
        name, line = spoiled(EXAMPLE, "reach: 180", f"reach: {reach}")
        assert_names(error_of(name), name, line, "reach", "whole number")


    @pytest.mark.parametrize("old, new, field", [
        ("submitted: 2026-03-31", "submitted: ٢٠٢٦-03-31", "submitted"),
        ("reach: 180", "reach: ١٨٠", "reach"),
        ("cost: £9,000", "cost: £９,０００", "cost"),
    ])
    def test_non_ascii_digits_refused(self, spoiled, old, new, field):
        """Digits other than 0-9 in a date, a count or a sum are refused at their line."""
        name, line = spoiled(EXAMPLE, old, new)
        assert_names(error_of(name), name, line, field)


class TestLoadProposals:
    """load_proposals"""

    def test_order_of_id(self):
        """Proposals come in order of id, one per file."""
        found = load_proposals(EXAMPLES)
        assert [p.id for p in found] == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))

    def test_names_files_as_given(self, tmp_path, monkeypatch):
        """Each proposal's file is named from the folder as given."""
        monkeypatch.chdir(tmp_path)
        shutil.copytree(EXAMPLES, tmp_path / "props")
        found = load_proposals("props")
        assert {p.file for p in found} == {f"props/{p.id}.yaml" for p in found}

    def test_file_names_and_order_do_not_matter(self, tmp_path):
        """Renaming the files (and writing them in another order) gives the same proposals."""
        (tmp_path / "b").mkdir()
        for i, path in enumerate(sorted(EXAMPLES.glob("*.yaml"), reverse=True)):
            shutil.copy(path, tmp_path / "b" / f"{i:03d}-{path.stem[::-1]}.yml")
        assert load_proposals(tmp_path / "b") == load_proposals(EXAMPLES)

    def test_other_files_ignored(self, tmp_path):
        """Files that are not YAML, and folders, are left alone."""
        shutil.copy(EXAMPLE, tmp_path / "a.yaml")
        (tmp_path / "README.md").write_text("# not a proposal\n")
        (tmp_path / "sub.yaml").mkdir()
        assert [p.id for p in load_proposals(tmp_path)] == ["asb-community-mediation"]


class TestLoadFolder:
    """load_folder: what is read, and a word on every file that is not"""

    def skipped(self, folder) -> list[tuple[str, bool, str]]:
        return [(w.file, w.note, w.problem) for w in load_folder(folder).skipped]

    def test_not_yaml_is_a_warning(self, tmp_path, monkeypatch):
        """A file that is not YAML is named and skipped with a warning (a proposal saved as .txt is not lost silently)."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        shutil.copy(EXAMPLE, tmp_path / "props" / "a.yaml")
        shutil.copy(EXAMPLE, tmp_path / "props" / "b.txt")
        assert self.skipped("props") == [("props/b.txt", False, "not a YAML file (*.yaml), so not read as a proposal")]

    @pytest.mark.parametrize("given", ["props", "./props", "props/", "props//", "./props/.", "."])
    def test_files_are_named_as_the_folder_was_given(self, tmp_path, monkeypatch, given):
        """Each file is named by the folder as the user gave it, joined as paths join: in a warning and on
        the proposal read."""
        (tmp_path / "props").mkdir()
        monkeypatch.chdir(tmp_path / "props" if given == "." else tmp_path)
        shutil.copy(EXAMPLE, tmp_path / "props" / "a.yaml")
        (tmp_path / "props" / "b.txt").write_text("not a proposal\n")
        found = load_folder(given)
        assert [w.file for w in found.skipped] == [str(Path(given) / "b.txt")]
        assert [p.file for p in found.proposals] == [str(Path(given) / "a.yaml")]

    def test_yaml_only_no_warning(self, tmp_path):
        """A folder of YAML files only skips nothing."""
        shutil.copy(EXAMPLE, tmp_path / "a.yaml")
        shutil.copy(EXAMPLES / "dhr-learning-webinars.yaml", tmp_path / "b.YML")
        assert self.skipped(tmp_path) == []
        assert len(load_folder(tmp_path).proposals) == 2

    @pytest.mark.parametrize("name", ["._asb.yaml", "~$asb.yaml", ".DS_Store", ".~lock.asb.yaml#", "Thumbs.db",
                                      ".gitkeep"])
    def test_stray_files_are_notes(self, tmp_path, name):
        """A file a tool left beside the proposals (a Mac copy's details, a lock file) is skipped with a note."""
        shutil.copy(EXAMPLE, tmp_path / "asb.yaml")
        (tmp_path / name).write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
        ((file, note, problem),) = self.skipped(tmp_path)
        assert file.endswith(name) and note and problem.startswith("skipped: ")

    def test_text_saved_as_yaml_quoted_short(self, tmp_path, monkeypatch):
        """A text file saved as .yaml is refused with a short excerpt of it, never the whole text."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        (tmp_path / "props" / "letter.yaml").write_text("Dear colleagues " * 400 + "\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_folder("props")
        first = str(err.value).splitlines()[0]
        assert first.startswith("props/letter.yaml:") and "'Dear colleagues Dear" in first and len(first) < 160

    def test_link_inside_the_folder_followed(self, tmp_path):
        """A symbolic link to a file inside the folder is read."""
        (tmp_path / "store").mkdir()
        shutil.copy(EXAMPLE, tmp_path / "store" / "asb.yaml")
        (tmp_path / "asb-link.yaml").symlink_to(tmp_path / "store" / "asb.yaml")
        assert [p.id for p in load_proposals(tmp_path)] == ["asb-community-mediation"]

    def test_link_outside_the_folder_not_followed(self, tmp_path, monkeypatch):
        """A symbolic link to a file outside the folder is not read, with a warning naming it."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        shutil.copy(EXAMPLE, tmp_path / "props" / "asb.yaml")
        shutil.copy(EXAMPLES / "dhr-learning-webinars.yaml", tmp_path / "dhr.yaml")
        (tmp_path / "props" / "dhr.yaml").symlink_to(tmp_path / "dhr.yaml")
        found = load_folder("props")
        assert [p.id for p in found.proposals] == ["asb-community-mediation"]
        assert [(w.file, w.note) for w in found.skipped] == [("props/dhr.yaml", False)]
        assert "outside the folder" in found.skipped[0].problem

    def test_link_to_the_folder_itself_is_a_folder(self, tmp_path, monkeypatch):
        """A symbolic link to the folder itself is inside it: skipped as a folder, with a note."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        shutil.copy(EXAMPLE, tmp_path / "props" / "asb.yaml")
        (tmp_path / "props" / "here").symlink_to(".")
        found = load_folder("props")
        assert [p.id for p in found.proposals] == ["asb-community-mediation"]
        assert [(w.file, w.note, w.problem) for w in found.skipped] == [
            ("props/here", True, "skipped: a folder (proposals are read from this folder only)")]

    def test_link_in_a_loop_is_a_warning(self, tmp_path, monkeypatch):
        """A symbolic link that leads round in a loop (to itself, or to a link back to it) is skipped with a
        warning naming it, not a traceback; the other proposals are read."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        shutil.copy(EXAMPLE, tmp_path / "props" / "asb.yaml")
        (tmp_path / "props" / "loop.yaml").symlink_to("loop.yaml")
        (tmp_path / "props" / "ping.yaml").symlink_to("pong.yaml")
        (tmp_path / "props" / "pong.yaml").symlink_to("ping.yaml")
        found = load_folder("props")
        assert [p.id for p in found.proposals] == ["asb-community-mediation"]
        assert [(w.file, w.note, w.problem) for w in found.skipped] == [
            (f"props/{name}.yaml", False, "a link that leads round in a loop, so not followed")
            for name in ("loop", "ping", "pong")]

    def test_every_file_with_a_mistake_reported(self, tmp_path, monkeypatch):
        """Mistakes in several files are all raised at once, in order of file and line."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        spoil(EXAMPLE, tmp_path / "props" / "b.yaml", "cost: £9,000", "cost: £6,00")
        spoil(EXAMPLE, tmp_path / "props" / "a.yaml", "submitted: 2026-03-31", "submitted: 2026-02-30")
        shutil.copy(EXAMPLES / "dhr-learning-webinars.yaml", tmp_path / "props" / "c.yaml")
        with pytest.raises(InputErrors) as err:
            load_folder("props")
        assert [(e.file, e.field) for e in err.value.errors] == [("props/a.yaml", "submitted"), ("props/b.yaml", "cost")]

    def test_duplicate_id(self, tmp_path, monkeypatch):
        """Two files with the same id are refused, naming the id and both files."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        shutil.copy(EXAMPLE, tmp_path / "props" / "first.yaml")
        shutil.copy(EXAMPLE, tmp_path / "props" / "second.yaml")
        with pytest.raises(InputError) as err:
            load_proposals("props")
        message = str(err.value)
        assert "'asb-community-mediation'" in message
        assert "props/first.yaml" in message
        assert "props/second.yaml" in message
        assert err.value.field == "id"

    def test_error_names_file_in_folder(self, spoiled):
        """A mistake in one file of a folder names that file as the folder was given, with the line."""
        name, line = spoiled(EXAMPLE, "cost: £9,000", "cost: £6,00", name="props/asb.yaml")
        with pytest.raises(InputError) as err:
            load_proposals("props")
        assert location(str(err.value)) == ("props/asb.yaml", line)

    def test_no_yaml_files(self, tmp_path, monkeypatch):
        """A folder with no YAML files is refused, naming it."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "notes.txt").write_text("nothing yet\n")
        with pytest.raises(InputError) as err:
            load_proposals("empty")
        assert str(err.value).startswith("empty: ")
        assert "no proposal files" in str(err.value)

    def test_missing_folder(self, tmp_path, monkeypatch):
        """A folder that does not exist is refused, naming it."""
        monkeypatch.chdir(tmp_path)
        with pytest.raises(InputError) as err:
            load_proposals("nowhere/props")
        assert str(err.value).startswith("nowhere/props: ")
        assert "not found" in str(err.value)

    def test_progress(self, tmp_path):
        """The progress callback is told after each file how many are read, of how many, and ends complete."""
        for path in EXAMPLES.glob("*.yaml"):
            shutil.copy(path, tmp_path / path.name)
        (tmp_path / "README.md").write_text("# not a proposal\n")
        calls = []
        found = load_proposals(tmp_path, progress=lambda done, total: calls.append((done, total)))
        assert calls == [(k, len(found)) for k in range(1, len(found) + 1)]

    def test_file_instead_of_folder(self):
        """A file given where a folder is expected is refused."""
        with pytest.raises(InputError) as err:
            load_proposals(EXAMPLE)
        assert str(err.value).startswith(f"{EXAMPLE}: ")
        assert "not a folder" in str(err.value)


class TestProposalValue:
    """Proposal as a value"""

    def test_frozen(self):
        """A proposal cannot be changed in place; attrs.evolve makes a changed copy."""
        p = Proposal.from_file(EXAMPLE)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            p.cost = 1  # type: ignore[misc]
        assert attrs.evolve(p, cost=1).cost == 1

    def test_file_not_part_of_equality(self):
        """Two proposals differing only in the file they came from are equal."""
        p = Proposal.from_file(EXAMPLE)
        assert attrs.evolve(p, file="elsewhere.yaml") == p


class TestProposalsFrom:
    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_same_as_from_the_folder(self, key):
        """Proposals read from the sources of a folder are those read from the folder, named alike."""
        folder = ROUNDS[key][1]
        found = proposals_from(proposal_sources(folder))
        assert found == load_proposals(folder)
        assert [p.file for p in found] == [p.file for p in load_proposals(folder)]

    def test_order_of_sources_does_not_matter(self):
        """The proposals come in order of id, whatever the order of the sources."""
        sources = proposal_sources(ROUNDS["kcsp-2026-27"][1])
        assert proposals_from(sources[::-1]) == proposals_from(sources)

    def test_same_id_twice(self):
        """Two sources with the same id are refused, naming both."""
        from engine.inputs.yamlfile import Source

        one = proposal_sources(ROUNDS["kcsp-2026-27"][1])[0]
        with pytest.raises(InputError) as err:
            proposals_from([one, Source("elsewhere/copy.yaml", one.data)])
        assert str(err.value).startswith(f"elsewhere/copy.yaml:1: id: the id '{one.name.rsplit('/', 1)[1][:-5]}' is also used by {one.name}")
