"""Tests of engine.year.ledger: reading a round's ledger, checking it, and replaying its year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from engine.errors import InputError
from engine.inputs.round import load_round
from engine.year.ledger import EVENTS, Ledger, day_in_year, load_ledger, replay

from . import strategies as S
from .conftest import RULES, YEARS, ledger_from_text, location, year

R2122, L2122 = YEARS["2021-22"]
R2627 = load_round(RULES / "kcsp-2026-27.yaml")


def from_text(text: str, round_=R2627) -> Ledger:
    """A ledger of the 2026/27 round read from *text* (not replayed)."""
    return ledger_from_text(text, round_)


def error_of(name: str, rules=R2122) -> str:
    with pytest.raises(InputError) as err:
        load_ledger(name, load_round(rules))
    return str(err.value)


# a ledger changed in one place -> words its error must hold
MISTAKES = {
    "spend beyond a revised cost": ("    cost: £831.60", "    cost: £800",
                                    "brings mental-health-crisis-cards to £831.60, more than its revised cost of £800"),
    "spend before the payment": ("  - date: 2021-11-18\n    event: paid", "  - date: 2022-03-25\n    event: paid",
                                 "brings what the partnership has spent or carried to £195.32, but the OPCC has paid "
                                 "it only £0 by 18 November 2021"),
    "move more than is left": ("    amount: £1,394", "    amount: £1,395",
                               "moves £1,395 from the upfront pot, which has only £1,394 not allocated on "
                               "18 November 2021"),
    "two projects with one id": ("  - id: osara-train-the-trainer", "  - id: dummy-cctv-cameras",
                                 "the project id 'dummy-cctv-cameras' is used twice"),
    "event without a source": ("    source: KCSP Working Group update, 24 March 2022 (para 2.3, closed with immediate "
                               "effect)\n", "", "'source' is missing"),
    "event before the shortlist": ("shortlisted: 2021-07-13", "shortlisted: 2021-12-01",
                                   "18 November 2021 is before the shortlist of 1 December 2021"),
    "assumed path naming nothing": ("assumed: [shortlisted]", "assumed: [shortlist]",
                                    "'shortlist' in 'assumed' names no value of this file (did you mean 'shortlisted'?)"),
    "projects beyond their pot": ("    allocation: £11,315", "    allocation: £13,000",
                                  "the upfront projects are allocated £26,732, more than the upfront pot holds (£26,441)"),
}


class TestLoadLedger:
    """load_ledger"""

    @pytest.mark.parametrize("key", sorted(YEARS))
    def test_shipped_ledgers_load(self, key):
        """Each shipped ledger loads against its round and replays to the year's end."""
        round_, ledger = year(key)
        assert ledger.round_id == round_.id
        assert ledger.events and all(e.source for e in ledger.events)

    def test_2021_22_projects(self):
        """The nine projects of 2021/22 are read with their allocations in pence, in file order."""
        _, ledger = year("2021-22")
        assert len(ledger.projects) == 9
        assert sum(p.allocation for p in ledger.projects) == 25_047_00
        assert ledger.projects[2].id == "mental-health-crisis-cards" and ledger.projects[2].allocation == 582_00
        assert {e.label for e in ledger.earlier_projects} == {
            "Kent Community Vulnerability Guidance web app (2019/20)", "Crime prevention education videos (2020/21)",
            "Hate crime publicity material (2020/21)"}

    def test_events_by_date_then_kind(self):
        """Events are held by date and, within a day, in the order of EVENTS."""
        _, ledger = year("2021-22")
        keys = [(e.date, list(EVENTS).index(e.kind)) for e in ledger.events]
        assert keys == sorted(keys)
        day = [e.kind for e in ledger.events if e.date == dt.date(2022, 3, 24)]
        assert day.index("cost revised") < day.index("spent") < day.index("withdrawn")

    def test_unreported_pot(self):
        """'pot: not reported' leaves a project's pot unknown (None)."""
        _, ledger = year("2025-26")
        assert {p.pot for p in ledger.projects} == {None}

    def test_assumptions(self):
        """The ledger lists what it assumes: its own, each project's and each event's."""
        _, ledger = year("2024-25")
        paths = [a.path for a in ledger.assumptions()]
        assert "projects.asb-case-reviews-training.allocation" in paths
        assert any(p.startswith("tactical bid approved, 30 September 2024, two-tactical-projects: ") for p in paths)

    def test_unknown_project(self, spoiled):
        """An event for a project the ledger does not have is refused at its line, with the near id."""
        name, line = spoiled(L2122, "    project: osara-train-the-trainer", "    project: osara-train-the-trainr")
        message = error_of(name)
        assert location(message) == (name, line)
        assert "events[13].project: 'osara-train-the-trainr' is not a project of this ledger " \
               "(did you mean 'osara-train-the-trainer'?)" in message

    def test_date_outside_the_year(self, spoiled):
        """An event dated outside the financial year is refused at its date."""
        name, line = spoiled(L2122, "  - date: 2022-03-31", "  - date: 2022-04-30")
        message = error_of(name)
        assert location(message) == (name, line)
        assert "30 April 2022 is outside the financial year 2021/22 (1 April 2021 to 31 March 2022)" in message

    def test_event_after_close_out(self, spoiled):
        """An event dated after the close-out is refused at that event."""
        name, line = spoiled(L2122, "  - date: 2022-03-31\n    event: closed out",
                             "  - date: 2022-03-01\n    event: closed out")
        message = error_of(name)
        assert location(message)[0] == name
        assert "comes after the close-out of 1 March 2022" in message
        assert "fix: close the year out with its last event, or correct the date" in message

    def test_spend_beyond_allocation(self, spoiled):
        """A spend beyond the allocation, with no revision, is refused at its amount."""
        name, line = spoiled(L2122, "    project: mental-health-crisis-cards\n    cost: £831.60",
                             "    project: nvr-foundation-training\n    cost: £400")
        message = error_of(name)
        assert "brings mental-health-crisis-cards to £831.60, more than its allocation of £582" in message
        assert "fix: record a 'cost revised' event on or before this date, or correct the amount" in message

    def test_revision_below_spend(self, spoiled):
        """A cost revised below what was already spent is refused at the cost."""
        name, line = spoiled(L2122, "  - date: 2022-03-31\n    event: closed out",
                             "  - date: 2022-03-30\n    event: cost revised\n    project: nvr-foundation-training\n"
                             "    cost: £300\n    source: x\n  - date: 2022-03-31\n    event: closed out")
        message = error_of(name)
        assert location(message) == (name, line + 3)
        assert "events[17].cost: £300 is less than the £395 already spent or carried on nvr-foundation-training" \
            in message

    @pytest.mark.parametrize("case", sorted(MISTAKES))
    def test_mistake(self, case, spoiled):
        """Each inconsistency of a ledger is refused as it loads, saying what is wrong."""
        old, new, words = MISTAKES[case]
        name, _ = spoiled(L2122, old, new)
        message = error_of(name)
        assert message.startswith(f"{name}:") and words in message

    def test_wrong_round(self):
        """A ledger checked against another round's rules file is refused at 'round'."""
        message = error_of(L2122, RULES / "kcsp-2024-25.yaml")
        assert location(message) == (str(L2122), 8)
        assert "the ledger is for the round 'kcsp-2021-22', but the rules file is for 'kcsp-2024-25'" in message

    def test_known_fields_named_once(self):
        """A field the file lacks is noted as read more than once; the list of known fields names each once."""
        from engine.errors import InputErrors

        with pytest.raises(InputErrors) as err:
            from_text("round: kcsp-2026-27\nshortlisted: 2026-05-01\nzzzz: 1\n")
        (unknown,) = [e for e in err.value.errors if e.field == "zzzz"]
        assert unknown.fix == ("remove it; the known fields are round, shortlisted, projects, earlier_projects, "
                               "events, source, notes, assumed")

    def test_unknown_event(self, spoiled):
        """An unknown kind of event is refused with the near kind."""
        name, line = spoiled(L2122, "    event: tactical pot opened", "    event: tactical pot open")
        message = error_of(name)
        assert location(message) == (name, line)
        assert "'tactical pot open' is not a kind of event (did you mean 'tactical pot opened'?)" in message

    def test_unknown_pot(self, spoiled):
        """A project's pot must be upfront, tactical or 'not reported'."""
        name, line = spoiled(L2122, "    pot: upfront\n    allocation: £750", "    pot: upfrnt\n    allocation: £750")
        message = error_of(name)
        assert location(message) == (name, line)
        assert "'upfrnt' is not a pot (did you mean 'upfront'?)" in message

    def test_bid_beyond_pot(self):
        """A tactical bid for more than the tactical pot has left is refused."""
        text = ("round: kcsp-2026-27\nshortlisted: 2026-05-01\nprojects:\n  - id: a\n    title: A\n    pot: upfront\n"
                "    allocation: £100\nevents:\n  - {date: 2026-05-15, event: business case approved, source: x}\n"
                "  - date: 2026-06-01\n    event: tactical bid approved\n"
                "    project: b\n    title: B\n    amount: £13,100.01\n    source: x\n")
        with pytest.raises(InputError, match=r"awards £13,100.01, more than the £13,100 left in the tactical pot"):
            replay(R2627, from_text(text))


