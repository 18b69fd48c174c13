"""Tests of engine.inputs.schema: the field tables, each example readable by its own converter."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.inputs import proposal, round as rounds, scenario, values
from engine.inputs.schema import KINDS, Spec, take_all
from engine.inputs.yamlfile import parse

TABLES = {"proposal": proposal.FIELDS, "rules": rounds.RULES_FIELDS, "scenario": scenario.FIELDS}
SPECS = [(kind, spec) for kind, table in TABLES.items() for spec in table]


class TestSpec:
    @pytest.mark.parametrize("kind, spec", SPECS, ids=[f"{k}:{s.name}" for k, s in SPECS])
    def test_example_reads(self, kind, spec):
        """Each field's example is read by the field's own converter (a mapping example, value by value)."""
        if spec.read is None:
            return
        example = parse(f"x: {spec.example}\n".encode(), "e.yaml").data["x"]
        if isinstance(example, dict) and spec.name != "panel":
            for value in example.values():
                spec.read(value)
        else:
            spec.read(example)

    @pytest.mark.parametrize("kind, spec", SPECS, ids=[f"{k}:{s.name}" for k, s in SPECS])
    def test_every_field_has_a_type_and_a_form(self, kind, spec):
        """Every field says its type and how to write it."""
        assert all(spec.kind), spec.name

    def test_kinds_cover_the_converters(self):
        """Every converter of engine.inputs.values is described."""
        assert set(KINDS) == {getattr(values, name) for name in values.__all__}


class TestTakeAll:
    def test_flat_and_nested(self):
        """Fields named a.b are read from the mapping under a; missing optional ones give their default."""
        specs = (Spec("id", values.slug, "", ""), Spec("when.start", values.date, "", ""),
                 Spec("reach", values.count, "", "", required=False, default=7))
        f = parse(b"id: x\nwhen:\n  start: 2026-04-01\n", "f.yaml").fields("a test")
        got = take_all(f, specs)
        f.done()
        assert got == {"id": "x", "when.start": dt.date(2026, 4, 1), "reach": 7}
