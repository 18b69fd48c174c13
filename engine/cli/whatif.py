"""``crg compare`` and ``crg sweep``: what-ifs side by side, and every budget at once."""

from __future__ import annotations

import click

from .options import READING, Progress, chart_path, emit, output_format, strict, warn, what_if


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@click.argument("scenarios", metavar="SCENARIO_FILE...", nargs=-1, required=True)
@output_format("table", "json", "markdown")
@strict
@what_if
def compare(rules, proposals, scenarios, fmt, strict, overrides, engine) -> None:
    """Compare the baseline with one or more scenarios, side by side.

    A scenario file is YAML: a name, and overrides named like the flags
    (upfront, policy, weights, relax, without, costs).  Flags given here
    apply to the baseline and to every scenario.

    \b
    Example:
      crg compare rules/kcsp-2026-27.yaml proposals/2026-27-example scenarios/2026-27-example/*.yaml
    """
    from ..decision.compare import compare_scenarios
    from ..inputs.load import load_inputs
    from ..outputs import report

    with Progress() as progress:
        inputs = load_inputs(rules, proposals, scenarios, overrides=overrides, strict=strict,
                             progress=progress.stage(READING))
        baseline, results = compare_scenarios(inputs.round, inputs.proposals, overrides, inputs.scenarios,
                                              engine=engine, progress=progress.stage("Deciding each scenario"),
                                              counterfactuals=False)
    warn(inputs.warnings)
    emit(report.comparison_json(baseline, results) if fmt == "json"
         else report.comparison_text(baseline, results, fmt))


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@output_format("table", "json", "markdown")
@click.option("--chart", metavar="FILE", default=None,
              help="Also draw total score and shortlist size against budget (.png or .svg).")
@strict
@what_if
def sweep(rules, proposals, fmt, chart, strict, overrides, engine) -> None:
    """Every upfront allocation from £0 to the total eligible cost, and where the shortlist changes.

    The budgets are computed exactly, every penny, not sampled.

    \b
    Example:
      crg sweep rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg sweep rules/kcsp-2026-27.yaml proposals/2026-27-example --policy optimal --chart sweep.png
    """
    from ..inputs.load import load_inputs
    from ..inputs.scenario import run
    from ..outputs import report

    chart = chart_path(chart)
    with Progress() as progress:
        inputs = load_inputs(rules, proposals, overrides=overrides, strict=strict, progress=progress.stage(READING))
        # the sweep shows the shortlist at every allocation, not what would change each decision
        outcome = run(inputs.round, inputs.proposals, overrides, engine=engine, counterfactuals=False)
        outcome.situation.sweep(progress.stage("Sweeping budgets"))
    warn(inputs.warnings)
    if chart is not None:
        from ..outputs.chart import sweep_chart

        sweep_chart(outcome, chart)
    emit(report.sweep_json_parts(outcome) if fmt == "json" else report.sweep_text(outcome, fmt))
