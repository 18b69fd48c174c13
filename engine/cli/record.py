"""The register's commands: ``record``, ``history``, ``show``, ``replay``, ``diff``, ``decide`` and ``verify``.

Each opens the register (``--register``, else ``CRG_REGISTER``, else
``crg.db`` here), makes one library call and prints what it returns.
"""

from __future__ import annotations

import sys

import click

from .options import Progress, emit, output_format, register_path, warn, what_if


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@click.option("--scenario", "scenarios", metavar="FILE", multiple=True,
              help="Apply a scenario file's what-ifs on top of the flags (repeatable, in order).")
@click.option("--by", metavar="NAME", default=None, help="Who records the run (default: your login name).")
@click.option("--note", metavar="TEXT", default=None, help="Why the run is recorded, e.g. the meeting.")
@register_path
@what_if
def record(rules, proposals, scenarios, by, note, register, overrides, engine) -> None:
    """Screen a round and keep the run in the register, for good.

    The register keeps when (UTC), who, the note, the crg version, the bytes
    and SHA-256 of the rules file and of every proposal and scenario file, the
    what-ifs and every decision as printed.  The run's id is printed alone on
    the last line.

    \b
    Example:
      crg record rules/kcsp-2026-27.yaml proposals/2026-27-example --by "A. Chair" --note "WG meeting, 27 April"
      RUN=$(crg record rules/kcsp-2026-27.yaml proposals/2026-27-example | tail -n 1)
    """
    from ..outputs.record import recorded_text
    from ..record.register import open_register
    from ..record.runs import Inputs, screened

    warnings: list = []
    with Progress() as progress:
        run, outcome = screened(Inputs.from_paths(rules, proposals, scenarios), overrides, engine=engine, by=by,
                                note=note, warnings=warnings, stage=progress.stage)
    with open_register(register, create=True) as reg:  # only once the round has screened
        run = reg.append_run(run)
    warn(warnings)
    emit(recorded_text(run))


@click.command()
@click.option("--round", "round_id", metavar="ID", default=None, help="Only the runs of this round (its id).")
@output_format("table", "json")
@register_path
def history(round_id, fmt, register) -> None:
    """List the recorded runs, oldest first.

    \b
    Example:
      crg history
      crg history --round kcsp-2026-27 --format json
    """
    from ..outputs import record as out
    from ..record.chair import history as runs_with_decisions
    from ..record.register import open_register
    from ..record.runs import as_recorded

    with as_recorded(register):
        with open_register(register) as reg:
            records = runs_with_decisions(reg, round_id)
            rounds = reg.round_ids() if round_id is not None and not records else []
        text = out.history_json(records) if fmt == "json" else out.history_text(records, round_id, rounds)
    emit(text)


@click.command()
@click.argument("run_id", metavar="RUN")
@output_format("table", "json", "markdown")
@register_path
def show(run_id, fmt, register) -> None:
    """Print a run as it was recorded (nothing is recomputed), and the Chair's decision beside it.

    --format markdown gives the shortlist and every decision with its reason, the
    assumptions, the Chair's decision and the files screened; crg report --run RUN
    -o FILE writes the whole recommendation document.

    \b
    Example:
      crg show 1
      crg show 1 --format markdown > run-1.md
    """
    from ..outputs import record as out
    from ..record.chair import recorded
    from ..record.register import open_register
    from ..record.runs import as_recorded, run_number

    number = run_number(run_id)
    with as_recorded(register, [number]):
        with open_register(register) as reg:
            rec = recorded(reg, number)
        text = {"table": out.show_text, "json": out.show_json, "markdown": out.show_markdown}[fmt](rec)
    emit(text)


@click.command()
@click.argument("run_id", metavar="RUN")
@output_format("table", "json")
@register_path
def replay(run_id, fmt, register) -> None:
    """Re-run a recorded run from its stored files with today's engine, and compare.

    Exits 0 when every decision is identical to the record, 1 when any
    differs (each difference is listed with its cause), 2 when the run or
    the register cannot be read.

    \b
    Example:
      crg replay 1
    """
    from ..outputs import record as out
    from ..record.register import open_register
    from ..record.runs import replay as replay_run, run_number

    with open_register(register) as reg, Progress() as progress:
        result = replay_run(reg, run_number(run_id), stage=progress.stage)
    emit(out.replay_json(result) if fmt == "json" else out.replay_text(result))
    sys.exit(0 if result.identical else 1)


@click.command()
@click.argument("before", metavar="RUN")
@click.argument("after", metavar="RUN")
@output_format("table", "json")
@register_path
def diff(before, after, fmt, register) -> None:
    """What changed from one recorded run to another: files, what-ifs, and each decision that moved, with why.

    Exits 0 when nothing changed, 1 when something did.

    \b
    Example:
      crg diff 1 2
    """
    from ..outputs import record as out
    from ..record.changes import diff_runs
    from ..record.register import open_register
    from ..record.runs import as_recorded, find_run, run_number

    numbers = [run_number(before), run_number(after)]
    with as_recorded(register, numbers):
        with open_register(register) as reg:
            first, second = (find_run(reg, number) for number in numbers)
        result = diff_runs(first, second)
        text = out.diff_json(result) if fmt == "json" else out.diff_text(result)
    emit(text)
    sys.exit(0 if result.same else 1)


@click.command()
@register_path
def verify(register) -> None:
    """Check that no run in the register has been changed or taken out since it was recorded.

    Exits 0 when every run's hash matches what the register holds and each
    follows the one before it; 1 naming the first run that does not.

    \b
    Example:
      crg verify
      crg verify --register archive/crg-2026-27.db
    """
    from ..outputs.record import verify_text
    from ..record.register import open_register
    from ..record.runs import verify as verify_register

    with open_register(register) as reg:
        result = verify_register(reg)
    emit(verify_text(result))
    sys.exit(0 if result.sound else 1)


@click.command()
@click.argument("run_id", metavar="RUN")
@click.option("--outcome", type=click.Choice(["approved", "amended", "declined"]), required=True,
              help="Approved as recommended, amended (with --fund and --drop), or declined.")
@click.option("--by", metavar="NAME", required=True, help="Who decided (the Chair).")
@click.option("--note", metavar="TEXT", default=None, help="The reason, for every departure that gives none of its own.")
@click.option("--fund", metavar="ID[=REASON]", multiple=True,
              help="Fund a proposal the recommendation leaves out (repeatable).")
@click.option("--drop", metavar="ID[=REASON]", multiple=True,
              help="Do not fund a proposal the recommendation shortlists (repeatable).")
@register_path
def decide(run_id, outcome, by, note, fund, drop, register) -> None:
    """Record the Chair's decision on a recorded run, with every departure from its recommendation.

    A decision is never changed: a later one on the same run replaces it, and
    both stay in the register.

    \b
    Example:
      crg decide 1 --outcome approved --by "KCSP Chair"
      crg decide 1 --outcome amended --by "KCSP Chair" --fund "asb-community-mediation=match funding found" --drop nte-welfare-training --note "starts before the year"
    """
    from ..outputs.record import decided_text
    from ..record.chair import decide as decide_run
    from ..record.register import open_register
    from ..record.runs import as_recorded, run_number

    number = run_number(run_id)
    with as_recorded(register, [number]), open_register(register) as reg:
        decision = decide_run(reg, number, outcome, by=by, note=note, fund=fund, drop=drop)
    emit(decided_text(decision))