# a 2026/27 year: two upfront projects shortlisted on 27 April, their business case approved on 15 May, the grant
# paid and £2,200 moved to the tactical pot on 20 May
YEAR_2026_27 = ("round: kcsp-2026-27\nshortlisted: 2026-04-27\nprojects:\n"
                "  - {id: a, title: A, pot: upfront, allocation: '£20,000'}\n"
                "  - {id: b, title: B, pot: upfront, allocation: '£4,300'}\n"
                "events:\n"
                "  - {date: 2026-05-15, event: business case approved, source: s}\n"
                "  - {date: 2026-05-20, event: paid, amount: '£39,600', source: s}\n"
                "  - {date: 2026-05-20, event: moved, amount: '£2,200', from: upfront, to: tactical, source: s}\n")


def award(day: str, amount: str = "£100", project: str = "bid") -> str:
    return (f"  - {{date: {day}, event: tactical bid approved, project: {project}, title: Bid, amount: '{amount}', "
            "source: s}\n")


def mistake(text: str, round_=R2627) -> InputError:
    with pytest.raises(InputError) as err:
        replay(round_, from_text(text, round_))
    return err.value


class TestTacticalAwards:
    """a tactical bid approved only while the pot is open, by the same reading as crg status"""

    def test_after_the_opcc_closed_it(self):
        """An award after the OPCC closed the pot is refused at its date, naming the closing and its source; one on
        the closing day itself still comes before it."""
        closed = "  - {date: 2026-06-01, event: tactical pot closed, source: OPCC letter}\n"
        err = mistake(YEAR_2026_27 + closed + award("2026-07-01"))
        assert err.field == "events[5].date"
        assert err.problem == ("awards £100 to bid on 1 July 2026, but the tactical pot is closed: the OPCC closed it "
                               "on 1 June 2026 (source: OPCC letter)")
        assert err.fix == "correct the date, or remove the award: no bid can be approved once the pot is closed"
        assert replay(R2627, from_text(YEAR_2026_27 + closed + award("2026-06-01"))).left("tactical") == 15_200_00

    def test_2024_25_after_the_opcc_closed_it(self, spoiled):
        """The same in 2024/25, whose rules file does not read the OPCC's closing."""
        name, _ = spoiled(YEARS["2024-25"][1], "events:\n",
                          "events:\n  - {date: 2024-09-01, event: tactical pot closed, source: OPCC letter}\n")
        message = error_of(name, RULES / "kcsp-2024-25.yaml")
        assert "awards £13,227 to two-tactical-projects on 30 September 2024, but the tactical pot is closed: the " \
               "OPCC closed it on 1 September 2024 (source: OPCC letter)" in message

    def test_while_it_is_locked(self):
        """An award before the pot opens is refused at its date, naming what holds it and the day the ledger
        opens it."""
        err = mistake(YEAR_2026_27 + award("2026-05-10"))
        assert err.field == "events[4].date"
        assert err.problem == ("awards £100 to bid on 10 May 2026, but the tactical pot is locked: still waiting for "
                               "the OPCC to approve the business case of A, B; by this ledger it opens on 15 May 2026")
        assert err.fix == ("date the award on or after the day the pot opens, or record the OPCC's opening of it "
                           "('event: tactical pot opened') on or before this date")

    def test_while_it_is_locked_for_good(self):
        """With no approval nor opening in the ledger, the error says so."""
        err = mistake(YEAR_2026_27.replace("event: business case approved", "event: completed, project: a")
                      + award("2026-06-10"))
        assert err.problem.endswith("still waiting for the OPCC to approve the business case of A, B; this ledger "
                                    "does not record it opening")

    def test_opened_by_the_opcc(self):
        """The OPCC's opening lets an award through before the business case is approved."""
        text = YEAR_2026_27.replace("2026-05-15", "2026-06-15") + \
            "  - {date: 2026-05-21, event: tactical pot opened, source: s}\n" + award("2026-05-22")
        assert replay(R2627, from_text(text)).project("bid").approved

    def test_no_opening_after_the_closing(self):
        """An opening after the OPCC's closing is refused: a closed pot stays closed."""
        text = YEAR_2026_27 + "  - {date: 2026-06-01, event: tactical pot closed, source: s}\n" \
            "  - {date: 2026-06-02, event: tactical pot opened, source: s}\n"
        err = mistake(text)
        assert err.field == "events[5].date"
        assert err.problem == "the OPCC closed the tactical pot on 1 June 2026, before this opening"


