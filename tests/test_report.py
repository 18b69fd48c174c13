"""Tests of engine.outputs.report: the tables a Chair reads, in words and in one rounding."""

from __future__ import annotations

import collections
import json
import re

import pytest
from hypothesis import example, given, settings, strategies as st
from click.testing import CliRunner

from engine import fmt
from engine.inputs.load import load_inputs
from engine.inputs.scenario import Overrides, run
from engine.outputs import report

from .conftest import HOSTILE_TITLES, ROUNDS, rendered, spoil, tags_and_text

INPUTS = load_inputs(*ROUNDS["kcsp-2026-27"])


def outcome(**overrides):
    return run(INPUTS.round, INPUTS.proposals, Overrides(**overrides), engine="python")


BASE = outcome()
REDUCED = outcome(upfront=2_800_000, without=("nte-welfare-training",))  # asb-community-mediation offered £6,500


def rows(text: str) -> list[list[str]]:
    """The rows of a 'simple' table, split on runs of two spaces or more."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and line)
    out = []
    for line in lines[rule + 1:]:
        if not line.strip():
            break
        out.append(re.split(r"\s{2,}", line.strip()))
    return out


class TestShortReason:
    def test_ineligible_in_words(self):
        """An ineligible proposal's reason is the rule it fails, in words, as its explanation starts; no rule id."""
        d = BASE.decision("underage-vape-test-purchases")
        reason = report.short_reason(d, BASE)
        assert reason == "received 9 April 2026, after the deadline of 8 April 2026"
        assert d.explanation.startswith(f"Ineligible: {reason}")
        assert "received-by-deadline" not in reason

    def test_shortlisted_and_reserve(self):
        """Shortlisted: the money taken and left, and the allocation below which it drops out; reserve: why not."""
        assert report.short_reason(BASE.decision("dhr-learning-webinars"), BASE) == \
            "£1,850 taken, £5,400 left; kept from £21,100"
        reason = report.short_reason(BASE.decision("asb-community-mediation"), BASE)
        assert reason == "its £9,000 exceeds the £5,400 left; in at £30,100"
        assert "its £9,000 exceeds the £5,400 left" in BASE.decision("asb-community-mediation").explanation

    def test_reduced_offer_said(self):
        """A proposal offered its minimum says so, with both sums, never a 'drops out below' under its full cost."""
        d = REDUCED.decision("asb-community-mediation")
        assert report.short_reason(d, REDUCED) == "offered £6,500 of its £9,000, its minimum"
        assert "offered £6,500 of its £9,000" in report.outcome_text(REDUCED, "table")

    def test_tactical(self):
        """A tactical bid says it is one."""
        assert report.short_reason(BASE.decision("community-tension-reassurance"), BASE) == "a bid to the tactical pot"


class TestOutcomeText:
    def test_rank_order_with_status_a_column(self):
        """Rows run in rank order whatever the status, then tactical bids, then ineligible ones."""
        table = rows(report.outcome_text(BASE, "table"))
        ranks = [row[0] for row in table]
        assert ranks == ["1", "2", "3", "4", "5", "6", "7", "-", "-", "-", "-", "-"]
        assert [row[4] for row in table[5:8]] == ["reserve", "shortlisted", "tactical"]

    def test_no_rule_ids_in_the_table(self):
        """The table names no rule by its id; the JSON keeps them."""
        text = report.outcome_text(BASE, "table")
        for rule in INPUTS.round.rules:
            assert rule.id not in text
        assert "received-by-deadline" in report.outcome_json(BASE)

    def test_concerns_in_words(self):
        """Concerns are listed under the table, in words."""
        text = report.outcome_text(BASE, "table")
        assert "Concerns (rules that only flag): dhr-learning-webinars: no evaluation plan is given." in text

    def test_total_score_shown_as_everywhere(self):
        """The total score under the table is the sum of the exact scores, shown with one decimal."""
        assert f"(total score {fmt.score(sum(d.score.units for d in BASE.shortlist))})" in \
            report.outcome_text(BASE, "table")


