"""Tests of engine.fmt: one way to show money, scores, dates and numbers in every output."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import example, given, strategies as st

from engine import fmt

from .conftest import rendered, tags_and_text

fractions = st.fractions(min_value=0, max_value=10, max_denominator=10_000)


class TestPoints:
    def test_one_decimal_always(self):
        """A whole score shows its decimal: 8.0, never 8."""
        assert fmt.points(Fraction(8)) == "8.0"
        assert fmt.score(8000) == "8.0"

    def test_half_up(self):
        """Halves round up, once, from the exact value."""
        assert fmt.points(Fraction(725, 100)) == "7.3"
        assert fmt.points(Fraction(745, 100)) == "7.5"
        assert fmt.points(Fraction(2, 3), 2) == "0.67"

    def test_negative(self):
        """A negative value keeps its sign, and a value that rounds to zero has none."""
        assert fmt.points(Fraction(-15, 10)) == "-1.5"
        assert fmt.points(Fraction(-1, 100)) == "0.0"


    @given(st.fractions(min_value=-100, max_value=100, max_denominator=10**6), st.integers(0, 4))
    def test_as_the_exact_value_rounds(self, value, places):
        """The whole-number rounding is the exact one: |value| times 10**places, plus a half, rounded down."""
        whole = (abs(value) * 10**places * 2 + 1) // 2
        sign = "-" if value < 0 and whole else ""
        text = f"{sign}{whole // 10**places}" + (f".{whole % 10**places:0{places}d}" if places else "")
        assert fmt.points(value, places) == text
        assert fmt.points(int(value), places) == fmt.points(Fraction(int(value)), places)


class TestChanges:
    def test_money_change(self):
        """A change of money says + or − (the minus sign), or 'no change'."""
        assert fmt.money_change(265000) == "+£2,650.00"
        assert fmt.money_change(-100000) == "\u2212£1,000.00"
        assert fmt.money_change(0) == "no change"

    def test_points_change(self):
        """A change of score, from units, with one decimal."""
        assert fmt.points_change(780) == "+0.8"
        assert fmt.points_change(-15380) == "\u221215.4"
        assert fmt.points_change(0) == "no change"
        assert fmt.points_change(20) == "+0.0"


@given(st.one_of(st.fractions(max_denominator=10**9), st.integers(-10**12, 10**12)))
def test_points_for_json_are_the_exact_value_to_three_decimals(value):
    """A number of points in JSON is the exact value, correctly rounded to a float, to three decimals."""
    value = Fraction(value)
    assert fmt.points_json(value) == round(value.numerator / value.denominator, 3)
    if value.denominator == 1:
        assert fmt.points_json(int(value)) == fmt.points_json(value)


class TestRoundedParts:
    @given(st.lists(fractions, min_size=1, max_size=8))
    def test_parts_add_up(self, parts):
        """The rounded parts add up to the total rounded the same way."""
        shown = fmt.rounded_parts(parts)
        total = fmt.points(sum(parts, Fraction(0)))
        assert sum(Fraction(s) for s in shown) == Fraction(total)

    @given(st.lists(fractions, min_size=1, max_size=8))
    def test_each_part_within_a_step(self, parts):
        """Each part moves by less than one step of the last decimal."""
        for exact, shown in zip(parts, fmt.rounded_parts(parts)):
            assert abs(Fraction(shown) - exact) < Fraction(1, 10)

    @given(st.lists(st.fractions(min_value=-10, max_value=10, max_denominator=10_000), max_size=8), st.integers(0, 3))
    def test_the_largest_remainders_step_up(self, parts, places):
        """Each part is shown as points shows its value cut down to the grid, or one step up: the first
        of the largest remainders, as many as the total, rounded, needs."""
        scale = 10 ** places
        cut = [Fraction(p * scale).__floor__() for p in parts]
        total = (sum(parts, Fraction(0)) * scale * 2 + 1) // 2
        order = sorted(range(len(parts)), key=lambda i: (-(parts[i] * scale - cut[i]), i))
        for i in order[:max(int(total - sum(cut)), 0)]:
            cut[i] += 1
        assert fmt.rounded_parts(parts, places) == [fmt.points(Fraction(c, scale), places) for c in cut]

    @given(st.lists(fractions, min_size=1, max_size=8), st.integers(-1, 1))
    def test_a_total_a_step_away(self, parts, moved):
        """Given a total a step above or below their own, the parts add up to it, each at most a step from where
        its own total puts it."""
        natural = fmt.rounded_steps(parts)
        steps = fmt.rounded_steps(parts, total=sum(natural) + moved)
        assert sum(steps) == sum(natural) + moved
        assert all(abs(s - n) <= 1 for s, n in zip(steps, natural))

    def test_the_reported_case(self):
        """2.0, 2.5, 2.0, 0.4, 0.8, 0.5 shown as parts of 8.1 add up to 8.1."""
        parts = [Fraction(2), Fraction(5, 2), Fraction(2), Fraction(44, 100), Fraction(76, 100), Fraction(45, 100)]
        shown = fmt.rounded_parts(parts)
        assert sum(Fraction(s) for s in shown) == Fraction(fmt.points(sum(parts)))


class TestWords:
    def test_date(self):
        """Dates read as 8 April 2026 on every platform."""
        assert fmt.date(dt.date(2026, 4, 8)) == "8 April 2026"

    @given(st.dates())
    def test_date_names_the_month_as_strftime_does(self, day):
        """The month's name is the one strftime gives in the C locale, which the tool never changes."""
        assert fmt.date(day) == f"{day.day} {day.strftime('%B')} {day.year}"

    def test_ordinal(self):
        assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == \
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]

    def test_number(self):
        """Plain numbers drop trailing zeros."""
        assert [fmt.number(Fraction(x)) for x in (2, Fraction(5, 2), Fraction(1, 3))] == ["2", "2.5", "0.333"]

    def test_found_is_short(self):
        """What a file holds is quoted as a short excerpt on one line, never whole."""
        text = "word " * 1000
        shown = fmt.found(text)
        assert len(shown) < 60 and "\n" not in shown
        assert fmt.found(None) == "nothing" and fmt.found([1]) == "a list" and fmt.found({}) == "a mapping"


