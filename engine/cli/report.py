"""``crg report``: the recommendation to the Chair, written to a file."""

from __future__ import annotations

import click

from .options import READING, Progress, emit, strict, warn, what_if


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@click.option("-o", "--output", metavar="FILE", required=True,
              help="The file to write; its extension picks the format: .html, .docx, .xlsx or .md.")
@click.option("--scenario", "scenarios", metavar="FILE", multiple=True,
              help="A scenario file to compare with the baseline (repeatable).")
@strict
@what_if
def report(rules, proposals, output, scenarios, strict, overrides, engine) -> None:
    """Write the recommendation to the Chair: a web page, a Word document, a workbook or Markdown.

    One document in every format: the recommendation in a paragraph, the
    money, the shortlist, the reserve list, the tactical bids, the ineligible
    proposals with each rule failed and its source, the priorities served,
    every proposal's rationale, score and counterfactual, the scenarios, the
    charts, the provenance (the version, the what-ifs and a SHA-256 hash of
    every file read) and a space for the Chair's decision.  The web page has a
    budget slider and prints to A4.  The file is written whole or not at all.

    \b
    Example:
      crg report rules/kcsp-2026-27.yaml proposals/2026-27-example -o recommendation.html
      crg report rules/kcsp-2026-27.yaml proposals/2026-27-example -o recommendation.docx \\
        --scenario scenarios/2026-27-example/cut-to-20000.yaml
    """
    from ..inputs.load import load_inputs
    from ..inputs.scenario import load_scenario
    from ..outputs import document, writers

    writers.check_target(output)
    with Progress() as progress:
        inputs = load_inputs(rules, proposals, overrides=overrides, strict=strict, progress=progress.stage(READING))
        loaded = [load_scenario(path) for path in scenarios]
        doc = document.build(inputs.round, inputs.proposals, overrides, loaded, engine=engine)
    warn(inputs.warnings)
    writers.write(doc, output)
    emit(f"Wrote {output}\n")
