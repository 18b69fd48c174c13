"""The recommendation document laid out once for every writer: sections of headings, paragraphs and tables.

:func:`sections` turns the mapping of :mod:`engine.outputs.document` into
:class:`Section` values in the Chair's reading order.  Each holds the
``blocks`` a document shows (Markdown, web page, Word) and the ``sheets`` a
workbook shows (one flat table each, so that a partner can sort and filter).
Table cells keep their kind (money, score, date...) so that each writer shows
them its own way: text through :mod:`engine.fmt`, or numbers in a workbook.
Nothing here decides anything; every figure is read from the document.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any, Union

import attrs

from ... import fmt
from ...inputs.money import written
from .. import document

__all__ = ["Cell", "Chart", "Form", "Heading", "Para", "Section", "Slider", "Table", "budgets", "cell_text", "figure", "sections",
           "shortlist_at", "subtitle", "unprinted"]

NUMBERS = ("money", "score", "points", "count")  # shown aligned right

pence = written  # whole pence of a sum as the document writes it


@attrs.frozen
class Cell:
    """One value of a table and what it is: text, money (pence), a score, points, a count or a date."""

    kind: str
    value: Any  # str | int (pence, count) | Fraction (score, points) | datetime.date | None


def cell_text(c: Cell) -> str:
    """The cell as text, the same in every document."""
    if c.value is None:
        return "-"
    return {
        "text": str,
        "money": fmt.money,
        "score": fmt.points,
        "points": fmt.number,
        "count": lambda n: f"{n:,}",
        "date": fmt.date,
    }[c.kind](c.value)


@attrs.frozen
class Table:
    """A table with a caption, a header row and rows of :class:`Cell`; *sheet* names it in a workbook."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    sheet: str = ""


@attrs.frozen
class Heading:
    level: int  # 3 and below: sections are level 2, the title level 1
    text: str
    anchor: str = ""


@attrs.frozen
class Para:
    text: str
    label: str = ""  # a few words shown in bold before the text


@attrs.frozen
class Chart:
    """A chart of the document: ``allocation`` or ``sweep``, drawn by the writer from the document's figures."""

    key: str
    title: str
    description: str


@attrs.frozen
class Slider:
    """The budget slider (web page only; the other formats show the table of budgets)."""


@attrs.frozen
class Form:
    """Spaces to fill in by hand: the Chair's decision."""

    fields: tuple[str, ...]


Block = Union[Heading, Para, Table, Chart, Slider, Form]


@attrs.frozen
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]
    sheets: tuple[Table, ...]


def text(value) -> Cell:
    return Cell("text", value)


def money(value: str | None) -> Cell:
    return Cell("money", None if value is None else pence(value))


def score(value: float | None) -> Cell:
    """A score as the document holds it (three decimals at most), exactly: ``Fraction('8.971')``."""
    return Cell("score", None if value is None else Fraction(str(value)))


def points(value: float | None) -> Cell:
    return Cell("points", None if value is None else Fraction(str(value)))


def count(value: int | None) -> Cell:
    return Cell("count", value)


def date(value: str | None) -> Cell:
    return Cell("date", None if value is None else dt.date.fromisoformat(value))


def sections(doc: dict[str, Any]) -> list[Section]:
    """Every section of *doc*, in the Chair's reading order (the run in the register only when written from it)."""
    return [
        _recommendation(doc),
        _money(doc),
        *([_assumed(doc)] if doc.get("assumptions") else []),  # (a document kept before they were listed has none)
        _shortlist(doc),
        _reserve(doc),
        _tactical(doc),
        _ineligible(doc),
        _priorities(doc),
        _proposals(doc),
        _scenarios(doc),
        _charts(doc),
        _provenance(doc),
        *([_record(doc)] if "record" in doc else []),
        _decision(doc),
    ]