class TestQuoted:
    def test_short_and_on_one_line(self):
        """A cited value is quoted on one line and cut to its width, however long it was."""
        assert fmt.quoted("£6,00") == "'£6,00'"
        long = fmt.quoted("Dear colleagues,\n\n" + "we write " * 500)
        assert len(long) <= 42 and "\n" not in long and long.endswith("…'")

    def test_found_uses_it(self):
        """What a file holds is named in a few words, text quoted short."""
        assert fmt.found("x " * 300).startswith("the text 'x x") and len(fmt.found("x " * 300)) < 60


class TestNumbersForCharts:
    def test_count(self):
        """A count of things has commas between thousands."""
        assert fmt.count(1200) == "1,200" and fmt.count(7) == "7"

    @given(st.integers(0, 10**9))
    def test_pounds_and_money_agree(self, pence):
        """A sum placed on a chart's axis is the sum money() shows."""
        assert fmt.money(pence) == f"£{fmt.pounds(pence):,.2f}"

    def test_score_value(self):
        """A score placed on a chart's axis is its points."""
        assert fmt.score_value(8250) == 8.25


class TestTimestamp:
    @given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2999, 12, 31)))
    def test_day_and_minute(self, moment):
        """A UTC time reads as the day in words and the hour and minute, in UTC."""
        text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert fmt.timestamp(text) == f"{fmt.date(moment.date())}, {moment.hour:02d}:{moment.minute:02d} UTC"

    def test_example(self):
        """The Working Group's meeting time."""
        assert fmt.timestamp("2026-04-27T10:05:59Z") == "27 April 2026, 10:05 UTC"


def plain(text: str) -> str:
    """*text* as a Markdown paragraph shows it: line breaks as spaces, no blanks at either end."""
    import re

    return re.sub(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*", " ", text).strip(" \t")


# text a file can hold: anything printable, with the characters Markdown and HTML give meaning to made likely
# (and no blank but the space and the tab, which renderers trim from the ends of a paragraph in different ways)
file_text = st.lists(
    st.one_of(st.sampled_from(list("\\`*_[]()<>&|~@#+-=!:./ \t\n\r") + ["www.", "://", "http", "1."]),
              st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="\ufeff")),
    max_size=40,
).map("".join)


