"""The recommendation as one self-contained web page, with the budget slider.

Rendered with Jinja2, autoescaping on, so every text from a proposal, a rules
file or a scenario shows as text.  Everything the page needs is inside it: the
style, the script (allowed by its hash in the page's content security policy,
which also forbids any request), the charts as SVG and the budget data as
JSON.  It prints to A4.  The script only looks up the interval of budgets that
holds the one chosen: every figure it shows was computed here.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ... import fmt
from .layout import (NUMBERS, Chart, Form, Heading, Para, Slider, Table, budgets, cell_text, figure, sections,
                     shortlist_at, subtitle, unprinted)

__all__ = ["render"]

TEMPLATES = Path(__file__).with_name("templates")
KINDS = {Heading: "heading", Para: "para", Table: "table", Chart: "chart", Slider: "slider", Form: "form"}


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.globals.update(cell_text=cell_text, numbers=NUMBERS)
    return env


def render(doc: dict[str, Any], progress=None) -> bytes:
    from markupsafe import Markup

    from .. import chart
    from . import steps

    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    data = budgets(doc)
    where, interval = next((i, iv) for i, iv in enumerate(data["intervals"]) if iv["from"] <= data["upfront"] <= iv["to"])
    laid = []
    parts = sections(doc)
    step = steps(progress, sum(len(section.blocks) for section in parts) + 1)  # and the page put together
    for section in parts:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table) and (words := unprinted(block, "the budget slider above")):
                block = Para(words, label=block.caption + ".")
            entry = {"kind": KINDS[type(block)], "block": block}
            if isinstance(block, Chart):
                entry["svg"] = Markup(chart.svg(figure(doc, block.key), block.title, block.description,
                                                prefix=f"chart-{block.key}"))
            blocks.append(entry)
            step()
        laid.append({"key": section.key, "heading": section.heading, "blocks": blocks})
    page = _environment().get_template("report.html.j2").render(
        doc=doc,
        subtitle=subtitle(doc),
        sections=laid,
        budgets=data,
        budget_amount=fmt.money_json(data["upfront"]),
        initial={"label": fmt.money(data["upfront"]), "interval": interval,
                 "left": fmt.money(data["upfront"] - interval["allocated"]),
                 "shortlist": [dict(data["projects"][at], **({"amount": interval["offer"][1]}
                                                             if interval.get("offer", [None])[0] == at else {}))
                               for at in shortlist_at(data, where)]},
        css=Markup(css),
        script=Markup(script),
        script_hash="sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii"),
    )
    step()
    return page.encode("utf-8")