def subtitle(doc: dict[str, Any]) -> str:
    """The line under the title: the round, its year and plan."""
    r = doc["round"]
    words = f"Financial year {r['financial_year']} ({fmt.date(dt.date.fromisoformat(r['year_start']))} " \
            f"to {fmt.date(dt.date.fromisoformat(r['year_end']))})"
    return words + (f". Police and Crime Plan: {r['plan']}." if r.get("plan") else ".")


def _recommendation(doc) -> Section:
    m = doc["money"]
    facts = Table("The recommendation in figures", ("item", "value"), (
        (text("Projects recommended"), count(len(doc["shortlist"]))),
        (text("Upfront allocation"), money(m["upfront"])),
        (text("Recommended for the shortlist"), money(m["allocated"])),
        (text("Left of the upfront allocation"), money(m["remaining"])),
        (text("In reserve"), count(len(doc["reserve"]))),
        (text("Tactical bids"), count(len(doc["tactical"]))),
        (text("Ineligible"), count(len(doc["ineligible"]))),
    ), sheet="Recommendation")
    return Section("recommendation", "The recommendation", (Para(doc["recommendation"]),),
                   (attrs.evolve(facts, rows=((text("Recommendation"), text(doc["recommendation"])),) + facts.rows),))


def _money(doc) -> Section:
    m, r = doc["money"], doc["round"]
    rows = [
        (text("Grant from the Police and Crime Commissioner"), money(m["grant"])),
        (text("Upfront allocation"), money(m["upfront"])),
        (text("Allocated to the shortlist"), money(m["allocated"])),
        (text("Left of the upfront allocation"), money(m["remaining"])),
        (text("Tactical pot in the rules"), money(m["tactical_pot"])),
        (text("Tactical pot with what is left"), money(m["tactical"])),
        (text("Returned to the OPCC"), money(m["returned"])),
    ]
    if m["grant"] is not None:
        # the two pots of the rules file and an allocation set by a what-if need not come to the grant
        gap = pence(m["grant"]) - pence(m["upfront"]) - pence(m["tactical_pot"])
        if gap > 0:
            rows.append((text("Of the grant, in neither pot"), money(fmt.money_json(gap))))
        elif gap < 0:
            rows.append((text("Beyond the grant, in the two pots"), money(fmt.money_json(-gap))))
    table = Table("The money of the round", ("item", "amount"), tuple(rows), sheet="Money")
    dates = Table("The dates of the round", ("date", "day"),
                  tuple((text(d["label"]), date(d["date"])) for d in r["deadlines"]), sheet="Dates")
    blocks: list[Block] = [table, Para(m["leftover"])]
    if r.get("tactical_opens"):
        blocks.append(Para(f"The tactical pot opens {r['tactical_opens']}."))
    blocks += [Para(w, "Warning:") for w in r["warnings"]]
    if dates.rows:
        blocks.append(dates)
    return Section("money", "The money", tuple(blocks), (table, dates) if dates.rows else (table,))


def _assumed(doc) -> Section:
    """The values the figures rest on that no published report gives."""
    table = Table("The values each file marks as assumed", ("file", "field", "value"),
                  tuple((text(a["file"]), text(a["field"]), text(a["value"] or None)) for a in doc["assumptions"]),
                  sheet="Assumptions")
    lead = Para("No published report gives the values below: each file marks them as assumed, and the figures of "
                "this recommendation rest on them as written here.")
    return Section("assumptions", "What rests on assumptions", (lead, table), (table,))


def _shortlist(doc) -> Section:
    rows = tuple((count(e["rank"]), text(e["id"]), text(e["title"]), text(e["lead_agency"]), money(e["cost"]),
                  money(e["offered"]), score(e["score"]), text(", ".join(e["concerns"]) or None))
                 for e in doc["shortlist"])
    table = Table("The shortlist, in the order the policy took them",
                  ("rank", "id", "title", "lead agency", "cost", "offered", "score", "concerns"), rows, sheet="Shortlist")
    total = Para(f"{fmt.count(len(rows), 'project')} for {fmt.money(pence(doc['money']['allocated']))} "
                 f"of {fmt.money(pence(doc['money']['upfront']))}.")
    if not rows:
        return Section("shortlist", "The shortlist", (Para("No project is shortlisted."),), (table,))
    return Section("shortlist", "The shortlist", (table, total), (table,))