class TestSweepText:
    def test_every_row_states_a_change(self):
        """Each row of the sweep says what changed, including an offer rising to the full cost."""
        table = rows(report.sweep_text(REDUCED))
        assert all(len(row) == 6 and row[5] != "-" for row in table)
        assert table[0][5] == "none shortlisted"
        changes = [row[5] for row in table]
        offered = changes.index("+asb-community-mediation (offered £6,500 of its £9,000)")
        assert changes[offered + 1] == "(asb-community-mediation now offered its full £9,000)"
        assert "(scores move: countywide-cctv-upgrade now eligible)" in changes  # at £27,000 it fits

    def test_markdown(self):
        """--format markdown gives a heading and a Markdown table of the same rows."""
        text = report.sweep_text(BASE, "markdown")
        assert text.startswith("## KCSP Crime Reduction Grant 2026/27: the shortlist at every upfront allocation")
        assert text.count("\n| ") == len(BASE.intervals) + 1

    def test_scores_one_rounding(self):
        """The sweep's score where the allocation is in use is the screen's total, with the same digits."""
        (row,) = [r for r in rows(report.sweep_text(BASE)) if r[1].endswith("<")]
        assert row[4] == fmt.score(BASE.score_total) == "46.1"


class TestSweepChange:
    @pytest.mark.parametrize("before, after, words", [
        (None, ((), None), "none shortlisted"),
        (((), None), (("a",), None), "+a"),
        ((("a", "b"), None), (("c",), None), "+c -a -b"),
        ((("a",), None), (("a", "b"), ("b", 500)), "+b (offered £5 of its £9)"),
        ((("a", "b"), ("b", 500)), (("a", "b"), ("b", 700)), "(b offered £7 of its £9)"),
        ((("a", "b"), ("b", 500)), (("a", "b"), None), "(b now offered its full £9)"),
    ])
    def test_words(self, before, after, words):
        """Entered, left, a reduced offer made or changed, an offer raised to the full cost: each said."""
        from engine.decision.shortlist import BudgetInterval

        def iv(pair):
            return None if pair is None else BudgetInterval(0, 1, pair[0], 0, 0, pair[1])

        assert report.sweep_change(iv(before), iv(after), {"a": 100, "b": 900, "c": 100}) == words


# --- Markdown: text from files shown as written ------------------------------------------------------

