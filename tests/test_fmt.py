"""Tests of engine.fmt: one way to show money, scores, dates and numbers in every output."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, strategies as st

from engine import fmt

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

    def test_the_reported_case(self):
        """2.0, 2.5, 2.0, 0.4, 0.8, 0.5 shown as parts of 8.1 add up to 8.1."""
        parts = [Fraction(2), Fraction(5, 2), Fraction(2), Fraction(44, 100), Fraction(76, 100), Fraction(45, 100)]
        shown = fmt.rounded_parts(parts)
        assert sum(Fraction(s) for s in shown) == Fraction(fmt.points(sum(parts)))


class TestWords:
    def test_date(self):
        """Dates read as 8 April 2026 on every platform."""
        assert fmt.date(dt.date(2026, 4, 8)) == "8 April 2026"

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