def _reserve(doc) -> Section:
    rows = tuple((count(e["rank"]), text(e["id"]), text(e["title"]), text(e["lead_agency"]), money(e["cost"]),
                  score(e["score"]), money(e["shortlisted_from"])) for e in doc["reserve"])
    table = Table("The reserve list, in order of rank",
                  ("rank", "id", "title", "lead agency", "cost", "score", "shortlisted from"), rows, sheet="Reserve")
    lead = Para("Eligible proposals that did not fit, in the order they would be considered if money came free; "
                "'shortlisted from' is the least upfront allocation, above the one used, at which each would be "
                "shortlisted.")
    return Section("reserve", "The reserve list", (lead, table) if rows else (Para("No proposal is in reserve."),),
                   (table,))


def _tactical(doc) -> Section:
    rows = tuple((text(e["id"]), text(e["title"]), text(e["lead_agency"]), money(e["cost"]), score(e["score"]))
                 for e in doc["tactical"])
    table = Table("Bids for the tactical pot", ("id", "title", "lead agency", "cost", "score"), rows,
                  sheet="Tactical bids")
    lead = Para(f"Eligible bids for the tactical pot of {fmt.money(pence(doc['money']['tactical']))}, decided "
                "apart from the upfront allocation.")
    return Section("tactical", "The tactical bids", (lead, table) if rows else (Para("No bid is for the tactical pot."),),
                   (table,))


def _ineligible(doc) -> Section:
    blocks: list[Block] = []
    sheet_rows = []
    for e in doc["ineligible"]:
        rows = tuple((text(f["rule"]), text(f["reason"]), text(f["source"])) for f in e["failed"])
        blocks.append(Table(f"{e['id']}: {e['title']} ({fmt.money(pence(e['cost']))}, {e['lead_agency']})",
                            ("rule failed", "why", "source of the rule"), rows))
        # the cost once, on the proposal's first row: a column that adds up to what the proposals ask for
        sheet_rows += [(text(e["id"]), text(e["title"]), money(e["cost"] if i == 0 else None), *row)
                       for i, row in enumerate(rows)]
    sheet = Table("Ineligible proposals, one row for each rule failed (the cost on the first)",
                  ("id", "title", "cost", "rule failed", "why", "source of the rule"), tuple(sheet_rows),
                  sheet="Ineligible")
    if not blocks:
        blocks = [Para("Every proposal is eligible.")]
    return Section("ineligible", "The ineligible proposals", tuple(blocks), (sheet,))


def _priorities(doc) -> Section:
    blocks: list[Block] = []
    sheet_rows = []
    for key, words in (("pcc", "Police and Crime Plan"), ("csa", "Community Safety Agreement")):
        group = doc["priorities"][key]
        rows = tuple((text(p["name"]), text(", ".join(p["served_by"]) or "none: left without a project"))
                     for p in group)
        missing = [p["name"] for p in group if not p["served_by"]]
        blocks.append(Table(f"{words} priorities and the shortlisted projects that serve them",
                            ("priority", "served by"), rows))
        blocks.append(Para(f"Left without a project: {'; '.join(missing)}." if missing
                           else f"Every {words} priority is served by at least one shortlisted project."))
        sheet_rows += [(text(words), text(p["id"]), text(p["name"]), count(len(p["served_by"])),
                        text(", ".join(p["served_by"]))) for p in group]
    sheet = Table("Priorities and the shortlisted projects that serve them",
                  ("plan", "id", "priority", "projects", "served by"), tuple(sheet_rows), sheet="Priorities")
    return Section("priorities", "The priorities served", tuple(blocks), (sheet,))


