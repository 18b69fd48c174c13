"""Tests of engine.outputs.writers.html: the web page, read as text and used in a real browser.

The browser tests drive Debian's chromium with Playwright (never a browser of
Playwright's own) and run axe-core on the page.  They run whenever a chromium
is installed; without one they are skipped, unless CRG_REQUIRE_BROWSER=1 (as
in CI), when they fail.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import fmt
from engine.inputs.money import parse as parse_money
from engine.outputs import document
from engine.outputs.writers import html, layout

from .conftest import HOSTILE_AGENCY, HOSTILE_TITLES
from .test_layout import EXAMPLES, R2627, SCENARIOS, doc_of, example_doc

CHROMIUM = os.environ.get("CRG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run"]
HOSTILE_SCENARIO = "<script>alert(2)</script> cut"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def crg(*args):
    from engine.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


class Page(HTMLParser):
    """Every tag of a page with its attributes, and the text of its style and script elements."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.inline: dict[str, list[str]] = {"style": [], "script": []}
        self._in = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.inline else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.inline[self._in].append(data)


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- the page as text ---------------------------------------------------------------------------------


class TestRender:
    def test_same_document_same_bytes(self):
        assert html.render(example_doc()) == html.render(example_doc())

    def test_no_external_resource(self):
        """No src, href or CSS url leaves the page: nothing starts with http:, https: or //."""
        page = Page(html.render(example_doc()).decode("utf-8"))
        links = [value for _, attrs in page.tags for key, value in attrs.items() if key in ("src", "href", "xlink:href")]
        assert links and all(value.startswith("#") for value in links)
        css = "".join(page.inline["style"]) + "".join(a.get("style", "") for _, a in page.tags)
        assert not re.search(r"https?:|//|@import", css)

    def test_script_allowed_by_its_hash_only(self):
        """The page's policy forbids every request and every script but its own, named by its hash."""
        text = html.render(example_doc()).decode("utf-8")
        page = Page(text)
        policy = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        code = next(s for s in page.inline["script"] if "budget-data" in s)
        digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
        assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy

    def test_hostile_titles_escaped(self, hostile):
        """Markup in a title is escaped in the page; the budget data escapes it too."""
        text = html.render(doc_of(*hostile)).decode("utf-8")
        assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<img" not in text and "<b>x</b>" not in text and "<i>Kent</i>" not in text
        page = Page(text)
        assert [t for t, _ in page.tags].count("script") == 2
        data = json.loads(next(s for s in page.inline["script"] if s.startswith("{")))
        titles = {p["title"] for p in data["projects"]}
        assert HOSTILE_TITLES["doorstep-crime-door-chains"] in titles

    def test_charts_inline_with_text_for_screen_readers(self):
        """Both charts are inline SVG, each an image named by its title and described by its description."""
        doc = example_doc()
        text = html.render(doc).decode("utf-8")
        for key in ("allocation", "sweep"):
            assert f'role="img" aria-labelledby="chart-{key}-title chart-{key}-desc"' in text
            assert f'<desc id="chart-{key}-desc">{doc["charts"][key]["description"]}</desc>' in text

    def test_a_table_of_budgets_too_long_to_print(self, monkeypatch):
        """Past the limit of rows, the table of budgets is named, counted and pointed to, not printed page after
        page; the slider's data still holds every interval."""
        doc = example_doc()
        intervals = len(doc["sweep"]["intervals"])
        text = html.render(doc).decode("utf-8")
        assert "too many to print" not in text and "<th scope=\"col\">change to the shortlist</th>" in text
        monkeypatch.setattr(document, "LONGEST", intervals - 1)
        text = html.render(doc).decode("utf-8")
        assert "change to the shortlist</th>" not in text
        assert (f"{intervals} intervals of budgets, too many to print: the chart above draws them, and the budget "
                "slider above and the workbook&#39;s Budgets sheet give each one.") in text
        data = json.loads(re.search(r'id="budget-data">(.*?)</script>', text, re.S).group(1))
        assert len(data["intervals"]) == intervals
        monkeypatch.setattr(document, "LONGEST", intervals)
        assert "too many to print" not in html.render(doc).decode("utf-8")


