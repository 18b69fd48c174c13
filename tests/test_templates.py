"""Tests of engine.outputs.templates: a new proposal to fill in, and a new round from last year's rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine.errors import InputError, InputErrors
from engine.inputs.proposal import FIELDS, Proposal
from engine.inputs.round import load_round
from engine.inputs.yamlfile import parse
from engine.outputs.templates import moved_on, proposal_template, round_template, write_new

from .conftest import ROUNDS, RULES

R2627 = RULES / "kcsp-2026-27.yaml"


def filled(text: str) -> str:
    """The template with each required field given its example and each optional line uncommented."""
    examples = {spec.name.split(".")[-1]: spec.example for spec in FIELDS}
    out = []
    for line in text.splitlines():
        optional = re.fullmatch(r"(\s*)# ([a-z_]+): (.*)", line)
        empty = re.fullmatch(r"(\s*)([a-z_]+):", line)
        if optional and optional[2] in examples:
            line = f"{optional[1]}{optional[2]}: {optional[3]}"
        elif empty and empty[2] in examples and empty[2] != "delivery":
            line = f"{line} {examples[empty[2]]}"
        out.append(line)
    return "\n".join(out) + "\n"


class TestProposalTemplate:
    def test_lists_every_field(self):
        """Every field of a proposal is in the template, each with its comment."""
        text = proposal_template("new-idea")
        for spec in FIELDS:
            name = spec.name.split(".")[-1]
            assert re.search(rf"^\s*(# )?{name}:", text, re.M), name
            assert spec.means[1:] in text

    def test_validate_lists_what_is_left_to_fill_in(self):
        """Read as it is written, the template's mistakes are exactly its empty required fields."""
        with pytest.raises(InputErrors) as err:
            Proposal.from_fields(parse(proposal_template("new-idea").encode(), "p.yaml").fields("a proposal"))
        required = [s.name for s in FIELDS if s.required and s.name != "id"]
        assert sorted(e.field for e in err.value.errors) == sorted(required)
        assert all("has no value" in e.problem for e in err.value.errors)

    def test_filled_with_the_examples_loads(self):
        """Filled in with the reference's own examples, the template is a valid proposal."""
        p = Proposal.from_fields(parse(filled(proposal_template("new-idea")).encode(), "p.yaml").fields("a proposal"))
        assert p.id == "new-idea" and p.cost == 185000 and p.delivery.end == dt.date(2027, 3, 31)
        assert p.panel == (("kcc", 4), ("kent-police", 5)) and p.illustrative is False

    def test_round_lists_its_ids(self):
        """Given a round, the comments list its priority ids."""
        text = proposal_template("new-idea", load_round(R2627))
        assert "this round's ids: protecting-people, protecting-places" in text
        assert "this round's ids" not in proposal_template("new-idea")

    def test_bad_id(self):
        """An id that is not a valid id is refused."""
        with pytest.raises(InputError, match="not a valid id"):
            proposal_template("New Idea")


