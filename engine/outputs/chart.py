"""Charts of a decision: the sweep (total score and shortlist size against the upfront allocation)
and the allocation (each shortlisted project's share of the upfront money, and what is left).

Every piece of text has its own place: the allocation in use is named in the
legend rather than beside its line, so no label can run into a line, an axis
or another label.  Each chart is drawn from plain values (pence, counts,
points), so that the same figure can be drawn from an
:class:`~engine.decision.shortlist.Outcome` or from the serialised
recommendation document, and saved as a file, as SVG text to put inside a web
page (with a title and a description a screen reader reads), or as PNG bytes
for a Word document.  The same inputs give the same bytes.
"""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path
from typing import Sequence

from .. import fmt
from ..errors import InputError
from ..files import write_whole

__all__ = ["allocation_figure", "png", "steps_figure", "svg", "sweep_chart", "sweep_figure", "sweep_steps"]

BLUE, RED, GREY, INK = "#1f5fa8", "#b03a2e", "#595959", "#1a1a1a"

_STYLE = {
    "svg.hashsalt": "crg",  # the same inputs give the same ids, so the same file
    "svg.fonttype": "none",  # text stays text: smaller, and selectable in a page
    "text.parse_math": False,  # a '$' in a name is a dollar sign, not mathematics
    "font.size": 9,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def _style():
    """The charts' settings, for drawing and saving alike (no pyplot: a figure is never shown)."""
    import matplotlib

    return matplotlib.rc_context(_STYLE)


def _figure(width: float, height: float):
    """A figure of its own (not pyplot's), on an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def sweep_steps(outcome) -> list[tuple[int, int, int, float]]:
    """``(start, end, size, total points)`` of each interval of *outcome*'s sweep (pence inclusive)."""
    return [(iv.start, iv.end, len(iv.chosen), fmt.score_value(iv.score)) for iv in outcome.intervals]


def sweep_figure(outcome):
    """The figure of the sweep of *outcome*, the allocation in use marked."""
    what_if = any(o["name"] == "upfront" for o in outcome.overrides)
    return steps_figure(f"{outcome.round.name}: shortlist by upfront allocation ({outcome.policy})",
                        sweep_steps(outcome), outcome.upfront, what_if)


def steps_figure(title: str, steps: Sequence[tuple[int, int, int, float]], upfront: int, what_if: bool = False):
    """Total score and shortlist size at every upfront allocation of *steps*, the allocation in use marked."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with _style():
        xs, scores, sizes = [], [], []
        for start, end, size, score in steps:
            for x in (start, end):
                xs.append(fmt.pounds(x))
                scores.append(score)
                sizes.append(size)
        fig = _figure(9, 4.8)
        ax = fig.subplots()
        ax.plot(xs, scores, color=BLUE, linewidth=1.8, label="total score of the shortlist")
        ax.set_xlabel("upfront allocation")
        ax.set_ylabel("total score", color=BLUE)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.money_short(round(v) * fmt.PENCE)))
        other = ax.twinx()
        other.plot(xs, sizes, color=RED, linewidth=1.2, linestyle="--", label="proposals shortlisted")
        other.set_ylabel("proposals shortlisted", color=RED)
        other.yaxis.set_major_locator(MaxNLocator(integer=True))
        lines = ax.get_lines()[:1] + other.get_lines()[:1]
        lines.append(ax.axvline(fmt.pounds(upfront), color=GREY, linewidth=1, linestyle=":",
                                label=f"the allocation in use, {fmt.money_short(upfront)}"
                                      + (" (a what-if)" if what_if else "")))
        ax.set_title(title, fontsize=10)
        ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8, framealpha=0.9)
        fig.tight_layout()
    return fig


def allocation_figure(title: str, shares: Sequence[tuple[str, int]], left: int, upfront: int):
    """One bar per shortlisted project (its amount and share of *upfront*), and one for what is *left*."""
    from matplotlib.ticker import FuncFormatter

    with _style():
        labels = [label for label, _ in shares] + ["left"]
        amounts = [amount for _, amount in shares] + [left]
        height = 1.2 + 0.32 * len(labels)
        fig = _figure(9, height)
        ax = fig.subplots()
        positions = list(range(len(labels)))[::-1]  # first at the top
        colours = [BLUE] * len(shares) + [GREY]
        ax.barh(positions, [fmt.pounds(a) for a in amounts], color=colours, height=0.6)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, fmt.pounds(max([upfront] + amounts)) * 1.25 or 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.money_short(round(v) * fmt.PENCE)))
        ax.set_xlabel(f"share of the upfront allocation of {fmt.money_short(upfront)}")
        for y, amount in zip(positions, amounts):
            ax.annotate(f"{fmt.money_short(amount)} ({fmt.percent(amount, upfront)})", (fmt.pounds(amount), y),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8, color=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(title, fontsize=10)
        fig.tight_layout()
    return fig


def sweep_chart(outcome, path: str) -> None:
    """Draw the sweep of *outcome* to *path* (.png or .svg), marking the allocation in use."""
    fig = sweep_figure(outcome)
    target = Path(path)
    data = _svg_file(fig) if target.suffix.lower() == ".svg" else png(fig)
    try:
        write_whole(target, data)  # never leave a half-written chart behind
    except OSError as exc:
        raise InputError(f"cannot write the chart ({exc.strerror})", file=path, field="--chart",
                         fix="give a path in a folder that exists and can be written") from None


def png(fig, dpi: int = 110) -> bytes:
    """The figure as PNG bytes, with no time stamp or software name in them."""
    out = io.BytesIO()
    with _style():
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _svg_file(fig) -> bytes:
    out = io.BytesIO()
    with _style():
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def svg(fig, title: str, description: str, *, prefix: str) -> str:
    """The figure as an ``<svg>`` element to put inside a web page.

    It carries *title* and *description* for a screen reader (``role="img"``,
    labelled by them), scales to the width of the page, and has no XML
    declaration, document type, metadata or namespace address.  Every id in it
    starts with *prefix*, so that two charts in one page never share an id.
    """
    text = _svg_file(fig).decode("utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    head_end = text.index(">") + 1
    head = re.sub(r'\s(?:xmlns(?::xlink)?|width|height|version)="[^"]*"', "", text[:head_end])
    ids = re.findall(r'\bid="([^"]+)"', text)
    body = text[head_end:]
    for old in ids:
        body = body.replace(f'id="{old}"', f'id="{prefix}-{old}"').replace(f"#{old})", f"#{prefix}-{old})") \
            .replace(f'href="#{old}"', f'href="#{prefix}-{old}"')
    head = head[:-1].rstrip() + f' role="img" aria-labelledby="{prefix}-title {prefix}-desc">'
    return (f'{head}\n<title id="{prefix}-title">{escape(title)}</title>\n'
            f'<desc id="{prefix}-desc">{escape(description)}</desc>{body}')