R2627, EXAMPLES = ROUNDS["kcsp-2026-27"]
LIVE = {"a", "script", "img", "em", "b", "i", "s", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ol"}


def crg(*args):
    from engine.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def one_line(text: str) -> str:
    return " ".join(text.split("\n"))


class TestOutcomeTextEscaped:
    def test_hostile_titles_show_as_written(self, hostile):
        """In crg screen --format markdown a title cannot add a link, emphasis, HTML or a line break."""
        rules, folder = hostile
        out = crg("screen", rules, folder, "--format", "markdown")
        tags, text = tags_and_text(rendered(out))
        headings = 1 + ("What rests on assumptions" in out)  # every decision, and what rests on assumptions
        assert not LIVE & set(tags) - {"h2", "h3"} and tags.count("h2") == 1 and tags.count("h3") == headings
        assert tags.count("strong") == 12  # the ids, bold as the command makes them, and nothing else
        assert tags.count("li") == 12  # the title with a line break stays in its item
        for title in HOSTILE_TITLES.values():
            assert one_line(title) in text

    def test_ordinary_titles_unchanged(self):
        """Titles with no Markdown in them read the same as before."""
        out = crg("screen", R2627, EXAMPLES, "--format", "markdown")
        assert "(Door chains and no-cold-calling kits for older residents, £800)" in out


class TestComparisonText:
    def test_hostile_scenario_name(self, tmp_path):
        """A scenario's name shows as written in crg compare --format markdown."""
        name = "**cut** [to](javascript:alert(1)) <img src=x> #1"
        path = tmp_path / "cut.yaml"
        path.write_text(f"name: {json.dumps(name)}\nupfront: £20,000\n", encoding="utf-8")
        out = crg("compare", R2627, EXAMPLES, path, "--format", "markdown")
        tags, text = tags_and_text(rendered(out))
        assert not {"a", "img", "em", "strong"} & set(tags)
        assert text.count(name) == 2  # the column of the table and the heading of its changes


class TestRulesDoc:
    def test_hostile_source(self, tmp_path):
        """A rule's source and a priority's name from the rules file show as written in crg rules --format markdown."""
        path = tmp_path / "rules.yaml"
        spoil(R2627, path, "source: Business case form (evaluation section)",
              "source: \"<script>alert(1)</script> [form](javascript:x) | *cell*\"")
        text = path.read_text(encoding="utf-8").replace("protecting-people: Protecting people",
                                                        "protecting-people: \"**Protecting** <b>people</b>\"")
        path.write_text(text, encoding="utf-8")
        out = crg("rules", path, "--format", "markdown")
        tags, shown = tags_and_text(rendered(out))
        assert not {"a", "script", "b", "em", "strong"} & set(tags)
        assert "<script>alert(1)</script> [form](javascript:x) | *cell*" in shown
        assert "**Protecting** <b>people</b> (protecting-people)" in shown
        html = rendered(out)
        first = html[html.index("<table>"):html.index("</table>")]
        assert first.count("<tr>") == 9 and first.count("<td>") == 8 * 5  # a '|' in a source adds no cell


class TestChecks:
    def test_checks_carry_the_source(self):
        """Each check in crg screen --format json names the source of its rule, and says so where the file lists
        the rule as assumed."""
        doc = json.loads(crg("screen", R2627, EXAMPLES, "--format", "json"))
        written = __import__("yaml").safe_load(R2627.read_text())
        assumed = set(written["assumed"])
        rules = {r["id"]: r["source"] + ("; the rule itself is assumed, as no published report gives it"
                                         if f"rules.{r['id']}" in assumed else "") for r in written["rules"]}
        assert any(source != r["source"] for source, r in zip(rules.values(), written["rules"]))
        for p in doc["proposals"]:
            assert all(c["source"] == rules[c["rule"]] for c in p["checks"])


class TestSweepTextEscaped:
    def test_hostile_round_name(self, tmp_path):
        """The round's name shows as written in crg sweep --format markdown."""
        path = tmp_path / "rules.yaml"
        spoil(R2627, path, "name: KCSP Crime Reduction Grant 2026/27", 'name: "**Grant** [x](javascript:y) <b>z</b>"')
        out = crg("sweep", path, EXAMPLES, "--format", "markdown")
        tags, text = tags_and_text(rendered(out))
        assert not {"a", "strong", "b"} & set(tags) and "**Grant** [x](javascript:y) <b>z</b>" in text


class TestShortlistChanges:
    @settings(max_examples=200)
    @given(st.lists(st.permutations([f"p{k}" for k in range(30)]).flatmap(
        lambda ids: st.integers(0, 30).map(lambda n: tuple(ids[:n]))), max_size=8))
    def test_who_entered_and_left_each_in_its_shortlists_order(self, shortlists):
        """Who entered and who left each shortlist, in the order of the shortlist they are or were in, as reading
        every id of both says (one, a few or many of them changing)."""
        import types

        intervals = [types.SimpleNamespace(chosen=c) for c in shortlists]
        before: tuple = ()
        for iv, (entered, left) in zip(intervals, report.shortlist_changes(intervals), strict=True):
            assert entered == [pid for pid in iv.chosen if pid not in before]
            assert left == [pid for pid in before if pid not in iv.chosen]
            before = iv.chosen


class TestJsonInPieces:
    """``crg screen --format json`` writes its document a proposal at a time; the pieces make the same text."""

    @pytest.mark.parametrize("name", sorted(ROUNDS))
    @pytest.mark.parametrize("policy", ("rank", "optimal"))
    def test_the_pieces_are_the_document(self, name, policy):
        inputs = load_inputs(*ROUNDS[name])
        done = run(inputs.round, inputs.proposals, Overrides(policy=policy), engine="python")
        pieces = list(report.outcome_json_parts(done))
        assert len(pieces) == len(done.decisions) + 2
        assert "".join(pieces) == report.outcome_json(done)

    def test_no_proposals(self):
        done = run(INPUTS.round, (), Overrides(), engine="python")
        assert "".join(report.outcome_json_parts(done)) == report.outcome_json(done)
        assert json.loads(report.outcome_json(done))["proposals"] == []

    @pytest.mark.parametrize("name", sorted(ROUNDS))
    @pytest.mark.parametrize("policy", ("rank", "optimal"))
    def test_the_sweeps_pieces_are_its_document(self, name, policy):
        """``crg sweep --format json`` writes its list an interval at a time; the pieces make the same text."""
        inputs = load_inputs(*ROUNDS[name])
        done = run(inputs.round, inputs.proposals, Overrides(policy=policy), engine="python")
        done.situation.sweep()
        pieces = list(report.sweep_json_parts(done))
        assert len(pieces) == len(done.intervals) + 2 > 3
        assert "".join(pieces) == report.sweep_json(done)
        assert [iv["shortlist"] for iv in json.loads("".join(pieces))] == [list(iv.chosen) for iv in done.intervals]

    def test_a_sweep_of_no_interval(self):
        import types

        none = types.SimpleNamespace(intervals=())
        assert "".join(report.sweep_json_parts(none)) == report.sweep_json(none) == "[]\n"

    @pytest.mark.parametrize("breaks", ("\n", "\u2028", "\u2029", "\x85", "\r", "\x0b\x0c\x1c"))
    def test_hostile_titles(self, breaks):
        """Titles with quotes, markup and line breaks of every kind (JSON escapes some, and writes the others,
        U+2028 among them, as they are) come out of the pieces as out of the whole."""
        import attrs

        hostile = tuple(attrs.evolve(p, title=HOSTILE_TITLES.get(p.id, p.title) + breaks + "end")
                        for p in INPUTS.proposals)
        done = run(INPUTS.round, hostile, Overrides(), engine="python")
        assert "".join(report.outcome_json_parts(done)) == report.outcome_json(done)
        titles = [item["title"] for item in json.loads("".join(report.outcome_json_parts(done)))["proposals"]]
        assert all(title.endswith(breaks + "end") for title in titles)


_json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                         st.sampled_from(["\u2028", "\u2029\n\x85", "\ud800", "\x00\x1f\"\\", "é€😀"]))
_json_values = st.recursive(
    _json_leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(st.text(max_size=6), inner, max_size=4),
                            st.dictionaries(st.one_of(st.integers(0, 3), st.booleans(), st.none()), inner,
                                            max_size=2)),
    max_leaves=25)


