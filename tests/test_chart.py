"""Tests of engine.outputs.chart: the sweep drawn with no two pieces of text on top of each other; the charts as
SVG text for a web page and as PNG bytes."""

from __future__ import annotations

import io
import itertools
import re

import pytest

from engine.inputs.load import load_inputs
from engine.inputs.scenario import Overrides, run
from engine.outputs import chart
from engine.outputs.chart import sweep_figure

from .conftest import ROUNDS

CASES = {
    "example round": ("kcsp-2026-27", Overrides()),
    "allocation cut": ("kcsp-2026-27", Overrides(upfront=2_000_000)),
    "allocation at nothing": ("kcsp-2026-27", Overrides(upfront=0)),
    "allocation beyond every cost": ("kcsp-2026-27", Overrides(upfront=5_000_000)),
    "optimal": ("kcsp-2026-27", Overrides(policy="optimal")),
    "2021/22": ("kcsp-2021-22", Overrides()),
    "2025/26": ("kcsp-2025-26", Overrides()),
}


def texts_of(fig):
    """Every piece of text drawn in *fig* once it is saved (ticks outside the view are not drawn), with its box."""
    fig.savefig(io.BytesIO(), format="png")
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        found += [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if low <= tick.get_loc() <= high:
                    found += [label for label in (tick.label1, tick.label2) if label.get_visible()]
        if ax.get_legend() is not None:
            found += ax.get_legend().get_texts()
    return renderer, [(t.get_text(), t.get_window_extent(renderer)) for t in found
                      if t.get_visible() and t.get_text().strip()]


@pytest.fixture(params=sorted(CASES))
def figure(request):
    import matplotlib.pyplot as plt

    key, overrides = CASES[request.param]
    rules, folder = ROUNDS[key]
    inputs = load_inputs(rules, folder)
    fig = sweep_figure(run(inputs.round, inputs.proposals, overrides, engine="python"))
    yield fig
    plt.close(fig)


class TestSweepFigure:
    def test_no_text_overlaps_another(self, figure):
        """No two pieces of text (title, labels, ticks, legend) share any of the page, in the saved figure."""
        _, texts = texts_of(figure)
        assert len(texts) > 10
        for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
            overlap = box_a.intersection(box_a, box_b)
            assert overlap is None or overlap.width <= 0.5 or overlap.height <= 0.5, (a, b)

    def test_legend_clear_of_other_text(self, figure):
        """The legend's frame covers no text but its own."""
        renderer, texts = texts_of(figure)
        legend = figure.axes[0].get_legend()
        frame = legend.get_window_extent(renderer)
        own = {t.get_text() for t in legend.get_texts()}
        for text, box in texts:
            if text not in own:
                overlap = frame.intersection(frame, box)
                assert overlap is None or overlap.width <= 0.5 or overlap.height <= 0.5, text

    def test_all_text_on_the_page(self, figure):
        """Every piece of text lies inside the figure."""
        _, texts = texts_of(figure)
        page = figure.bbox
        for text, box in texts:
            assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, text
            assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, text

    def test_allocation_in_use_named(self, figure):
        """The allocation in use is named in the legend, with the money shown as everywhere else."""
        labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
        assert any(label.startswith("the allocation in use, £") for label in labels)


STEPS = [(0, 79999, 0, 0.0), (80000, 264999, 1, 8.971), (265000, 330000, 2, 16.965)]


def sweep():
    return chart.steps_figure("A <round> & its sweep", STEPS, 200000, what_if=True)


def allocation():
    return chart.allocation_figure("Shares", [("door-chains", 80000), ("webinars", 185000)], 65000, 330000)


class TestSvg:
    def test_named_and_described_for_screen_readers(self):
        """The SVG is an image labelled by its title and description, both escaped."""
        text = chart.svg(sweep(), "Total <score>", "From £0 & up", prefix="c1")
        assert text.startswith("<svg ") and 'role="img" aria-labelledby="c1-title c1-desc"' in text
        assert '<title id="c1-title">Total &lt;score&gt;</title>' in text
        assert '<desc id="c1-desc">From £0 &amp; up</desc>' in text

    def test_fit_for_a_page(self):
        """No XML declaration, document type, metadata, namespace address or fixed size; text stays text."""
        text = chart.svg(allocation(), "t", "d", prefix="c2")
        head = text[:text.index(">")]
        assert "<?xml" not in text and "<!DOCTYPE" not in text and "<metadata" not in text
        assert "http" not in text and "width=" not in head and "viewBox" in head
        assert ">door-chains</text>" in text  # a label is text, not a drawn outline

    def test_ids_prefixed(self):
        """Every id starts with the prefix, and every reference points at one of them."""
        text = chart.svg(sweep(), "t", "d", prefix="c3")
        ids = re.findall(r'\bid="([^"]+)"', text)
        assert ids and all(i.startswith("c3-") for i in ids)
        refs = re.findall(r'(?:url\(#|href="#)([^)"]+)', text)
        assert set(refs) <= set(ids)

    def test_same_figure_same_text(self):
        assert chart.svg(sweep(), "t", "d", prefix="x") == chart.svg(sweep(), "t", "d", prefix="x")

    def test_dollar_is_not_mathematics(self):
        """A '$' in a name is drawn as a dollar sign."""
        text = chart.svg(chart.steps_figure("costs $5 and $6", STEPS, 0), "t", "d", prefix="m")
        assert "costs $5 and $6" in text


class TestPng:
    def test_png_bytes_steady(self):
        """PNG bytes, the same each time (no software name or time in them)."""
        data = chart.png(allocation())
        assert data.startswith(b"\x89PNG") and data == chart.png(allocation())