class TestMarkdown:
    HOSTILE = [
        "[click me](javascript:alert(1)) **bold**",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "see https://example.invalid and www.example.invalid, or mail a@example.invalid",
        "~~struck~~ `code` _em_ &amp; &#106; | cell |",
        "# heading",
        "1. a list",
        "- an item",
        "> a quote",
        "---",
    ]

    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_text_shows_as_written(self, text):
        """A link, emphasis, HTML, an entity, a heading or a list in a title shows as the characters written."""
        assert tags_and_text(rendered(fmt.markdown(text))) == (["p"], text + "\n")

    def test_line_break_becomes_a_space(self):
        """A title with a line break stays on one line: the break shows as a space."""
        assert fmt.markdown("first line\nsecond line") == "first line second line"
        assert rendered("- " + fmt.markdown("a\n\n- b")) == "<ul>\n<li>a - b</li>\n</ul>\n"

    @given(file_text)
    def test_any_text_is_one_plain_paragraph(self, text):
        """Whatever the text, rendered on its own it is one paragraph holding exactly that text."""
        shown = plain(text)
        assert tags_and_text(rendered(fmt.markdown(text))) == ((["p"], shown + "\n") if shown else ([], ""))

    @given(file_text)
    def test_any_text_in_a_table_cell_stays_in_its_cell(self, text):
        """In a table cell the text is the cell's whole content and adds no column."""
        import html
        import re

        out = rendered(f"| a | b |\n|---|---|\n| {fmt.markdown(text)} | z |\n")
        assert tags_and_text(out)[0] == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
        cell = re.search(r"<tbody>\n<tr>\n<td>(.*?)</td>\n<td>z</td>", out, re.S)
        assert cell and html.unescape(cell[1]) == plain(text)

    @given(st.one_of(file_text, st.text(alphabet="wW.:/ -+#1)\\`*_[]<>&|~@aİ\u212a\n", max_size=14),
                     st.lists(st.sampled_from(["www", "WwW", ".", "://", ":/", "a", " ", "x.y"]), max_size=6).map("".join)))
    @example("see www.example.invalid today")
    @example("a://b")
    def test_the_same_as_escaping_each_character(self, text):
        """Text with nothing to escape is passed through at once; whatever the text, the result is what going
        through it character by character gives."""
        import re

        text_ = re.sub(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*", " ", text).lstrip(" \t")
        start = fmt._MD_LINE_START.match(text_)
        marker = -1 if start is None else (start.end() if start.group()[0].isdigit() else 0)
        expected = "".join(("\\" if ch in "\\`*_[]<>&|~@" or i == marker
                            or (ch == ":" and text_.startswith("//", i + 1))
                            or (ch == "." and text_[max(i - 3, 0):i].lower() == "www") else "") + ch
                           for i, ch in enumerate(text_))
        assert fmt.markdown(text) == expected

    def test_plain_words_unchanged(self):
        """Ordinary words, sums and dates are left as they are."""
        for text in ("Door chains for older residents", "£1,850.00", "8.0 of 10 (pcc 2.0)", "e-scooter safety"):
            assert fmt.markdown(text) == text


class TestCount:
    def test_singular_and_plural(self):
        assert [fmt.count(n, "project") for n in (0, 1, 2, 1200)] == ["0 projects", "1 project", "2 projects",
                                                                      "1,200 projects"]
        assert fmt.count(3, "priority", "priorities") == "3 priorities"


class TestPercent:
    def test_half_up(self):
        """Whole percentages, halves up, from whole pence; nothing of nothing is 0%."""
        assert fmt.percent(80000, 2650000) == "3%"
        assert fmt.percent(1, 200) == "1%"
        assert fmt.percent(5, 1000) == "1%" and fmt.percent(4, 1000) == "0%"
        assert fmt.percent(5, 0) == "0%"
