"""Tests of crg report: each format written whole, and each error path one short message with exit status 2."""

from __future__ import annotations

import json

import pytest

from .conftest import PROPOSALS, REPO, RULES, after_warnings
from .registers import EARLIER_VERSIONS, clock, crg, failed, here, sqlite_shell, unguarded  # noqa: F401
from .registers import record_here as record

R2627 = RULES / "kcsp-2026-27.yaml"
EXAMPLES = PROPOSALS / "2026-27-example"
SCENARIOS = REPO / "scenarios" / "2026-27-example"


class TestReport:
    @pytest.mark.parametrize("suffix, start", [(".html", b"<!DOCTYPE html>"), (".docx", b"PK"), (".xlsx", b"PK"),
                                               (".md", b"# KCSP Crime Reduction Grant 2026/27")])
    def test_each_format(self, tmp_path, suffix, start):
        """Each extension gives its format, and says which file it wrote; nothing else is left in the folder."""
        path = tmp_path / f"recommendation{suffix}"
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"Wrote {path}\n"
        assert all(line.startswith("Warning: ") for line in result.stderr.splitlines())  # the files' warnings only
        assert path.read_bytes().startswith(start)
        assert [p.name for p in tmp_path.iterdir()] == [path.name]

    @pytest.mark.parametrize("suffix", [".html", ".md", ".docx", ".xlsx"])
    def test_byte_identical(self, tmp_path, suffix):
        """The same inputs give the same bytes, twice."""
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        crg("report", R2627, EXAMPLES, "-o", a)
        crg("report", R2627, EXAMPLES, "-o", b)
        assert a.read_bytes() == b.read_bytes()

    def test_scenarios_and_what_ifs(self, tmp_path):
        """--scenario (repeatable) adds scenarios; what-if flags apply to the baseline and each scenario."""
        path = tmp_path / "r.md"
        result = crg("report", R2627, EXAMPLES, "-o", path, "--upfront", "£25,000",
                     "--scenario", SCENARIOS / "panel-counts-more.yaml",
                     "--scenario", SCENARIOS / "late-proposal-accepted.yaml")
        assert result.exit_code == 0, result.stderr
        text = path.read_text(encoding="utf-8")
        assert "These figures take the what-if: upfront allocation set to £25,000." in text
        assert "| figure       | baseline" in text and "panel counts more" in text and "late proposal accepted" in text
        assert text.count("| upfront      | £25,000.00 ") == 1

    def test_json_figures_match_screen(self, tmp_path):
        """The figures written are crg screen's on the same inputs."""
        screened = json.loads(crg("screen", R2627, EXAMPLES, "--format", "json").stdout)
        path = tmp_path / "r.md"
        crg("report", R2627, EXAMPLES, "-o", path)
        text = path.read_text(encoding="utf-8")
        for p in screened["proposals"]:
            assert f"**Decision:** {p['status']}" in text.split(f"### {p['id']}:")[1]