def revised(day: str, cost: str, project: str = "b") -> str:
    return f"  - {{date: {day}, event: cost revised, project: {project}, cost: '{cost}', reason: dearer, source: s}}\n"


class TestCostAboveTheAllocation:
    """a cost revised above a project's allocation is met from its pot: what its other projects freed, then what
    the pot has left; never beyond it"""

    def test_beyond_the_pot_is_refused_at_the_revision(self):
        """The upfront pot has nothing left (£2,200 moved out): a cost £300 above B's allocation is refused at the
        revision, the fix saying how to record the extra money."""
        err = mistake(YEAR_2026_27 + revised("2026-06-01", "£4,600"))
        assert err.field == "events[4].cost"
        assert err.problem == ("£4,600 is £300 more than the allocation of b (£4,300), but on 1 June 2026 the upfront "
                               "pot has only £0 to meet it (not allocated, or freed by its other projects): it would "
                               "be over-committed by £300")
        assert err.fix == ("record the money agreed for it as a 'moved' event of at least £300 into the upfront pot "
                           "on or before this date, or correct the cost")

    def test_money_moved_in_meets_it_and_leaves_less_for_bids(self):
        """With £300 moved from the tactical pot the same day, the revision stands: the tactical pot has £300 less
        left, so an award of what it had before is refused, and nothing is over-committed."""
        text = YEAR_2026_27 + revised("2026-06-01", "£4,600") + \
            "  - {date: 2026-06-01, event: moved, amount: '£300', from: tactical, to: upfront, source: s}\n"
        state = replay(R2627, from_text(text))
        assert (state.left("upfront"), state.over("upfront"), state.left("tactical")) == (0, 300_00, 15_000_00)
        assert state.allocated() + state.over() + state.left() == R2627.grant
        err = mistake(text + award("2026-06-02", "£15,300"))
        assert err.problem == "awards £15,300, more than the £15,000 left in the tactical pot on 2 June 2026"
        spent = text + award("2026-06-02", "£15,000") + \
            "  - {date: 2026-07-01, event: spent, project: b, amount: '£4,600', source: s}\n"
        state = replay(R2627, from_text(spent))
        assert state.committed() + state.spent() == R2627.grant and state.left() == 0

    def test_met_from_what_the_pot_left_before_an_award(self):
        """A pot with money left meets the extra from it: the tactical pot's money left falls by it."""
        text = YEAR_2026_27 + award("2026-06-01", "£1,000", "t") + revised("2026-06-05", "£1,250", "t")
        state = replay(R2627, from_text(text))
        assert state.left("tactical") == 15_300_00 - 1_250_00 and state.project("t").freed == -250_00

    def test_met_from_money_freed_the_same_day(self):
        """A project withdrawn the same day frees the money: the day's events are checked once all are in (a
        withdrawal comes after a revision in the order of a day), as the real 2021/22 cards were met by the
        conference and seminar withdrawn on 24 March 2022."""
        text = YEAR_2026_27 + revised("2026-06-01", "£4,600") + \
            "  - {date: 2026-06-01, event: withdrawn, project: a, reason: r, source: s}\n"
        state = replay(R2627, from_text(text))
        assert (state.left("upfront"), state.over("upfront"), state.freed("upfront")) == (0, 0, 19_700_00)
        round_, ledger = year("2021-22")
        assert replay(round_, ledger).left("upfront") == 0

    def test_freed_money_cannot_be_moved(self):
        """Money freed by a withdrawn project is not money left: moving it is refused, saying where it goes."""
        text = YEAR_2026_27 + "  - {date: 2026-06-01, event: withdrawn, project: b, reason: r, source: s}\n" \
            "  - {date: 2026-06-02, event: moved, amount: '£4,300', from: upfront, to: tactical, source: s}\n"
        err = mistake(text)
        assert err.problem == ("moves £4,300 from the upfront pot, which has only £0 not allocated on 2 June 2026; "
                               "the £4,300 freed by its projects (withdrawn, or cheaper) is not part of it: freed "
                               "money meets other projects' costs above their allocations, and what is not needed "
                               "is returned to the OPCC at the year's end")
        assert err.fix == "move no more than the pot has left; freed money cannot be moved"