def _proposals(doc) -> Section:
    blocks: list[Block] = [Para("Each proposal's decision with its reason, its score criterion by criterion, and "
                                "what would have changed the decision.")]
    summary, parts = [], []
    for p in doc["proposals"]:
        blocks.append(Heading(3, f"{p['id']}: {p['title']}", f"proposal-{p['id']}"))
        facts = [p["status"]]
        if p.get("rank") is not None:
            facts.append(f"ranked {fmt.ordinal(p['rank'])}")
        if p.get("score") is not None:
            facts.append(f"score {cell_text(score(p['score']))}")
        facts.append(f"cost {fmt.money(pence(p['cost']))}")
        blocks.append(Para(", ".join(facts) + ".", "Decision:"))
        blocks.append(Para(p["explanation"], "Why:"))
        breakdown = p.get("score_breakdown") or []
        if breakdown:
            blocks.append(Table(f"Score of {p['id']}, criterion by criterion", ("criterion", "points", "out of", "why"),
                                tuple((text(part.get("name") or part.get("criterion")), points(part.get("points")),
                                       points(part.get("max_points")), text(part.get("reason", "")))
                                      for part in breakdown)))
        cf = p.get("counterfactual") or {}
        if cf.get("text"):
            blocks.append(Para(cf["text"], "What would change it:"))
        summary.append((text(p["id"]), text(p["title"]), text(p["status"]), count(p.get("rank")), score(p.get("score")),
                        money(p["cost"]), money(p.get("offered")), text(p["explanation"]), text(cf.get("text") or None)))
        parts += [(text(p["id"]), text(part.get("criterion", "")), text(part.get("name", "")),
                   points(part.get("points")), points(part.get("max_points")), text(part.get("reason", "")))
                  for part in breakdown]
    sheets = (
        Table("Every proposal, its decision and why", ("id", "title", "status", "rank", "score", "cost", "offered",
                                                       "why", "what would change it"), tuple(summary), sheet="Proposals"),
        Table("Every score, criterion by criterion", ("id", "criterion", "name", "points", "out of", "why"),
              tuple(parts), sheet="Score breakdown"),
    )
    return Section("proposals", "Every proposal: rationale, score and what would change it", tuple(blocks), sheets)


def _scenarios(doc) -> Section:
    sc = doc["scenarios"]
    sides = [sc["baseline"]] + sc["scenarios"]
    columns = ("figure", "baseline") + tuple(s["name"] for s in sc["scenarios"])
    premises = ["; ".join(o["text"] for o in sc["baseline"]["overrides"]) or "as the rules file says"] + \
        ["; ".join(o["text"] for o in s["overrides"]) or "no change" for s in sc["scenarios"]]
    rows = (
        (text("premises"), *map(text, premises)),
        (text("policy"), *(text(s["policy"]) for s in sides)),
        (text("upfront"), *(money(s["upfront"]) for s in sides)),
        (text("allocated"), *(money(s["allocated"]) for s in sides)),
        (text("remaining"), *(money(s["remaining"]) for s in sides)),
        *([(text("tactical pot"), *(money(s["tactical"]) for s in sides))] if all("tactical" in s for s in sides)
          else []),  # (a document kept before it was given has none)
        (text("total score"), *(score(s["total_score"]) for s in sides)),
        (text("shortlisted"), *(count(len(s["shortlist"])) for s in sides)),
        (text("entered"), text(None), *(text(", ".join(s["entered"]) or None) for s in sc["scenarios"])),
        (text("left"), text(None), *(text(", ".join(s["left"]) or None) for s in sc["scenarios"])),
    )
    table = Table("The baseline and each scenario, side by side", columns, rows)
    pot = all("tactical" in s for s in sides)  # as in the table above
    sheet = Table("The baseline and each scenario",
                  ("name", "file", "premises", "policy", "upfront", "allocated", "remaining",
                   *(("tactical pot",) if pot else ()), "total score", "shortlisted", "entered", "left", "changes"),
                  tuple((text(s["name"]), text(s.get("file", "")), text(premise), text(s["policy"]), money(s["upfront"]),
                         money(s["allocated"]), money(s["remaining"]), *((money(s["tactical"]),) if pot else ()),
                         score(s["total_score"]), count(len(s["shortlist"])),
                         text(", ".join(s.get("entered", ()))), text(", ".join(s.get("left", ()))),
                         text("; ".join(f"{ch['id']} {ch['text']}" for ch in s.get("changes", ()))))
                        for s, premise in zip(sides, premises)), sheet="Scenarios")
    if not sc["scenarios"]:
        return Section("scenarios", "The scenarios compared with the baseline",
                       (Para("No scenario was compared (crg report --scenario FILE adds one)."),), (sheet,))
    blocks: list[Block] = [table]
    for s in sc["scenarios"]:
        blocks.append(Heading(3, s["name"]))
        blocks.append(Para(f"allocated {fmt.money_change(_signed(s['allocated_change']))}, remaining "
                           f"{fmt.money_change(_signed(s['remaining_change']))}, total score "
                           f"{fmt.points_change(round(Fraction(str(s['total_score_change'])) * fmt.UNITS))}.",
                           "Against the baseline:"))
        # as crg compare tells them: a score that moved less than its one decimal shows is named, not told
        listed = [ch for ch in s["changes"] if "score_before" not in ch or _shown(ch["score_before"]) !=
                  _shown(ch["score_after"])]
        slight = [ch["id"] for ch in s["changes"] if ch not in listed]
        if not s["entered"] and not s["left"]:
            blocks.append(Para("The shortlist is the same."))
        blocks += [Para(f"{ch['id']} {ch['text']}") for ch in listed]
        if slight:
            blocks.append(Para(f"Scores that moved too little to show at one decimal: {', '.join(slight)}."))
    return Section("scenarios", "The scenarios compared with the baseline", tuple(blocks), (sheet,))