class TestReportErrors:
    @pytest.mark.parametrize("name, problem, fix", [
        ("r.pdf", "'.pdf' is not a format crg can write", "end the file name in .html, .docx, .xlsx, .md"),
        ("missing/r.html", "the folder does not exist", None),
    ])
    def test_bad_target(self, tmp_path, name, problem, fix):
        """An unknown extension or a missing folder: one message naming the file and -o, exit 2, nothing written."""
        path = tmp_path / name
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 2 and result.stdout == ""
        first, second = result.stderr.splitlines()
        assert first == f"Error: {path}: -o: {problem}"
        assert second == f"  fix: {fix}" if fix else second.startswith("  fix: make the folder")
        assert list(tmp_path.iterdir()) == []

    def test_unwritable(self, tmp_path):
        """A file that cannot be written (here a folder of that name) is one message, exit 2, and left as it was."""
        path = tmp_path / "r.html"
        path.mkdir()
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {path}: -o: is a folder, not a file\n  fix: give the name of a file to write\n"
        assert path.is_dir() and list(path.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["r.html"]

    def test_cannot_be_replaced(self, tmp_path, monkeypatch):
        """When the finished file cannot be put in place: one message, exit 2, no partial file left behind."""
        from engine import files

        def refuse(source, target):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(files.os, "replace", refuse)
        path = tmp_path / "r.md"
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 2
        assert result.stderr.endswith(f"Error: {path}: -o: cannot be written (Permission denied)\n"
                                      "  fix: give a path in a folder that can be written\n")
        assert list(tmp_path.iterdir()) == []

    def test_missing_output(self):
        """-o is required."""
        result = crg("report", R2627, EXAMPLES)
        assert result.exit_code == 2 and "Missing option '-o'" in result.stderr

    def test_two_scenarios_of_one_name(self, tmp_path):
        """Two scenarios of one name are refused, as crg compare refuses them; nothing is written."""
        for name in ("a.yaml", "b.yaml"):
            (tmp_path / name).write_text("name: cut\nupfront: £20,000\n", encoding="utf-8")
        result = crg("report", R2627, EXAMPLES, "-o", tmp_path / "r.md", "--scenario", tmp_path / "a.yaml",
                     "--scenario", tmp_path / "b.yaml")
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Warning: {EXAMPLES / 'rural-crime-tracker-kits.yaml'}:9:17: ")  # (as ever)
        assert after_warnings(result.stderr).startswith(f"Error: {tmp_path / 'b.yaml'}: name: 'cut' is also the name of ")
        assert not (tmp_path / "r.md").exists()

    def test_bad_scenario(self, tmp_path):
        """A scenario naming an unknown rule is bad input naming the scenario file; nothing is written."""
        scenario = tmp_path / "bad.yaml"
        scenario.write_text("name: x\nrelax: [serves-cs]\n")
        result = crg("report", R2627, EXAMPLES, "-o", tmp_path / "r.html", "--scenario", scenario)
        assert result.exit_code == 2 and str(scenario) in result.stderr and "serves-csa" in result.stderr
        assert not (tmp_path / "r.html").exists()

    def test_bad_override(self, tmp_path):
        """A bad what-if flag is one message naming it."""
        result = crg("report", R2627, EXAMPLES, "-o", tmp_path / "r.html", "--upfront", "£6,00")
        assert result.exit_code == 2 and result.stderr.startswith("Error: --upfront: ")
        assert not (tmp_path / "r.html").exists()

    def test_missing_proposals(self, tmp_path):
        """A folder of proposals that does not exist is bad input."""
        result = crg("report", R2627, tmp_path / "nope", "-o", tmp_path / "r.html")
        assert result.exit_code == 2 and "folder not found" in result.stderr


# --- crg report --run: the recommendation of a recorded run ---------------------------------------------------


def report_run(run, path, *extra):
    result = crg("report", "--run", run, "-o", path, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def without_the_register(text: str, suffix: str) -> str:
    """A written .md or .html without the run in the register and the Chair's decision (and their contents entries)."""
    import re

    if suffix == ".md":
        parts = re.split(r"(?m)^(?=## )", text)
        return "".join(p for p in parts if not p.startswith(("## The run in the decision register",
                                                              "## The Chair's decision")))
    for key in ("record", "decision"):
        text = re.sub(rf'<section id="{key}".*?</section>\n?', "", text, flags=re.S)
        text = re.sub(rf'\n<li><a href="#{key}">[^<]*</a></li>', "", text)
    return text


def words_of(path) -> str:
    """Every text a written file shows, one line per paragraph, table row or sheet row (cells apart by " | ")."""
    import html
    import re

    import docx
    import openpyxl

    if path.suffix == ".docx":
        word = docx.Document(path)
        return "\n".join([p.text for p in word.paragraphs]
                         + [" | ".join(c.text for c in row.cells) for t in word.tables for row in t.rows])
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return "\n".join(" | ".join("" if v is None else str(v) for v in row)
                         for ws in book for row in ws.iter_rows(values_only=True))
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"(?s)<(script|style)\b.*?</\1>", "", text)
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return text


class TestReportRun:
    @pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".xlsx"])
    def test_each_format(self, here, suffix):
        """Each format is written from the run, saying which file; nothing on stderr for a run that kept its document."""
        record("--note", "WG, 27 April")
        result = report_run("1", here / f"run{suffix}")
        assert (result.stdout, result.stderr) == (f"Wrote {here / f'run{suffix}'}\n", "")

    @pytest.mark.parametrize("suffix", [".md", ".html"])
    def test_the_live_report_and_the_run(self, here, suffix):
        """The run's file is crg report's of the same files, but for the run and the Chair's decision."""
        record()
        crg("decide", "1", "--outcome", "approved", "--by", "KCSP Chair")
        report_run("1", here / f"run{suffix}")
        live = crg("report", "rules.yaml", "props", "-o", here / f"live{suffix}")
        assert live.exit_code == 0, live.stderr
        ran = (here / f"run{suffix}").read_text(encoding="utf-8")
        written = (here / f"live{suffix}").read_text(encoding="utf-8")
        assert ran != written
        assert without_the_register(ran, suffix) == without_the_register(written, suffix)
        assert "The run in the decision register" in ran and "The run in the decision register" not in written

    @pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".xlsx"])
    def test_byte_identical(self, here, suffix):
        """The same run gives the same bytes, twice, and after the files screened are gone."""
        import shutil

        record()
        report_run("1", here / f"a{suffix}")
        shutil.rmtree(here / "props")
        (here / "rules.yaml").unlink()
        report_run("1", here / f"b{suffix}")
        assert (here / f"a{suffix}").read_bytes() == (here / f"b{suffix}").read_bytes()

    def test_the_run_and_the_decision_shown(self, here):
        """The run's number, time, recorder, version and note, and the Chair's decision with each departure."""
        from engine.record.runs import engine_version

        record("--note", "WG, 27 April")
        crg("decide", "1", "--outcome", "amended", "--by", "KCSP Chair",
            "--fund", "asb-community-mediation=match funding found", "--drop", "nte-welfare-training",
            "--note", "starts before the year")
        report_run("1", here / "run.md")
        text = (here / "run.md").read_text(encoding="utf-8")
        tail = text[text.index("## The run in the decision register"):]
        for line in ("| run                  | 1 ", "| recorded             | 27 April 2026, 10:00 UTC ",
                     "| recorded by          | officer ", "| note                 | WG, 27 April ",
                     f"| version              | crg {engine_version()} ",
                     "**Decision 1:** Amended by KCSP Chair, 27 April 2026, 10:01 UTC. Note: starts before the year.",
                     "| asb-community-mediation | Community mediation for neighbour disputes ",
                     "| reserve       | funded              | match funding found    |",
                     "| shortlisted   | not funded          | starts before the year |",
                     "Funded: 6 proposals for £30,100.00, £3,600.00 more than the upfront allocation of £26,500.00."):
            assert line in tail, line
        assert text.endswith("upfront allocation of £26,500.00.\n")

    @pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".xlsx"])
    def test_every_format_names_the_run_and_the_decision(self, here, suffix):
        """Each format shows the run asked for (its number, when and by whom it was recorded, its note and hash),
        not another run of the register, and the Chair's decision on it with each departure and its reason."""
        from engine.record.register import open_register

        record("--note", "first look")
        crg("record", "rules.yaml", "props", "--by", "KCST officer", "--note", "Working Group, 27 April")
        crg("decide", "1", "--outcome", "approved", "--by", "Someone else")
        decided = crg("decide", "2", "--outcome", "amended", "--by", "KCSP Chair", "--note", "as minuted",
                      "--fund", "asb-community-mediation=match funding found", "--drop", "nte-welfare-training=too late")
        assert decided.exit_code == 0, decided.stderr
        with open_register(here / "crg.db") as reg:
            first, second = (run.hash for run in reg.runs())
        report_run("2", here / f"run{suffix}")
        text = words_of(here / f"run{suffix}")
        for shown in ("27 April 2026, 10:01 UTC", "KCST officer", "Working Group, 27 April", second,
                      "KCSP Chair", "27 April 2026, 10:03 UTC", "as minuted",
                      "asb-community-mediation", "match funding found", "nte-welfare-training", "too late",
                      "Funded: 6 proposals for £30,100.00"):
            assert shown in text, shown
        for other in ("first look", first, "Someone else", "27 April 2026, 10:02 UTC", "No decision of the Chair"):
            assert other not in text, other
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(here / "run.xlsx")
            assert dict(book["Register"].iter_rows(min_row=2, values_only=True))["run"] == "2"
            assert dict(book["Decision"].iter_rows(min_row=2, values_only=True))["outcome"] == "amended"
        else:
            assert "This recommendation is run 2 of the decision register" in text
            assert "Amended by KCSP Chair, 27 April 2026, 10:03 UTC. Note: as minuted." in text

    def test_no_decision_yet(self, here):
        """Before the Chair decides, the space for the decision is there, saying how to record one."""
        record()
        report_run("1", here / "run.md")
        text = (here / "run.md").read_text(encoding="utf-8")
        assert "No decision of the Chair on run 1 is in the register yet (crg decide 1 records it)." in text
        assert "| Signature                |         |" in text

    def test_word_and_workbook(self, here):
        """The Word document has the run as a Word heading; the workbook a sheet for the run and the decision."""
        import docx
        import openpyxl

        record()
        crg("decide", "1", "--outcome", "amended", "--by", "KCSP Chair", "--drop", "nte-welfare-training=late")
        report_run("1", here / "run.docx")
        report_run("1", here / "run.xlsx")
        headings = [p.text for p in docx.Document(here / "run.docx").paragraphs if p.style.name == "Heading 1"]
        assert headings[-2:] == ["The run in the decision register", "The Chair's decision"]
        book = openpyxl.load_workbook(here / "run.xlsx")
        assert book.sheetnames[-3:] == ["Register", "Decision", "Departures"]
        rows = list(book["Departures"].iter_rows(values_only=True))
        assert rows[1][0] == "nte-welfare-training" and rows[1][2] == 3200 and rows[1][5] == "late"

    def test_text_from_the_register_escaped(self, here):
        """A note, a name and a reason full of markup show as written, in Markdown, the web page and the workbook."""
        import openpyxl

        note, by, reason = "<script>alert(1)</script>", "[Chair](javascript:alert(1))", '=HYPERLINK("http://x","y")'
        crg("record", "rules.yaml", "props", "--by", by, "--note", note)
        crg("decide", "1", "--outcome", "amended", "--by", by, "--drop", f"nte-welfare-training={reason}")
        for suffix in (".md", ".html", ".xlsx"):
            report_run("1", here / f"run{suffix}")
        page = (here / "run.html").read_text(encoding="utf-8")
        assert note not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        text = (here / "run.md").read_text(encoding="utf-8")
        assert "[Chair](" not in text and r"\[Chair\](javascript:alert(1))" in text
        cell = next(c for row in openpyxl.load_workbook(here / "run.xlsx")["Departures"].iter_rows() for c in row
                    if c.value == reason)
        assert cell.data_type == "s"

    @pytest.mark.parametrize("version", [1, 2])
    def test_register_of_an_earlier_version(self, here, version):
        """A run recorded before the register kept documents is made again from its files, saying so in one note."""
        from engine.record.runs import engine_version

        EARLIER_VERSIONS[version](here / "old.db")
        result = crg("report", "--run", "1", "--register", "old.db", "-o", here / "run.md")
        assert result.exit_code == 0, result.stderr
        # (the sources of the rules a round assumes say so since the runs were kept: every proposal's checks cite them)
        words = f"the words of {7 if version == 1 else 12} proposals are today's (crg replay 1 shows them)"
        assert result.stderr == (f"Note: run 1 kept no recommendation document (recorded with crg 0.1.0): made again "
                                 f"from its kept files with crg {engine_version()}; every decision is as recorded, "
                                 f"{words}\n")
        text = (here / "run.md").read_text(encoding="utf-8")
        assert "**Made again:** Run 1 was recorded with crg 0.1.0" in text
        assert "This recommendation is run 1 of the decision register." in text
        if version == 1:  # the register of version 1 had no decisions of the Chair yet
            assert "No decision of the Chair on run 1 is in the register yet (crg decide 1 records it)." in text
        else:  # the Chair's decision recorded then stands beside the recommendation made again
            tail = text[text.index("## The Chair's decision"):]
            for shown in ("**Decision 1:** Amended by KCSP Chair, 27 April 2026, 10:01 UTC. Note: starts before the year.",
                          "| reserve       | funded              | match funding found    |",
                          "| shortlisted   | not funded          | starts before the year |"):
                assert shown in tail, shown

    @pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".xlsx"])
    def test_made_again_the_same_every_time(self, here, suffix):
        """A run of an earlier register (a scenario applied) made again gives the same bytes every time."""
        EARLIER_VERSIONS[2](here / "old.db")
        results = [crg("report", "--run", "2", "--register", "old.db", "-o", here / name)
                   for name in (f"a{suffix}", f"b{suffix}")]
        assert [r.exit_code for r in results] == [0, 0] and results[0].stderr == results[1].stderr != ""
        assert (here / f"a{suffix}").read_bytes() == (here / f"b{suffix}").read_bytes()

    def test_register_from_the_environment(self, here):
        """CRG_REGISTER names the register for --run, and does not stop a report of files."""
        record()
        (here / "crg.db").rename(here / "kept.db")
        for name in ("crg.db-wal", "crg.db-shm"):
            if (here / name).exists():
                (here / name).rename(here / name.replace("crg", "kept"))
        env = {"CRG_REGISTER": "kept.db"}
        assert crg("report", "--run", "1", "-o", here / "run.md", env=env).exit_code == 0
        assert crg("report", "rules.yaml", "props", "-o", here / "live.md", env=env).exit_code == 0