class TestReplay:
    """replay"""

    def test_before_the_shortlist(self):
        """Before the shortlist no project holds an allocation."""
        round_, ledger = year("2021-22")
        state = replay(round_, ledger, dt.date(2021, 5, 1))
        assert not state.shortlisted and state.projects == () and state.left() == 39_661_00

    def test_2021_22_on_31_january(self):
        """On 31 January 2022: £1,394 moved, £195.32 spent, the OPCC's opening recorded."""
        round_, ledger = year("2021-22")
        state = replay(round_, ledger, dt.date(2022, 1, 31))
        assert (state.size("upfront"), state.size("tactical")) == (25_047_00, 14_614_00)
        assert state.spent() == 195_32 and state.committed() == 25_047_00 - 195_32
        assert state.opened_by_opcc == dt.date(2022, 1, 31) and state.closed_by_opcc is None
        assert state.paid == 25_047_00
        assert len(state.earlier_open) == 3

    def test_unreported_pots_bound_what_is_left(self):
        """With pots not reported, each pot's money left is at most the grant's."""
        round_, ledger = year("2025-26")
        state = replay(round_, ledger, dt.date(2025, 9, 1))
        assert state.unreported
        assert state.left() == 30_40
        assert state.left("tactical") == state.left("upfront") == 30_40

    def test_withdrawn_frees_its_money(self):
        """A withdrawn project commits nothing and frees its allocation."""
        round_, ledger = year("2021-22")
        row = replay(round_, ledger).project("community-safety-conference")
        assert row.withdrawn is not None and row.committed == 0 and row.freed == 1_200_00

    @given(S.ledger_years(), st.integers(0, 364))
    def test_money_is_conserved_on_every_date(self, drawn, offset):
        """On any date of a random valid year, each pot and project adds up to the penny."""
        text, _ = drawn
        ledger = from_text(text)
        day = R2627.year_start + dt.timedelta(days=offset)
        state = replay(R2627, ledger, day)
        for row in state.projects:
            assert row.project.allocation == row.spent + row.carried + row.committed + row.freed
            assert row.committed >= 0
        assert state.size("upfront") + state.size("tactical") == R2627.upfront + R2627.tactical
        assert state.allocated() + state.over() + state.left() == R2627.grant
        assert state.left() >= 0 and state.spent() + state.carried() + state.committed() <= R2627.grant
        for pot in ("upfront", "tactical"):
            assert 0 <= state.left(pot) <= state.size(pot) - state.allocated(pot) - state.over(pot)
        assert state.spent() + state.carried() <= state.paid <= R2627.grant

    @given(S.ledger_years(), st.data())
    def test_order_of_events_never_matters(self, drawn, data):
        """The events of a ledger written in any order replay to the same state on any date."""
        text, _ = drawn
        count = text.count("  - date:")
        order = data.draw(st.permutations(range(count)))
        day = R2627.year_start + dt.timedelta(days=data.draw(st.integers(0, 364)))
        one = replay(R2627, from_text(text), day)
        two = replay(R2627, from_text(S.shuffled_events(text, order)), day)
        assert one.projects == two.projects
        assert (one.sizes, one.paid, one.opened_by_opcc, one.closed_by_opcc, one.closed_out) == \
            (two.sizes, two.paid, two.opened_by_opcc, two.closed_by_opcc, two.closed_out)


