"""``crg report``: the recommendation to the Chair, written to a file, from files or from a recorded run."""

from __future__ import annotations

import click

from .options import READING, Progress, emit, given, register_path, strict, warn, what_if


@click.command()
@click.argument("rules", metavar="[RULES]", required=False)
@click.argument("proposals", metavar="[PROPOSALS_DIR]", required=False)
@click.option("-o", "--output", metavar="FILE", required=True,
              help="The file to write; its extension picks the format: .html, .docx, .xlsx or .md.")
@click.option("--run", "run_id", metavar="RUN", default=None,
              help="Write the recommendation of a run of the register as it was recorded, with the Chair's "
                   "decision on it (instead of RULES and PROPOSALS_DIR; crg history lists the runs).")
@register_path
@click.option("--scenario", "scenarios", metavar="FILE", multiple=True,
              help="A scenario file to compare with the baseline (repeatable).")
@strict
@what_if
@click.pass_context
def report(ctx, rules, proposals, output, run_id, register, scenarios, strict, overrides, engine) -> None:
    """Write the recommendation to the Chair: a web page, a Word document, a workbook or Markdown.

    One document in every format: the recommendation in a paragraph, the
    money, the shortlist, the reserve list, the tactical bids, the ineligible
    proposals with each rule failed and its source, the priorities served,
    every proposal's rationale, score and counterfactual, the scenarios, the
    charts, the provenance (the version, the what-ifs and a SHA-256 hash of
    every file read) and a space for the Chair's decision.  The web page has a
    budget slider and prints to A4.  The file is written whole or not at all.

    With --run RUN, the recommendation is the one recorded with that run of
    the register (crg record), never recomputed, with the run's number, when
    and by whom it was recorded, and the Chair's decision on it (crg decide).

    \b
    Example:
      crg report rules/kcsp-2026-27.yaml proposals/2026-27-example -o recommendation.html
      crg report rules/kcsp-2026-27.yaml proposals/2026-27-example -o recommendation.docx \\
        --scenario scenarios/2026-27-example/cut-to-20000.yaml
      crg report --run 1 -o recommendation-run-1.html
    """
    from ..outputs import writers

    _one_source(ctx, rules, proposals, run_id)
    writers.check_target(output)
    with Progress() as progress:
        if run_id is not None:
            from ..record.runs import as_recorded, run_number

            with as_recorded(register, [run_number(run_id)]):  # what the register keeps is read, and written out
                writers.write(_of_run(run_id, register), output, progress=progress.stage(f"Writing {output}"))
        else:
            doc = _of_files(rules, proposals, scenarios, strict, overrides, engine, progress)
            writers.write(doc, output, progress=progress.stage(f"Writing {output}"))
    emit(f"Wrote {output}\n")


def _of_files(rules, proposals, scenarios, strict, overrides, engine, progress) -> dict:
    """The recommendation of the files, screened now, each stage shown on *progress*."""
    from ..inputs.load import load_inputs
    from ..outputs import document

    inputs = load_inputs(rules, proposals, scenarios, overrides=overrides, strict=strict,
                         progress=progress.stage(READING))
    doc = document.build(inputs.round, inputs.proposals, overrides, inputs.scenarios, engine=engine,
                         stage=progress.stage)
    progress.close()
    warn(inputs.warnings)
    return doc


def _of_run(run_id, register) -> dict:
    """The recommendation kept with a run of the register, with the run and the Chair's decision on it."""
    from ..outputs import document
    from ..outputs.record import rebuilt_note
    from ..record.recommendation import recommendation
    from ..record.register import open_register
    from ..record.runs import run_number

    number = run_number(run_id)
    with open_register(register) as reg:
        kept = recommendation(reg, number)
    note = rebuilt_note(kept)
    if note:
        warn([note], "Note")
    return document.from_register(kept)


def _one_source(ctx, rules, proposals, run_id) -> None:
    """Files to screen, or a recorded run: exactly one of the two, and nothing that belongs to the other."""
    from ..errors import InputError

    if run_id is not None:
        extra = [name for name, value in (("RULES", rules), ("PROPOSALS_DIR", proposals)) if value is not None]
        extra += given(ctx, besides=("output", "run_id", "register"))
        if extra:
            named = extra[0] if len(extra) == 1 else ", ".join(extra[:-1]) + " and " + extra[-1]
            raise InputError(f"{named} cannot be given with it: a recorded run is written from the "
                             "files and what-ifs kept with it", field="--run",
                             fix="give either --run RUN, or RULES and PROPOSALS_DIR with what-ifs")
        return
    if rules is None:
        raise InputError("crg report writes the recommendation of RULES and PROPOSALS_DIR, or of a recorded run "
                         "with --run RUN (crg history lists the runs)", fix="give one of the two")
    if proposals is None:
        raise InputError("the folder of proposals to screen is missing (it comes after the rules file)",
                         field="PROPOSALS_DIR", fix="give the folder after the rules file: crg report RULES PROPOSALS_DIR -o FILE")
    typed = given(ctx, only=("register",))
    if typed:
        raise InputError("names the register to read a recorded run from, so it needs --run RUN", field=typed[0],
                         fix=f"add --run RUN, or leave {typed[0]} out")