class TestReportRunErrors:
    @pytest.mark.parametrize("args, message", [
        (["rules.yaml", "props", "--run", "1"],
         "Error: --run: RULES and PROPOSALS_DIR cannot be given with it: a recorded run is written from the files and "
         "what-ifs kept with it\n  fix: give either --run RUN, or RULES and PROPOSALS_DIR with what-ifs\n"),
        (["rules.yaml", "--run", "1"],
         "Error: --run: RULES cannot be given with it: a recorded run is written from the files and what-ifs kept "
         "with it\n  fix: give either --run RUN, or RULES and PROPOSALS_DIR with what-ifs\n"),
        (["--run", "1", "--upfront", "£20,000", "--scenario", "s.yaml", "--strict"],
         "Error: --run: --scenario, --strict and --upfront cannot be given with it: a recorded run is written from "
         "the files and what-ifs kept with it\n  fix: give either --run RUN, or RULES and PROPOSALS_DIR with "
         "what-ifs\n"),
        (["rules.yaml", "props", "--run", "1", "--engine", "python"],
         "Error: --run: RULES, PROPOSALS_DIR and --engine cannot be given with it: a recorded run is written from the "
         "files and what-ifs kept with it\n  fix: give either --run RUN, or RULES and PROPOSALS_DIR with what-ifs\n"),
        ([],
         "Error: crg report writes the recommendation of RULES and PROPOSALS_DIR, or of a recorded run with --run RUN "
         "(crg history lists the runs)\n  fix: give one of the two\n"),
        (["rules.yaml"],
         "Error: PROPOSALS_DIR: the folder of proposals to screen is missing (it comes after the rules file)\n"
         "  fix: give the folder after the rules file: crg report RULES PROPOSALS_DIR -o FILE\n"),
        (["rules.yaml", "props", "--register", "crg.db"],
         "Error: --register: names the register to read a recorded run from, so it needs --run RUN\n"
         "  fix: add --run RUN, or leave --register out\n"),
        (["--run", "4"], "Error: crg.db: run 4 is not in the register (it holds run 1)\n  fix: give the number of a run it holds (crg history lists them)\n"),
        (["--run", "one"], "Error: RUN: 'one' is not a run number (crg history lists them)\n  fix: give a run's number, e.g. 1\n"),
        (["--run", "1", "--register", "none.db"], "Error: none.db: there is no register here (crg record makes one)\n"),
        (["--run", "1", "--register", "rules.yaml"], "Error: rules.yaml: is not a register (not an SQLite database)\n"),
        (["--run", "1", "--register", "props"], "Error: props: is a folder, not a register\n"),
    ])
    def test_one_message_nothing_written(self, here, args, message):
        """Files and a run together, neither, a run or register that is not there: one message, exit 2, no file."""
        record()
        failed(crg("report", "-o", "run.md", *args), message)
        assert not (here / "run.md").exists()

    @pytest.mark.parametrize("name, message", [
        ("run.pdf", "Error: run.pdf: -o: '.pdf' is not a format crg can write\n"
                    "  fix: end the file name in .html, .docx, .xlsx, .md\n"),
        ("missing/run.html", "Error: missing/run.html: -o: the folder does not exist\n"
                             "  fix: make the folder 'missing' first, or write somewhere else\n"),
        ("in-the-way.md", "Error: in-the-way.md: -o: is a folder, not a file\n  fix: give the name of a file to write\n"),
    ])
    def test_bad_target(self, here, name, message):
        """An unknown extension, a missing folder or a folder in the way: one message, exit 2, nothing written."""
        record()
        (here / "in-the-way.md").mkdir()
        before = sorted(p.name for p in here.iterdir())
        failed(crg("report", "--run", "1", "-o", name), message)
        assert sorted(p.name for p in here.iterdir()) == before

    def test_cannot_be_replaced(self, here, monkeypatch):
        """When the finished file cannot be put in place: one message, exit 2, no partial file left behind."""
        from engine import files

        def refuse(source, target):
            raise PermissionError(13, "Permission denied")

        record()
        monkeypatch.setattr(files.os, "replace", refuse)
        before = sorted(p.name for p in here.iterdir())
        result = crg("report", "--run", "1", "-o", "run.md")
        assert (result.exit_code, result.stderr) == (2, "Error: run.md: -o: cannot be written (Permission denied)\n"
                                                        "  fix: give a path in a folder that can be written\n")
        assert sorted(p.name for p in here.iterdir()) == before

    def test_files_lost_from_an_earlier_register(self, here):
        """A run of an earlier register whose kept files are gone cannot be made again: one message, no file."""
        EARLIER_VERSIONS[2](here / "old.db")
        sqlite_shell(here / "old.db", unguarded("DELETE FROM files WHERE sha256 = "
                                                "(SELECT sha256 FROM inputs WHERE run = 1 AND position = 0);", "files"))
        failed(crg("report", "--run", "1", "--register", "old.db", "-o", "run.md"),
               "Error: old.db: run 1: the bytes of rules/kcsp-2026-27.yaml are missing from the register\n")
        assert not (here / "run.md").exists()

    def test_document_changed_behind_crg(self, here):
        """A kept document whose bytes were changed in the register is refused: one message, no file."""
        record()
        sqlite_shell(here / "crg.db", unguarded("UPDATE files SET bytes = CAST('{}' AS BLOB) WHERE sha256 = "
                                                "(SELECT recommendation FROM runs WHERE id = 1);", "files"))
        failed(crg("report", "--run", "1", "-o", "run.md"),
               "Error: crg.db: run 1: its recommendation document is missing or not as recorded\n"
               "  fix: crg verify lists what else in the register is not as recorded\n")
        assert not (here / "run.md").exists()

    def test_decided_otherwise_today(self, here, monkeypatch):
        """A run of an earlier register that today's engine decides otherwise is refused in one message."""
        from engine.outputs import report
        from engine.record.runs import engine_version

        EARLIER_VERSIONS[2](here / "old.db")
        today = report.outcome_json  # today's engine ranks the proposal ranked 6th when recorded 9th
        monkeypatch.setattr(report, "outcome_json",
                            lambda outcome: today(outcome).replace('"rank": 6,', '"rank": 9,'))
        result = crg("report", "--run", "1", "--register", "old.db", "-o", "run.md")
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Error: old.db: run 1 was recorded with crg 0.1.0, before the register kept its recommendation, and "
            f"today's crg {engine_version()} decides it otherwise, so a document made now would not be the run's\n"
            "  fix: crg replay 1 shows what differs; crg show 1 --format markdown prints the run as recorded\n")
        assert not (here / "run.md").exists()
