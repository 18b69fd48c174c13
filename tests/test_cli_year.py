"""Tests of engine.cli.year: ``crg status``, ``crg tactical`` and ``crg closeout``, run in-process."""

from __future__ import annotations

import json
import re

import pytest

from engine.inputs.money import parse


def parse_money(text: str) -> int:
    """Pence of a JSON money string, which may be below zero (an overspend)."""
    return -parse(text[1:]) if text.startswith("-") else parse(text)

from .conftest import REPO, RULES, YEARS, spoil
from .test_cli import crg

R2122, L2122 = YEARS["2021-22"]
BIDS = REPO / "bids" / "2021-22-example"


def ok(*args) -> str:
    result = crg(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


class TestStatus:
    """crg status"""

    def test_table(self):
        """The table gives each pot on the date and says why the tactical pot is locked."""
        out = ok("status", R2122, L2122, "--on", "2021-07-13")
        assert out.startswith("KCSP Crime Reduction Grant 2021/22 on 13 July 2021\n")
        assert re.search(r"^upfront\s+£26,441\.00\s+£25,047\.00\s+£0\.00\s+£25,047\.00\s+£0\.00\s+£1,394\.00$", out, re.M)
        assert "The tactical pot is locked: still waiting for earlier years' projects:" in out
        assert "Money: £0.00 paid to the partnership; £39,661.00 held by the OPCC." in out

    def test_json(self):
        """The JSON gives pots, the tactical pot, money paid and held, and each project, money as strings."""
        doc = json.loads(ok("status", R2122, L2122, "--on", "2022-01-31", "--format", "json"))
        assert doc["date"] == "2022-01-31"
        assert doc["tactical"]["state"] == "open" and doc["tactical"]["days_left"] == 59
        assert doc["tactical"]["left"] == "14614.00"
        assert (doc["paid"], doc["held_by_opcc"]) == ("25047.00", "14614.00")
        pots = {p["pot"]: p for p in doc["pots"]}
        assert pots["upfront"]["spent"] == "195.32" and pots["upfront"]["committed"] == "24851.68"
        assert len(doc["projects"]) == 9 and len(doc["events"]) == 4
        assert doc["events"][1] == {"date": "2021-11-18", "event": "moved",
                                    "what": "£1,394 moved from the upfront pot to the tactical pot",
                                    "source": "KCSP Working Group update, 18 November 2021 (para 2.4)"}
        for pot in doc["pots"]:
            assert parse_money(pot["allocated"]) == sum(parse_money(pot[k]) for k in
                                                        ("spent", "carried", "committed", "freed"))

    def test_markdown(self):
        """--format markdown gives a section with a table."""
        out = ok("status", R2122, L2122, "--on", "2022-02-25", "--format", "markdown")
        assert out.startswith("## KCSP Crime Reduction Grant 2021/22 on 25 February 2022\n")
        assert "| tactical |" in out and "The tactical pot is closed: the OPCC closed it on 25 February 2022." in out

    def test_unreported_pots(self):
        """2025/26's status says its pots are not reported and gives bounds."""
        out = ok("status", *YEARS["2025-26"], "--on", "2025-09-01")
        assert "at most £30.40" in out and re.search(r"^not reported\s+-\s+£39,630\.60", out, re.M)

    def test_default_date_inside_the_year(self):
        """With no --on, the date is today moved inside the financial year (here, a past year's end)."""
        out = ok("status", R2122, L2122)
        assert out.startswith("KCSP Crime Reduction Grant 2021/22 on 31 March 2022\n")

    def test_default_date_is_the_uk_date_in_any_time_zone(self, tmp_path):
        """With no --on, the date is today's in the UK, whatever the machine's time zone: run at once under the
        time zones 14 hours ahead of UTC and 12 behind (always on different dates), the status of a round of the
        financial year holding today names the same day, the UK's."""
        import datetime as dt
        import os
        import subprocess
        import sys
        from zoneinfo import ZoneInfo

        def uk_today():
            return dt.datetime.now(ZoneInfo("Europe/London")).date()

        day = uk_today()
        start = day.year if day.month >= 4 else day.year - 1
        year = f"{start}/{(start + 1) % 100:02d}"
        if year == "2026/27":
            (tmp_path / "r.yaml").write_bytes((RULES / "kcsp-2026-27.yaml").read_bytes())
        else:
            assert crg("new", "round", tmp_path / "r.yaml", "--from", RULES / "kcsp-2026-27.yaml", "--year",
                       year).exit_code == 0
        (tmp_path / "l.yaml").write_text(
            f"round: kcsp-{start}-{(start + 1) % 100:02d}\nshortlisted: {start}-04-01\nprojects:\n"
            "  - {id: a, title: A, pot: upfront, allocation: £800}\n", encoding="utf-8")

        def status(zone):
            return subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", "status", "r.yaml",
                                   "l.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                                  env=dict(os.environ, PYTHONPATH=str(REPO), TZ=zone)).stdout.splitlines()[0]

        for _ in range(3):  # the UK's date can turn between the runs: then try again
            before = uk_today()
            ahead, behind = status("Pacific/Kiritimati"), status("Etc/GMT+12")
            if uk_today() == before:
                break
        assert ahead == behind == f"KCSP Crime Reduction Grant {year} on {before.day} {before:%B %Y}"

    def test_warning_on_stderr(self):
        """The 2025/26 split warning goes to stderr."""
        result = crg("status", *YEARS["2025-26"], "--on", "2025-09-01", "--format", "json")
        assert result.exit_code == 0 and result.stderr.startswith("Warning: ")
        json.loads(result.stdout)


class TestTactical:
    """crg tactical"""

    def test_open(self):
        """On a day the pot is open, each bid gets its status and reasons."""
        out = ok("tactical", R2122, L2122, BIDS, "--on", "2022-02-10")
        assert re.search(r"^doorstep-crime-leaflets\s+£2,500\.00\s+can be considered", out, re.M)
        assert re.search(r"^county-radio-campaign\s+£16,000\.00\s+refused\s+costs £16,000, more than the money "
                         r"left in the tactical pot of £14,614 \(rule fits-what-is-left\)$", out, re.M)
        assert out.rstrip().endswith("1 of 3 can be considered. Each bid is judged on its own against the money "
                                     "left in the pot.")

    def test_json(self):
        """The JSON gives the pot and each bid with its status, reasons and checks."""
        doc = json.loads(ok("tactical", R2122, L2122, BIDS, "--on", "2022-03-01", "--format", "json"))
        assert doc["tactical"]["state"] == "closed"
        bids = {b["id"]: b for b in doc["bids"]}
        assert bids["doorstep-crime-leaflets"]["status"] == "refused"
        assert bids["doorstep-crime-leaflets"]["reasons"] == ["the tactical pot is closed: the OPCC closed it on "
                                                              "25 February 2022"]
        assert {c["rule"] for c in bids["youth-holiday-diversion"]["checks"]} == {"deliverable-by-year-end",
                                                                                  "fits-what-is-left"}

    def test_warnings_as_validate_gives_them(self):
        """The bids folder's warnings are printed on stderr, the same as crg validate prints for it (here, bids of
        2021/22 read against the 2024/25 round)."""
        rules, ledger = YEARS["2024-25"]
        result = crg("tactical", rules, ledger, BIDS, "--on", "2025-03-30")
        assert result.exit_code == 0
        warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
        validated = crg("validate", rules, BIDS)
        assert validated.exit_code == 0
        assert len(warnings) == 17 and warnings == [line for line in validated.stderr.splitlines()
                                                    if line.startswith("Warning: ")]
        assert f"Warning: {BIDS / 'doorstep-crime-leaflets.yaml'}:8:17: pcc_priorities: 'fight-crime-asb' is not an " \
               "id of this round (did you mean 'prevent-crime-asb'?)" in result.stderr

    def test_markdown(self):
        """--format markdown gives a section with the pot's state and a table."""
        out = ok("tactical", R2122, L2122, BIDS, "--on", "2021-12-01", "--format", "markdown")
        assert out.startswith("## KCSP Crime Reduction Grant 2021/22: in-year bids on 1 December 2021\n")
        assert "The tactical pot is locked:" in out and re.search(r"^\| county-radio-campaign +\|", out, re.M)


class TestCloseout:
    """crg closeout"""

    def test_table(self):
        """The table ends with the total and the sentences saying what is returned."""
        out = ok("closeout", R2122, L2122)
        assert out.startswith("KCSP Crime Reduction Grant 2021/22: close-out (closed out on 31 March 2022)\n")
        assert re.search(r"^total\s+£25,047\.00\s+£23,591\.60\s+£1,455\.40$", out, re.M)
        assert "Returned to the OPCC: £1,455.40" in out

    @pytest.mark.parametrize("key, returned", [("2021-22", "1455.40"), ("2024-25", "156.00"), ("2025-26", "726.40")])
    def test_json_contract(self, key, returned):
        """'returned' is a money string and each line is {project, allocated, spent, returned, reason}, conserved."""
        doc = json.loads(ok("closeout", *YEARS[key], "--format", "json"))
        assert doc["returned"] == returned
        total = 0
        for line in doc["lines"]:
            assert {"project", "allocated", "spent", "returned", "reason"} <= set(line)
            for key_ in ("allocated", "spent", "returned"):
                assert re.fullmatch(r"-?\d+\.\d\d", line[key_])
            assert parse_money(line["allocated"]) == parse_money(line["spent"]) + parse_money(line["carried"]) \
                + parse_money(line["returned"])
            total += parse_money(line["allocated"])
        assert parse_money(doc["grant"]) == total + parse_money(doc["never_allocated"])

    def test_markdown_lists_assumptions(self):
        """--format markdown adds what the round and its ledger rest on."""
        out = ok("closeout", *YEARS["2024-25"], "--format", "markdown")
        assert out.startswith("## KCSP Crime Reduction Grant 2024/25: close-out")
        assert "### What rests on assumptions" in out
        assert "`projects.asb-case-reviews-training.allocation` (£6,000)" in out


# --- mistakes: exit 2, one message naming the file (or the flag) -------------------------------------


def _ledger_case(old, new, command="status"):
    def make(tmp):
        spoil(L2122, tmp / "l.yaml", old, new)
        extra = [str(REPO / "bids" / "2021-22-example")] if command == "tactical" else []
        return [command, str(R2122), "l.yaml", *extra]
    return make


def _written(text, command="status"):
    """A case run on a ledger l.yaml holding *text*."""
    def make(tmp):
        (tmp / "l.yaml").write_text(text, encoding="utf-8")
        return [command, str(R2122), "l.yaml"]
    return make


ERRORS = {
    "missing ledger": (lambda tmp: ["closeout", str(R2122), "nope.yaml"],
                       "Error: nope.yaml: file not found\n  fix: check the path\n"),
    "ledger of another round": (
        lambda tmp: ["status", str(RULES / "kcsp-2024-25.yaml"), str(L2122)],
        f"Error: {L2122}:8:8: round: the ledger is for the round 'kcsp-2021-22', but the rules file is for "
        "'kcsp-2024-25'\n  fix: give the rules file of the ledger's round, or correct 'round'\n"),
    "date outside the year": (
        lambda tmp: ["status", str(R2122), str(L2122), "--on", "2022-05-01"],
        "Error: --on: 1 May 2022 is outside the financial year 2021/22 (1 April 2021 to 31 March 2022)\n"
        "  fix: give a date from 2021-04-01 to 2022-03-31\n"),
    "date badly written": (
        lambda tmp: ["tactical", str(R2122), str(L2122), str(BIDS), "--on", "31/01/2022"],
        "Error: --on: '31/01/2022' is not a date written YYYY-MM-DD\n"
        "  fix: write the date as YYYY-MM-DD, e.g. 2026-04-08\n"),
    "unknown project": (
        _ledger_case("    project: osara-train-the-trainer", "    project: osara-train-the-trainr", "closeout"),
        "Error: l.yaml:154:14: events[13].project: 'osara-train-the-trainr' is not a project of this ledger "
        "(did you mean 'osara-train-the-trainer'?)\n  fix: use the id of a project listed under 'projects', or of "
        "a tactical bid approved before this date\n"),
    "event after close-out": (
        _ledger_case("  - date: 2022-03-31\n    event: closed out", "  - date: 2022-03-23\n    event: closed out"),
        "Error: l.yaml:109:11: events[6].date: comes after the close-out of 23 March 2022\n"
        "  fix: close the year out with its last event, or correct the date\n"),
    "spend beyond the allocation": (
        _ledger_case("    cost: £831.60", "    cost: £600", "tactical"),
        "Error: l.yaml:149:13: events[12].amount: brings mental-health-crisis-cards to £831.60, more than its "
        "revised cost of £600\n  fix: record a 'cost revised' event on or before this date, or correct the amount\n"),
    "overspent with no revision": (
        lambda tmp: ["closeout", str(R2122), str(REPO / "tests" / "data" / "bad-ledgers" / "2021-22-overspent.yaml")],
        f"Error: {REPO / 'tests' / 'data' / 'bad-ledgers' / '2021-22-overspent.yaml'}:19:13: events[2].amount: brings "
        "mental-health-crisis-cards to £831.60, more than its allocation of £582\n  fix: record a 'cost revised' "
        "event on or before this date, or correct the amount\n"),
    "ledger without a round": (
        _written(L2122.read_text(encoding="utf-8").replace("round: kcsp-2021-22\n", "")),
        "Error: l.yaml:8:1: round: 'round' is missing\n  fix: add 'round: ...'\n"),
    "proposal given as the ledger": (
        lambda tmp: ["status", str(R2122), str(BIDS / "county-radio-campaign.yaml")],
        f"Error: {BIDS / 'county-radio-campaign.yaml'}:1:1: this looks like a proposal, not a ledger (it has "
        "lead_agency, partners, submitted, cost, pcc_priorities, csa_priorities, delivery)\n"
        "  fix: give the round's ledger here (its file under ledgers/), after the rules file\n"),
    "not a ledger at all": (
        _written("title: x\n"),
        "Error: l.yaml:1:1: this is not a ledger: it has none of a ledger's fields (round, shortlisted, projects, "
        "events)\n  fix: give the round's ledger here, after the rules file\n"),
    "ledger and rules file swapped": (
        lambda tmp: ["status", str(L2122), str(R2122)],
        f"Error: {L2122}:8:1: this looks like a ledger, not a rules file (it has shortlisted, projects, "
        "earlier_projects, events)\n  fix: give the round's rules file here; its ledger comes after it "
        "(crg status RULES LEDGER)\n"),
    "rules file given twice": (
        lambda tmp: ["tactical", str(R2122), str(R2122), str(BIDS)],
        f"Error: {R2122}:6:1: this looks like a rules file, not a ledger (it has money, deadlines, priorities, "
        "tactical_pot, scoring, selection)\n  fix: give the round's ledger here, after its rules file (crg status "
        "RULES LEDGER)\n"),
    "bids folder missing": (
        lambda tmp: ["tactical", str(R2122), str(L2122), "nobids"],
        "Error: nobids: folder not found\n  fix: give the folder that holds the proposal files\n"),
}


class TestErrors:
    """the bad-input contract of the year's commands"""

    def test_a_ledger_mistake_with_the_bids_warnings(self, tmp_path, monkeypatch):
        """A mistake in the ledger comes after the warnings of the bids read already (a priority id the round does
        not list, which fails the rule on it): one run tells everything to mend."""
        import shutil

        monkeypatch.chdir(tmp_path)
        shutil.copytree(BIDS, "bids")
        spoil(BIDS / "county-radio-campaign.yaml", tmp_path / "bids" / "county-radio-campaign.yaml",
              "csa_priorities: [extremism-hate]", "csa_priorities: [extremism-hat]")
        spoil(L2122, tmp_path / "l.yaml", "    cost: £831.60", "    cost: £600")
        result = crg("tactical", str(R2122), "l.yaml", "bids")
        assert (result.exit_code, result.stdout) == (2, "")
        warning, error = result.stderr.split("Error: ")
        assert warning.startswith("Warning: bids/county-radio-campaign.yaml:9:17: csa_priorities: 'extremism-hat' "
                                  "is not an id of this round")
        assert error.startswith("l.yaml:149:13: events[12].amount: brings mental-health-crisis-cards to £831.60")

    @pytest.mark.parametrize("case", sorted(ERRORS))
    def test_error(self, case, tmp_path, monkeypatch):
        """A mistake exits 2 with exactly one 'Error:' message and its fix on stderr, and nothing on stdout."""
        monkeypatch.chdir(tmp_path)
        make, expected = ERRORS[case]
        result = crg(*make(tmp_path))
        assert result.exit_code == 2, (result.exit_code, result.stderr)
        assert result.stdout == ""
        assert result.stderr == expected