def _shown(points: str) -> str:
    """A score as the document holds it (``"7.825"``), as shown at one decimal."""
    return fmt.score(round(Fraction(points) * fmt.UNITS))


def _signed(value: str) -> int:
    """Pence from a change of money as the document holds it: ``"+600.00"`` or ``"-5050.00"``."""
    return -pence(value[1:]) if value.startswith("-") else pence(value.lstrip("+"))


def _charts(doc) -> Section:
    charts, sweep = doc["charts"], doc["sweep"]
    shares = tuple((text(e["id"]), money(e["offered"]), text(fmt.percent(pence(e["offered"]), pence(doc["money"]["upfront"]))))
                   for e in doc["shortlist"])
    shares += ((text("left"), money(doc["money"]["remaining"]),
                text(fmt.percent(pence(doc["money"]["remaining"]), pence(doc["money"]["upfront"])))),)
    allocation = Table("The upfront allocation, shared", ("project", "amount", "share"), shares, sheet="Allocation")
    table = Table(f"The shortlist at every budget (policy {sweep['policy']})",
                  ("from", "to", "projects", "allocated", "score", "change to the shortlist"), budget_rows(sweep),
                  sheet="Budgets")
    blocks = (
        Chart("allocation", charts["allocation"]["title"], charts["allocation"]["description"]),
        Chart("sweep", charts["sweep"]["title"], charts["sweep"]["description"]),
        Slider(),
        table,
    )
    return Section("charts", "The allocation and the budgets", blocks, (allocation, table))


def unprinted(block: Table, slider: str) -> str | None:
    """The words printed instead of *block* if it is a table of budgets too long to print (more rows than
    :data:`engine.outputs.document.LONGEST`; else ``None``); *slider* names the budget slider as the reader finds
    it."""
    if block.sheet != "Budgets" or len(block.rows) <= document.LONGEST:
        return None
    return (f"{len(block.rows):,} intervals of budgets, too many to print: the chart above draws them, and {slider} "
            "and the workbook's Budgets sheet give each one.")


def budget_rows(sweep) -> tuple[tuple[Cell, ...], ...]:
    return tuple((money(iv["from"]), money(iv["to"]), count(iv["size"]), money(iv["allocated"]),
                  score(iv["score"]), text(iv.get("change") or None)) for iv in sweep["intervals"])


