"""The sweep as a chart: total score and shortlist size against the upfront allocation.

Every piece of text has its own place: the allocations marked on the chart
are named in the legend rather than beside their lines, so no label can run
into a line, an axis or another label.
"""

from __future__ import annotations

from pathlib import Path

from .. import fmt
from ..errors import InputError

__all__ = ["sweep_chart", "sweep_figure"]


def sweep_figure(outcome):
    """The matplotlib figure of the sweep of *outcome*, the allocation in use marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    matplotlib.rcParams["svg.hashsalt"] = "crg"  # the same inputs give the same file
    xs, scores, sizes = [], [], []
    for iv in outcome.intervals:
        for x in (iv.start, iv.end):
            xs.append(fmt.pounds(x))
            scores.append(fmt.score_value(iv.score))
            sizes.append(len(iv.chosen))
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    ax.plot(xs, scores, color="#1f5fa8", linewidth=1.8, label="total score of the shortlist")
    ax.set_xlabel("upfront allocation")
    ax.set_ylabel("total score", color="#1f5fa8")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.money_short(round(v) * fmt.PENCE)))
    other = ax.twinx()
    other.plot(xs, sizes, color="#c0504d", linewidth=1.2, linestyle="--", label="proposals shortlisted")
    other.set_ylabel("proposals shortlisted", color="#c0504d")
    other.yaxis.get_major_locator().set_params(integer=True)
    lines = ax.get_lines()[:1] + other.get_lines()[:1]
    what_if = any(o["name"] == "upfront" for o in outcome.overrides)
    lines.append(ax.axvline(fmt.pounds(outcome.upfront), color="#555555", linewidth=1, linestyle=":",
                            label=f"the allocation in use, {fmt.money_short(outcome.upfront)}"
                                  + (" (a what-if)" if what_if else "")))
    ax.set_title(f"{outcome.round.name}: shortlist by upfront allocation ({outcome.policy})", fontsize=10)
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8, framealpha=0.9)
    fig.tight_layout()
    return fig


def sweep_chart(outcome, path: str) -> None:
    """Draw the sweep of *outcome* to *path* (.png or .svg), marking the allocation in use."""
    import matplotlib.pyplot as plt

    fig = sweep_figure(outcome)
    target = Path(path)
    kind = "svg" if target.suffix.lower() == ".svg" else "png"
    partial = target.with_name(target.name + ".part")
    try:
        fig.savefig(partial, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None})
        partial.replace(target)  # never leave a half-written chart behind
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"cannot write the chart ({exc.strerror})", file=path, field="--chart",
                         fix="give a path in a folder that exists and can be written") from None
    finally:
        plt.close(fig)