# --- the page in a browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, driven by Playwright; skipped when absent unless CRG_REQUIRE_BROWSER=1."""
    required = os.environ.get("CRG_REQUIRE_BROWSER") == "1"
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            missing = "playwright is not installed (pip install -e '.[test]')"
    if missing:
        if required:
            pytest.fail(f"CRG_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(f"browser tests need a browser: {missing}")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def example_page(tmp_path_factory):
    """The web page of the example round, with two scenarios, written by crg report."""
    path = tmp_path_factory.mktemp("report") / "recommendation.html"
    crg("report", R2627, EXAMPLES, "-o", path, "--scenario", SCENARIOS / "cut-to-20000.yaml",
        "--scenario", SCENARIOS / "late-proposal-accepted.yaml")
    return path


@pytest.fixture(scope="module")
def run_page(tmp_path_factory):
    """The web page of run 2 of the register of version 2 (a scenario applied, the Chair's decision recorded), made
    again from its files, and of a new run of the example round with an amended decision, written by crg report --run."""
    from .registers import EARLIER_VERSIONS

    folder = tmp_path_factory.mktemp("run")
    EARLIER_VERSIONS[2](folder / "crg.db")
    crg("record", R2627, EXAMPLES, "--by", "officer", "--note", "WG", "--register", folder / "crg.db")
    crg("decide", "3", "--outcome", "amended", "--by", "Chair", "--drop", "nte-welfare-training=late",
        "--register", folder / "crg.db")
    pages = [folder / "run-2.html", folder / "run-3.html"]
    for run, path in zip(("2", "3"), pages):
        crg("report", "--run", run, "--register", folder / "crg.db", "-o", path)
    return pages


class Visit:
    """A page open in the browser, with every request it made and every dialog a script opened."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def shown(self) -> tuple[str, list[str], str, str]:
        """The budget shown, the ids of the shortlist shown, the words and what is left."""
        p = self.page
        return (p.inner_text("#budget-shown"), p.locator("#budget-list .id").all_inner_texts(),
                p.inner_text("#budget-words"), p.inner_text("#budget-left"))

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


def screened(pence: int, rules=R2627, folder=EXAMPLES, policy: tuple = ()) -> dict:
    """What crg screen --upfront says at *pence*: the JSON document (*policy*: ``("--policy", P)``, if given)."""
    return json.loads(crg("screen", rules, folder, "--upfront", fmt.money_json(pence), "--format", "json", *policy))


def swept(rules=R2627, folder=EXAMPLES, policy: tuple = ()) -> list:
    """What crg sweep --format json says: every interval with its shortlist, in the order the policy takes them."""
    return json.loads(crg("sweep", rules, folder, "--format", "json", *policy))


def assert_agrees(v: Visit, pence: int, rules=R2627, folder=EXAMPLES, policy: tuple = ()):
    """The page shows crg screen's shortlist at *pence*, each with the amount it is given, the total and what is left,
    in crg sweep's order."""
    budget, ids, words, left = v.shown()
    doc = screened(pence, rules, folder, policy)
    shortlisted = {p["id"]: fmt.money(parse_money(p["offered"])) for p in doc["proposals"] if p["status"] == "shortlisted"}
    assert budget == fmt.money(pence)
    assert sorted(ids) == sorted(shortlisted), fmt.money(pence)
    there = next(iv for iv in swept(rules, folder, policy) if parse_money(iv["from"]) <= pence <= parse_money(iv["to"]))
    assert ids == there["shortlist"], fmt.money(pence)  # in order
    items = v.page.locator("#budget-list li").all_inner_texts()
    assert all(item.endswith(f"({shortlisted[pid]})") for pid, item in zip(ids, items)), items
    assert f" for {fmt.money(parse_money(doc['allocated']))}," in words, fmt.money(pence)
    assert left == fmt.money(parse_money(doc["remaining"])), fmt.money(pence)


class TestSlider:
    def test_each_stop_agrees_with_screen(self, visit, example_page):
        """Moved with the keyboard from £0 to the top, each stop shows crg screen's shortlist, total and what is left."""
        v = visit(example_page)
        data = layout.budgets(example_doc())
        slider = v.page.locator("#budget")
        assert v.page.get_attribute("#budget-tool", "hidden") is None  # the script ran and showed the tool
        slider.focus()
        v.page.keyboard.press("Home")
        for i, stop in enumerate(data["stops"]):
            assert slider.get_attribute("aria-valuetext") == fmt.money(stop)
            assert_agrees(v, stop)
            v.page.keyboard.press("ArrowRight")
        v.page.keyboard.press("End")
        assert_agrees(v, data["top"])
        v.page.keyboard.press("Home")
        assert v.shown()[:2] == ("£0.00", [])
        assert not v.errors

    def test_a_penny_either_side_of_each_breakpoint(self, visit, example_page):
        """An amount typed a penny below, at and a penny above each breakpoint shows crg screen's shortlist there."""
        v = visit(example_page)
        data = layout.budgets(example_doc())
        field = v.page.locator("#budget-amount")
        for stop in data["stops"][1:]:
            for pence in (stop - 1, stop, stop + 1):
                if pence > data["top"]:
                    continue
                field.fill(fmt.money(pence))
                field.press("Enter")
                assert_agrees(v, pence)
        assert not v.errors

    def test_reduced_offers(self, visit, tmp_path):
        """Where the round offers a proposal its minimum cost, the page shows the amount offered, as crg screen does."""
        rules = R2627  # its rules offer a proposal that does not fit its minimum cost, when that fits
        folder = tmp_path / "proposals"
        shutil.copytree(EXAMPLES, folder)
        mediation = folder / "asb-community-mediation.yaml"
        mediation.write_text(mediation.read_text(encoding="utf-8").replace("minimum_cost: £6,500", "minimum_cost: £2,000"),
                             encoding="utf-8")
        path = tmp_path / "offers.html"
        crg("report", rules, folder, "-o", path)
        data = layout.budgets(doc_of(rules, folder))
        offers = [iv for iv in data["intervals"] if "offer" in iv]
        assert offers  # the case is there to be tested
        v = visit(path)
        field = v.page.locator("#budget-amount")
        for iv in offers:
            for pence in (iv["from"] - 1, iv["from"], iv["to"], iv["to"] + 1):
                if 0 <= pence <= data["top"]:
                    field.fill(fmt.money(pence))
                    field.press("Enter")
                    assert_agrees(v, pence, rules, folder)

    def test_shortlists_given_in_full_every_other_interval(self, visit, tmp_path, monkeypatch):
        """With each other interval's shortlist given in full and the rest as changes, each budget still shows
        crg screen's shortlist: at every stop, a penny below and at the top."""
        monkeypatch.setattr(layout, "EVERY", 2)
        path = tmp_path / "every.html"
        crg("report", R2627, EXAMPLES, "-o", path)
        data = json.loads(re.search(r'<script type="application/json" id="budget-data">(.*?)</script>',
                                    path.read_text(encoding="utf-8"), re.S).group(1))
        assert data["every"] == 2 and len(data["intervals"]) > 4
        assert [("shortlist" in iv) for iv in data["intervals"]] == [i % 2 == 0 for i in range(len(data["intervals"]))]
        v = visit(path)
        field = v.page.locator("#budget-amount")
        for pence in sorted({p for stop in data["stops"] for p in (stop - 1, stop) if p >= 0} | {data["top"]}):
            field.fill(fmt.money(pence))
            field.press("Enter")
            assert_agrees(v, pence)
        assert not v.errors

    def test_each_stop_under_optimal(self, visit, tmp_path):
        """Under optimal, where a project comes into a shortlist between others, each stop and a penny below it
        shows crg screen's shortlist, in crg sweep's order."""
        path = tmp_path / "optimal.html"
        crg("report", R2627, EXAMPLES, "-o", path, "--policy", "optimal")
        data = json.loads(re.search(r'id="budget-data">(.*?)</script>', path.read_text(encoding="utf-8"), re.S).group(1))
        lengths = [len(layout.shortlist_at(data, i)) for i in range(len(data["intervals"]))]
        assert any(place < n - 1 for iv, n in zip(data["intervals"], lengths) for place, _ in iv.get("in", ()))
        v = visit(path)
        field = v.page.locator("#budget-amount")
        for pence in sorted({p for stop in data["stops"] for p in (stop - 1, stop) if p >= 0}):
            field.fill(fmt.money(pence))
            field.press("Enter")
            assert_agrees(v, pence, policy=("--policy", "optimal"))
        assert not v.errors

    def test_the_allocation_used_first(self, visit, example_page):
        """Before anything is moved, the page shows the allocation used and its shortlist."""
        v = visit(example_page)
        assert_agrees(v, 2650000)

    def test_amount_out_of_range_refused(self, visit, example_page):
        """An amount above the top, or written two ways (£6,00), is refused with a message; nothing changes."""
        v = visit(example_page)
        before = v.shown()
        field = v.page.locator("#budget-amount")
        top = layout.budgets(example_doc())["top"]
        for bad in (fmt.money(top + 1), "£6,00", "lots"):
            field.fill(bad)
            field.press("Enter")
            assert field.get_attribute("aria-invalid") == "true"
            assert v.page.inner_text("#budget-problem").startswith(f"Give an amount from £0.00 to {fmt.money(top)}")
            assert v.shown() == before

    def test_result_is_a_live_region_and_the_slider_labelled(self, visit, example_page):
        """The slider has a label; the result is announced (a polite live region)."""
        v = visit(example_page)
        assert v.page.get_by_label("Upfront allocation", exact=True).get_attribute("type") == "range"
        result = v.page.locator("#budget-result")
        assert result.get_attribute("aria-live") == "polite" and result.get_attribute("role") == "status"


class TestSafety:
    def test_no_request_but_the_page(self, visit, example_page):
        """Opening and using the page makes no request but for the page itself."""
        v = visit(example_page)
        v.page.locator("#budget").focus()
        v.page.keyboard.press("End")
        v.page.wait_for_load_state("networkidle")
        assert v.requests == [v.url]

    def test_no_script_runs_from_a_hostile_title(self, visit, hostile, tmp_path):
        """Titles, an agency and a scenario name full of markup run nothing and add no element; they read as written."""
        rules, folder = hostile
        scenario = tmp_path / "s.yaml"
        scenario.write_text("name: " + json.dumps(HOSTILE_SCENARIO) + "\nupfront: £20,000\n")
        path = tmp_path / "hostile.html"
        crg("report", rules, folder, "-o", path, "--scenario", scenario)
        v = visit(path)
        v.page.locator("#budget").focus()
        v.page.keyboard.press("End")  # the script writes every title of the top interval into the page
        v.page.wait_for_timeout(200)
        assert v.dialogs == [] and v.errors == []
        counts = v.page.evaluate("""() => ({
            scripts: document.scripts.length,
            images: document.images.length,
            handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
            bold: document.querySelectorAll('main b, main i').length,
        })""")
        assert counts == {"scripts": 2, "images": 0, "handlers": 0, "bold": 0}
        text = one_line(v.page.inner_text("body"))
        for title in list(HOSTILE_TITLES.values()) + [HOSTILE_AGENCY, HOSTILE_SCENARIO]:
            assert one_line(title) in text, title
        listed = v.page.locator("#budget-list li").all_inner_texts()
        assert any(HOSTILE_TITLES["e-scooter-safety-schools"] in item for item in listed)


class TestAccessibility:
    def test_axe_finds_no_violation(self, visit, example_page):
        """axe-core (WCAG 2.0, 2.1 and 2.2 A and AA, and best practice) finds no violation, before and after the slider moves."""
        from axe_playwright_python.sync_playwright import Axe

        v = visit(example_page)
        for move in (None, "End"):
            if move:
                v.page.locator("#budget").focus()
                v.page.keyboard.press(move)
            results = Axe().run(v.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
            violations = results["violations"]
            assert violations == [], [(x["id"], [n["target"] for n in x["nodes"]]) for x in violations]
            passed = {rule["id"] for rule in results["passes"]}
            assert {"color-contrast", "label", "heading-order", "th-has-data-cells", "target-size", "svg-img-alt",
                    "region"} <= passed

    def test_runs_axe_finds_no_violation(self, visit, run_page):
        """Written from the register, with the run and the Chair's decision, the page passes axe-core too."""
        from axe_playwright_python.sync_playwright import Axe

        for path in run_page:
            v = visit(path)
            assert v.page.locator("#record").is_visible() and v.page.locator("#decision").is_visible()
            results = Axe().run(v.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
            violations = results["violations"]
            assert violations == [], [(x["id"], [n["target"] for n in x["nodes"]]) for x in violations]

    def test_headings_in_order(self, visit, example_page):
        """One h1, then h2 and h3 with no level skipped."""
        v = visit(example_page)
        levels = v.page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))

    def test_prints_to_a4_without_the_slider(self, visit, example_page):
        """Printed, the page is A4 and the slider is left out."""
        v = visit(example_page)
        v.page.emulate_media(media="print")
        assert not v.page.locator("#budget-tool").is_visible()
        pdf = v.page.pdf(prefer_css_page_size=True)
        sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
        assert sizes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes)