class _Str(str):
    pass


class _Int(int):
    pass


class _Float(float):
    pass


_Pair = collections.namedtuple("_Pair", "left right")


class TestLayout:
    @settings(max_examples=300)
    @given(_json_values)
    @example({"x": [float("inf"), -float("inf"), 0.1, -0.0, 10**30]})
    @example({1: "one", None: [], "u": {}})
    @example(["plain", {"a": [{"b": None, "c": True}], "d": ()}, [[]], 0.5, -3])
    @example({"sub": [_Str("é\n"), _Int(7), _Float(0.25), _Pair(1, "x"), collections.OrderedDict(z=1, a=[2])],
              "k": _Str("key")})
    def test_the_same_text_as_json_dumps(self, doc):
        """Any value, nested, with every kind of leaf and string (also those left to json.dumps: keys that
        are not strings, NaN, infinities), is written as json.dumps writes it with an indent of 2."""
        assert report.layout(doc) == json.dumps(doc, indent=2, ensure_ascii=False)
        # indented further: every line but the first (strings keep their escaped line breaks)
        assert report.layout(doc, "    ") == json.dumps(doc, indent=2, ensure_ascii=False).replace("\n", "\n    ")

    def test_what_json_cannot_write_is_refused_as_it_refuses(self):
        with pytest.raises(TypeError, match="not JSON serializable"):
            report.layout({"a": [1, {2}]})
