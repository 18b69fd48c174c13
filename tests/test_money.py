"""Tests of engine.inputs.money: reading sums of money exactly, and writing them back."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import fmt
from engine.inputs import money
from engine.errors import InputError
from . import strategies as S


class TestParse:
    """money.parse"""

    @pytest.mark.parametrize(
        "text, pence",
        [
            ("£5,595", 5_595_00),
            ("£3,703.20", 3_703_20),
            ("5595.00", 5_595_00),
            ("5595", 5_595_00),
            ("£5595", 5_595_00),
            ("£3,703.2", 3_703_20),
            ("3703.05", 3_703_05),
            ("£0", 0),
            ("0.01", 1),
            ("£1,234,567.89", 1_234_567_89),
            ("£26,500.00", 26_500_00),
            (" £26,500 ", 26_500_00),
        ],
    )
    def test_accepted_forms(self, text, pence):
        """Each form a council officer writes is read as the exact number of pence."""
        assert money.parse(text) == pence

    def test_int_is_pounds(self):
        """An int is a number of whole pounds."""
        assert money.parse(5595) == 5_595_00
        assert money.parse(0) == 0

    def test_decimal_with_two_places(self):
        """A Decimal with at most two decimals is read exactly."""
        assert money.parse(Decimal("3703.20")) == 3_703_20
        assert money.parse(Decimal("1.5")) == 150

    def test_result_is_int(self):
        """The result is an int, never a float or Decimal."""
        assert type(money.parse("£3,703.20")) is int
        assert type(money.parse(Decimal("1.50"))) is int

    @pytest.mark.parametrize(
        "bad",
        ["£6,00", "£1.234,00", "3703.205", "-5", "£-5", "-£5", "abc", "", "   ", "1,23,456", "12,3456",
         "£", "5595.", ".50", "£5,595.5.5", "5 595", "5595p", "1e3", "£1,000,00"],
    )
    def test_refused_texts(self, bad):
        """Texts that are not one exact, non-negative sum written in an accepted form are refused."""
        with pytest.raises(InputError):
            money.parse(bad)

    @pytest.mark.parametrize("bad", ["٥٥٩٥", "５５９５", "£５,５９５", "1٢.00"])
    def test_non_ascii_digits_refused(self, bad):
        """Digits other than 0-9 (Arabic-Indic, full-width) are not an accepted form and are refused."""
        with pytest.raises(InputError):
            money.parse(bad)

    @pytest.mark.parametrize("bad", [5595.0, 0.5, float("nan"), True, False, -5, -1, Decimal("1.005"),
                                     Decimal("-1"), Decimal("NaN"), Decimal("Infinity"), None, [5595],
                                     {"cost": 1}])
    def test_refused_values(self, bad):
        """Floats, bools, negative numbers, sub-penny Decimals and non-money values are refused."""
        with pytest.raises(InputError):
            money.parse(bad)

    def test_ambiguous_says_so(self):
        """A sum with a comma where pence might be says it cannot be read one way only."""
        with pytest.raises(InputError) as err:
            money.parse("£6,00")
        text = str(err.value)
        assert "'£6,00'" in text
        assert "one way" in text
        assert "pounds or pence" in text

    def test_too_many_decimals_says_so(self):
        """A sum with three decimals says it has more than two."""
        with pytest.raises(InputError) as err:
            money.parse("3703.205")
        assert "more than two decimals" in str(err.value)

    def test_negative_says_so(self):
        """A negative sum says it is negative."""
        for bad in ("-5", "£-5", -5):
            with pytest.raises(InputError) as err:
                money.parse(bad)
            assert "negative" in str(err.value)

    def test_float_says_not_exact(self):
        """A float is refused as not exact, showing the value."""
        with pytest.raises(InputError) as err:
            money.parse(5595.0)
        assert "5595.0" in str(err.value)
        assert "exact" in str(err.value)

    def test_error_names_field_and_fix(self):
        """The error carries the field given and a fix showing an accepted form."""
        with pytest.raises(InputError) as err:
            money.parse("abc", field="cost")
        assert err.value.field == "cost"
        assert str(err.value).startswith("cost: ")
        assert "£3,703.20" in err.value.fix

    @given(S.money_strings())
    def test_every_form_reads_back(self, case):
        """A sum written in any accepted form is read as the pence it was built from."""
        text, pence = case
        assert money.parse(text) == pence

    @given(S.money_strings(forms=("£3,703.20", "5595.00")))
    def test_one_decimal_is_tens_of_pence(self, case):
        """A single decimal counts tens of pence: £x.5 is £x.50."""
        text, pence = case
        if pence % 10 == 0:
            assert money.parse(text[:-1]) == pence

    @given(S.money_strings(), st.sampled_from(["", "0", "00", "5"]))
    def test_extra_decimal_refused(self, case, extra):
        """Any sum with a third decimal is refused."""
        text, _ = case
        if "." not in text:
            text += ".00"
        with pytest.raises(InputError):
            money.parse(text + "0" + extra)

    @given(S.pence.filter(lambda x: x > 0))
    def test_negative_of_any_sum_refused(self, amount):
        """The negative of every sum is refused, however written."""
        for text in (f"-{fmt.money_json(amount)}", f"£-{fmt.money_json(amount)}", f"-{fmt.money(amount)}"):
            with pytest.raises(InputError):
                money.parse(text)
        with pytest.raises(InputError):
            money.parse(-(amount // 100) - 1)


class TestFmt:
    """fmt.money"""

    @pytest.mark.parametrize("pence, text", [(0, "£0.00"), (1, "£0.01"), (3_703_20, "£3,703.20"),
                                             (5_595_00, "£5,595.00"), (123_456_789_01, "£123,456,789.01")])
    def test_examples(self, pence, text):
        """Pounds with commas between thousands and always two decimals."""
        assert fmt.money(pence) == text

    @given(S.pence)
    def test_shape(self, amount):
        """The output is always £, digits with commas, a point and two digits."""
        assert re.fullmatch(r"£\d{1,3}(,\d{3})*\.\d\d", fmt.money(amount))

    @given(S.pence)
    def test_round_trip(self, amount):
        """parse(fmt(x)) == x."""
        assert money.parse(fmt.money(amount)) == amount

    @given(st.lists(S.money_strings(), max_size=20))
    def test_sum_is_exact(self, cases):
        """The sum of parsed amounts equals the parse of the formatted sum, to the penny."""
        total = sum(money.parse(text) for text, _ in cases)
        assert total == sum(pence for _, pence in cases)
        assert money.parse(fmt.money(total)) == total


class TestFmtShort:
    """fmt.money_short"""

    def test_examples(self):
        """Whole pounds without decimals, anything else as fmt does."""
        assert fmt.money_short(5_595_00) == "£5,595"
        assert fmt.money_short(3_703_20) == "£3,703.20"
        assert fmt.money_short(1) == "£0.01"
        assert fmt.money_short(0) == "£0"

    @given(S.pence)
    def test_round_trip(self, amount):
        """parse(fmt_short(x)) == x."""
        assert money.parse(fmt.money_short(amount)) == amount

    @given(S.pence)
    def test_decimals_only_when_pence(self, amount):
        """There is a decimal point exactly when the sum is not whole pounds."""
        assert ("." in fmt.money_short(amount)) == (amount % 100 != 0)


class TestAsJson:
    """fmt.money_json"""

    def test_examples(self):
        """Pounds as a plain string with two decimals, no £ and no commas."""
        assert fmt.money_json(26_500_00) == "26500.00"
        assert fmt.money_json(3_703_20) == "3703.20"
        assert fmt.money_json(7) == "0.07"

    @given(S.pence)
    def test_shape(self, amount):
        """Digits, a point and two digits."""
        assert re.fullmatch(r"\d+\.\d\d", fmt.money_json(amount))

    @given(S.pence)
    def test_round_trip(self, amount):
        """parse(as_json(x)) == x, and Decimal(as_json(x)) is x / 100 exactly."""
        assert money.parse(fmt.money_json(amount)) == amount
        assert Decimal(fmt.money_json(amount)) * 100 == amount