# the page's intervals give their shortlist in full at every this many (the first included), and in between as who
# came in and who went out since the interval before
EVERY = 100


def budgets(doc) -> dict[str, Any]:
    """What the budget slider needs, as plain data: the stops (pence, with their words), the projects that can be
    shortlisted (id, title, cost) and each interval's ends, words and shortlist (positions in the projects, and a
    reduced offer if one is made).  The page looks up the interval that holds a budget; it computes nothing else.

    The stops are the budgets at which the shortlist changes (each interval's start, £0 the first) and the top.
    An interval's shortlist, in the order the policy takes them, is given in full (``shortlist``) at every
    :data:`EVERY` intervals from the first and where the document gives it in full (those who stay are in another
    order), and otherwise as the projects that went out (``out``) and those that came in, each with the place it
    takes (``in``: ``[place, project]``, by place), since the interval before, either left out when there are none;
    :func:`shortlist_at` reads it, as the page's script does.
    """
    intervals_of = doc["sweep"]["intervals"]
    listed = {pid for iv in intervals_of for pid in iv["entered"]}
    projects = [p for p in doc["proposals"] if p["id"] in listed]
    index = {p["id"]: i for i, p in enumerate(projects)}
    intervals = []
    for at, (iv, shortlist) in enumerate(zip(intervals_of, document.sweep_shortlists(intervals_of))):
        allocated = pence(iv["allocated"])
        entry = {
            "from": pence(iv["from"]), "to": pence(iv["to"]), "allocated": allocated,
            "words": f"{fmt.count(iv['size'], 'project')} for {fmt.money(allocated)}, total score "
                     f"{cell_text(score(iv['score']))}",
        }
        if at % EVERY == 0 or "shortlist" in iv:
            entry["shortlist"] = [index[pid] for pid in shortlist]
        else:
            if iv["left"]:
                entry["out"] = [index[pid] for pid in iv["left"]]
            if iv["entered"]:
                entry["in"] = [[place, index[pid]] for place, pid in zip(iv["at"], iv["entered"])]
        if iv.get("reduced_offer"):
            entry["offer"] = [index[iv["reduced_offer"]["id"]], fmt.money(pence(iv["reduced_offer"]["amount"]))]
        intervals.append(entry)
    stops = sorted({iv["from"] for iv in intervals} | {intervals[-1]["to"]})
    upfront = pence(doc["sweep"]["upfront"])
    return {
        "projects": [{"id": p["id"], "title": p["title"], "amount": fmt.money(pence(p["cost"]))} for p in projects],
        "upfront": upfront,
        "top": intervals[-1]["to"],
        "stops": stops,
        "labels": [fmt.money(b) for b in stops],
        "start": max(i for i, b in enumerate(stops) if b <= upfront),
        "every": EVERY,
        "intervals": intervals,
    }


def shortlist_at(data: dict[str, Any], at: int) -> list[int]:
    """The shortlist of the slider's interval *at* (:func:`budgets`), as positions in its projects, in order: from
    the last interval given in full, each one's changes taken in turn."""
    start = at
    while "shortlist" not in data["intervals"][start]:
        start -= 1
    shortlist = list(data["intervals"][start]["shortlist"])
    for iv in data["intervals"][start + 1 : at + 1]:
        for project in iv.get("out", ()):
            shortlist.remove(project)
        for place, project in iv.get("in", ()):
            shortlist.insert(place, project)
    return shortlist


def figure(doc, key: str):
    """The chart *key* (``allocation`` or ``sweep``) drawn from the document's figures."""
    from .. import chart

    title = doc["charts"][key]["title"]
    if key == "allocation":
        return chart.allocation_figure(title, [(e["id"], pence(e["offered"])) for e in doc["shortlist"]],
                                       pence(doc["money"]["remaining"]), pence(doc["money"]["upfront"]))
    sweep = doc["sweep"]
    steps = [(pence(iv["from"]), pence(iv["to"]), iv["size"], iv["score"]) for iv in sweep["intervals"]]
    what_if = any(o["name"] == "upfront" for o in doc["provenance"]["overrides"])
    return chart.steps_figure(title, steps, pence(sweep["upfront"]), what_if)