class TestRoundTemplate:
    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_moved_on_a_year(self, key, tmp_path):
        """Each shipped round moved on a year: dates a year later, money, priorities and rules kept, no warning."""
        rules = ROUNDS[key][0]
        old = load_round(rules)
        start = old.year_start.year + 1
        year = f"{start}/{(start + 1) % 100:02d}"
        (tmp_path / "new.yaml").write_text(round_template(rules, year), encoding="utf-8")
        new = load_round(tmp_path / "new.yaml")
        assert new.financial_year == year and new.year_start == dt.date(start, 4, 1)
        assert new.deadlines == tuple((name, day.replace(year=day.year + 1)) for name, day in old.deadlines)
        assert (new.grant, new.upfront, new.tactical, new.leftover) == (old.grant, old.upfront, old.tactical,
                                                                         old.leftover)
        assert (new.pcc, new.csa, new.cross_cutting, new.scoring) == (old.pcc, old.csa, old.cross_cutting,
                                                                       old.scoring)
        assert [r.id for r in new.rules] == [r.id for r in old.rules]
        assert str(old.year_start.year) not in new.id and str(start) in new.id and year in new.name
        assert [w.field for w in new.warnings] == [w.field for w in old.warnings if w.field == "money"]

    def test_comments_kept_and_dates_marked(self):
        """The file's comments stay (their year moved on) and each moved date says what it was."""
        text = round_template(R2627, "2028/29")
        assert "# Kent Community Safety Partnership: Crime Reduction Grant, 2028/29." in text
        assert "proposals_due: 2028-04-08  # moved on from 8 April 2026" in text
        assert "Every date is moved on by\n# 2 years" in text
        assert "#   rank             go down the ranking" in text

    def test_last_years_sources_kept_as_comments(self, tmp_path):
        """The file's and each section's source name last year's papers: they become comments, so that
        validate --strict lists the values still to source (the grant among them); a rule's source stays."""
        from engine.inputs.provenance import require_sources

        text = round_template(R2627, "2027/28")
        assert "\n  # source: KCSP Working Group update, 31 March 2026 (para 3.2)  (of 2026/27: find this year's)\n" \
            in text
        assert not any(re.match(r"\s*source:", line) for line in text.split("\nrules:", 1)[0].splitlines())
        (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
        round_ = load_round(tmp_path / "r.yaml")
        assert round_.rule("received-by-deadline").source == load_round(R2627).rule("received-by-deadline").source
        with pytest.raises(InputErrors) as err:
            require_sources(tmp_path / "r.yaml")
        assert any(e.field == "money.grant" for e in err.value.errors)

    def test_a_round_made_from_a_made_round(self, tmp_path):
        """A round made from one made the same way says only what was done this time: one head note, naming the
        file it came from and the years moved, and each date marked with the date it was moved from, not the date
        of the round before that."""
        (tmp_path / "r2728.yaml").write_text(round_template(R2627, "2027/28"), encoding="utf-8")
        once = round_template(tmp_path / "r2728.yaml", "2028/29")
        twice = round_template(R2627, "2028/29")
        assert once.count("# Made by 'crg new round'") == 1
        assert once.startswith(f"# Made by 'crg new round' from {tmp_path / 'r2728.yaml'} for 2028/29. Every date is "
                               "moved on by\n# 1 year ")
        assert "proposals_due: 2028-04-08  # moved on from 8 April 2027\n" in once
        assert "moved on from 8 April 2026" not in once
        # past the head, the same as the round moved on two years at once, but for the dates each says it came from
        body = [re.sub(r"  # moved on from .*", "", line) for line in once.split("\n\n", 1)[1].splitlines()]
        assert body == [re.sub(r"  # moved on from .*", "", line) for line in twice.split("\n\n", 1)[1].splitlines()]
        assert load_round(tmp_path / "r2728.yaml").year_start == dt.date(2027, 4, 1)

    def test_several_dates_on_a_line_made_twice(self, tmp_path):
        """Dates written on one line ({...}) made into a round twice carry only the last notes, one per date."""
        text = R2627.read_text(encoding="utf-8")
        start = text.index("deadlines:\n")
        end = text.index("\n\n", start)
        one_line = "deadlines: {proposals_due: 2026-04-08, working_group: 2026-04-27, delivery_end: 2027-03-31}"
        (tmp_path / "r.yaml").write_text(text[:start] + one_line + text[end:], encoding="utf-8")
        (tmp_path / "r2728.yaml").write_text(round_template(tmp_path / "r.yaml", "2027/28"), encoding="utf-8")
        twice = round_template(tmp_path / "r2728.yaml", "2028/29")
        (line,) = [line for line in twice.splitlines() if line.startswith("deadlines: {")]
        assert line.endswith("  # moved on from 31 March 2028; moved on from 27 April 2027; moved on from 8 April "
                             "2027")

    @pytest.mark.parametrize("year, problem", [("2026/27", "already the rules of 2026/27"),
                                               ("2027-28", "not a financial year")])
    def test_bad_year(self, year, problem):
        """The same year, or a year not written YYYY/YY, is refused, naming --year."""
        with pytest.raises(InputError, match=problem) as err:
            round_template(R2627, year)
        assert err.value.field == "--year"


class TestMovedOn:
    TEXT = ("# for 2023/24\nround:\n  id: r-2023-24\n  financial_year: 2023/24\nassumed:\n  - money.grant\n"
            "  - deadlines.proposals_due\ndeadlines:\n  proposals_due: '2024-02-29'\nsays: due 2024-02-29\n")

    def test_assumed_emptied_and_leap_day(self):
        """Every 'assumed:' list is emptied, and 29 February moves to 28 February."""
        file = parse(self.TEXT.encode(), "r.yaml")
        out = moved_on(self.TEXT, file, 2023, 1)
        assert out == ("# for 2024/25\nround:\n  id: r-2024-25\n  financial_year: 2024/25\n"
                       "assumed: []  # emptied: list what this round assumes\ndeadlines:\n"
                       "  proposals_due: '2025-02-28'  # moved on from 29 February 2024\nsays: due 2024-02-29\n")


class TestWriteNew:
    def test_writes_once(self, tmp_path):
        """A new file is written whole; an existing one is never overwritten."""
        write_new(tmp_path / "a.yaml", "x: 1\n")
        assert (tmp_path / "a.yaml").read_text() == "x: 1\n"
        with pytest.raises(InputError, match="already exists"):
            write_new(tmp_path / "a.yaml", "x: 2\n")
        assert (tmp_path / "a.yaml").read_text() == "x: 1\n"
        assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]

    def test_missing_folder(self, tmp_path):
        """A file in a folder that does not exist is refused."""
        with pytest.raises(InputError, match="folder does not exist"):
            write_new(tmp_path / "no" / "a.yaml", "x: 1\n")