class TestMovedOnTheShortlistDay:
    TEXT = ("round: kcsp-2026-27\nshortlisted: 2026-05-01\nprojects:\n"
            "  - {id: a, title: A, pot: upfront, allocation: '£20,000'}\n"
            "  - {id: b, title: B, pot: upfront, allocation: '£7,500.50'}\n"
            "events:\n  - {date: DAY, event: moved, amount: '£1,000.50', from: tactical, to: upfront, source: s}\n")

    @pytest.mark.parametrize("day", ["2026-04-27", "2026-05-01"])
    @pytest.mark.parametrize("paid", ["", "  - {date: 2026-05-01, event: paid, amount: '£10,000', source: s}\n"])
    def test_money_moved_by_the_shortlist_day_holds_its_projects(self, day, paid):
        """Upfront projects allocated £1,000.50 more than the upfront pot are held by money moved into it before
        or on the shortlist's day (the Chair funding more than the allocation), whatever else happened that day
        (a payment comes before a move in the order of a day's events)."""
        state = replay(R2627, from_text(self.TEXT.replace("DAY", day) + paid))
        assert state.size("upfront") == 27_500_50 and state.size("tactical") == 12_099_50

    def test_money_moved_out_on_the_shortlist_day_is_checked_at_its_event(self):
        """Moving more out of a pot on the shortlist's day than it has left is a mistake at the move, naming what
        is left."""
        text = ("round: kcsp-2026-27\nshortlisted: 2026-05-01\nprojects:\n"
                "  - {id: a, title: A, pot: upfront, allocation: '£20,000'}\n"
                "events:\n  - {date: 2026-05-01, event: moved, amount: '£7,000', from: upfront, to: tactical, "
                "source: s}\n")
        with pytest.raises(InputError) as err:
            replay(R2627, from_text(text))
        assert err.value.field == "events[1].amount"
        assert err.value.problem == ("moves £7,000 from the upfront pot, which has only £6,500 not allocated on "
                                     "1 May 2026")

    def test_money_moved_after_it_does_not(self):
        """Moved the day after, the projects are more than the pot held on the shortlist's day: a mistake whose fix
        names the 'moved' event and the day."""
        with pytest.raises(InputError) as err:
            replay(R2627, from_text(self.TEXT.replace("DAY", "2026-05-02")))
        assert err.value.problem == "the upfront projects are allocated £27,500.50, more than the upfront pot holds " \
                                    "(£26,500)"
        assert err.value.fix == ("check each project's allocation and pot; money the Chair agreed to move into the "
                                 "upfront pot is a 'moved' event dated no later than the shortlist (2026-05-01)")