def _provenance(doc) -> Section:
    pv = doc["provenance"]
    facts = (
        (text("engine"), text(pv["engine"])),
        (text("rules evaluated with"), text(pv["rule_engine"])),
        (text("policy"), text(pv["policy"])),
        (text("what-ifs"), text("; ".join(o["text"] for o in pv["overrides"]) or "none: as the rules file says")),
    )
    files = Table("Every file read, with its SHA-256 content hash", ("role", "file", "SHA-256"),
                  tuple((text(f["role"]), text(f["name"]), text(f["sha256"])) for f in pv["files"]), sheet="Files")
    about = Table("How these figures were made", ("item", "value"), facts, sheet="Provenance")
    lead = Para("The same files, given to the same version of crg with the same what-ifs, give the same figures: "
                "a file whose hash differs is not the file this recommendation was made from.")
    return Section("provenance", "Provenance", (about, lead, files), (about, files))


def _record(doc) -> Section:
    """The run of the decision register this document was written from."""
    r = doc["record"]
    facts = Table("The run as the register holds it", ("item", "value"), (
        (text("run"), text(str(r["run"]))),
        (text("recorded"), text(r["recorded"])),
        (text("recorded by"), text(r["by"])),
        (text("note"), text(r["note"])),
        (text("version"), text(f"crg {r['engine_version']}")),
        (text("rules evaluated with"), text(r["rule_engine"])),
        (text("hash of the run"), text(r["hash"])),
    ), sheet="Register")
    lead = f"This recommendation is run {r['run']} of the decision register"
    lead += "." if r["rebuilt"] else (", written from the document kept with the run: no figure in it was worked "
                                      "out again.")
    lead += (f" crg verify checks that the run is still as it was recorded; crg replay {r['run']} runs its files "
             "again with the crg of the day.")
    blocks: list[Block] = [Para(lead), facts]
    if r["rebuilt"]:
        blocks.append(Para(r["rebuilt"], "Made again:"))
    return Section("record", "The run in the decision register", tuple(blocks), (facts,))


def _decision(doc) -> Section:
    d = doc["decision"]
    recorded = d.get("recorded")
    if recorded is None:
        sheet = Table("The Chair's decision", ("item", "entry"), tuple((text(f), text("")) for f in d["fields"]),
                      sheet="Decision")
        blocks: tuple[Block, ...] = (Para(d["text"]), Form(tuple(d["fields"])))
        if "run" in d:  # written from the register
            blocks = (Para(f"No decision of the Chair on run {d['run']} is in the register yet (crg decide "
                           f"{d['run']} records it)."),) + blocks
        return Section("decision", "The Chair's decision", blocks, (sheet,))
    departures = Table("Where the Chair's decision departs from the recommendation",
                       ("id", "title", "amount", "recommended", "the Chair decided", "reason"),
                       tuple((text(x["id"]), text(x["title"]), money(x["amount"]), text(x["recommended"]),
                              text(x["decided"]), text(x["reason"])) for x in recorded["departures"]),
                       sheet="Departures")
    blocks = [Para(recorded["text"], f"Decision {recorded['decision']}:")]
    if recorded["replaces"]:
        blocks.append(Para(recorded["replaces"]))
    blocks.append(departures if departures.rows else
                  Para("The Chair decided as recommended: no proposal departs from the recommendation."))
    blocks.append(Para(recorded["funded"]))
    facts = Table("The Chair's decision, as the register holds it", ("item", "entry"), (
        (text("decision"), text(str(recorded["decision"]))),
        (text("outcome"), text(recorded["outcome"])),
        (text("decided by"), text(recorded["by"])),
        (text("decided"), text(fmt.timestamp(recorded["decided_at"]))),
        (text("note"), text(recorded["note"])),
        (text("funded"), text(recorded["funded"])),
    ), sheet="Decision")
    return Section("decision", "The Chair's decision", tuple(blocks), (facts, departures))