class TestDayInYear:
    """day_in_year"""

    def test_given(self):
        """A date inside the year is read as written."""
        assert day_in_year(R2627, "2026-06-01", today=dt.date(2000, 1, 1)) == dt.date(2026, 6, 1)

    @pytest.mark.parametrize("today, expected", [
        (dt.date(2025, 1, 1), dt.date(2026, 4, 1)), (dt.date(2026, 9, 9), dt.date(2026, 9, 9)),
        (dt.date(2030, 1, 1), dt.date(2027, 3, 31))])
    def test_today_kept_inside_the_year(self, today, expected):
        """With no date, today is used, moved to the nearer end of the year when outside it."""
        assert day_in_year(R2627, None, today=today) == expected

    def test_outside(self):
        """A date outside the year is refused, naming the flag."""
        with pytest.raises(InputError) as err:
            day_in_year(R2627, "2027-04-01", today=dt.date(2026, 6, 1), field="--on")
        assert str(err.value) == ("--on: 1 April 2027 is outside the financial year 2026/27 (1 April 2026 to "
                                  "31 March 2027)\n  fix: give a date from 2026-04-01 to 2027-03-31")

    def test_not_a_date(self):
        """Text that is not a date is refused, naming the flag."""
        with pytest.raises(InputError, match="--on: '1/4/2026' is not a date written YYYY-MM-DD"):
            day_in_year(R2627, "1/4/2026", today=dt.date(2026, 6, 1), field="--on")
