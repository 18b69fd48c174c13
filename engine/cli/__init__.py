"""The ``crg`` command: a thin shell over the library.

Each command loads its inputs, calls the library and prints what it returns.
A user's mistake (:class:`~engine.errors.InputError`) is printed as one short
message on stderr with exit status 2; output is written only once the whole
of it has been made, so nothing is ever half-written.
"""

from __future__ import annotations

import sys
import time

import click

from ..inputs import money
from ..outputs import report
from ..errors import InputError, did_you_mean
from ..inputs.proposal import load_proposals
from ..inputs.round import POLICIES, load_round
from ..decision.screen import ENGINES
from ..decision.compare import compare as compare_outcomes
from ..inputs.scenario import Overrides, load_scenario, parse_cost, parse_relax, parse_weight, run

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crg")
def cli() -> None:
    """Screen, score and shortlist Crime Reduction Grant proposals.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
    """


def _fail(exc: InputError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(2)


def _warn(round_) -> None:
    for warning in round_.warnings:
        click.echo(f"Warning: {warning}", err=True)


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


FORMAT = click.option("--format", "fmt", type=click.Choice(report.FORMATS), default="table", show_default=True,
                      help="How to print the result.")



def overrides_options(func):
    """The what-if flags shared by screen, compare and sweep."""
    options = [
        click.option("--upfront", metavar="AMOUNT", default=None,
                     help="Use this upfront allocation instead of the round's, e.g. £20,000."),
        click.option("--policy", type=click.Choice(POLICIES), default=None,
                     help="How to choose the shortlist (default: the rules file's policy)."),
        click.option("--weight", "weights", metavar="NAME=WEIGHT", multiple=True,
                     help="Change a scoring weight, e.g. --weight panel=3 (repeatable)."),
        click.option("--relax", metavar="RULE_ID[=flag]", multiple=True,
                     help="Switch a rule off, or make it only flag a concern with RULE_ID=flag (repeatable)."),
        click.option("--without", metavar="ID", multiple=True,
                     help="Leave a proposal out, as if withdrawn (repeatable)."),
        click.option("--cost", "costs", metavar="ID=AMOUNT", multiple=True,
                     help="Change a proposal's cost, e.g. --cost some-id=£4,000 (repeatable)."),
        click.option("--engine", type=click.Choice(ENGINES), default="durable", show_default=True,
                     help="Evaluate the rules with durable-rules, or with the plain-Python evaluator "
                          "of the same rules."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _overrides(upfront, policy, weights, relax, without, costs) -> Overrides:
    """The overrides given by flags, each checked."""
    return Overrides(
        upfront=_amount(upfront, "--upfront"),
        policy=policy,
        weights=tuple(parse_weight(w) for w in weights),
        relax=tuple(parse_relax(r) for r in relax),
        without=tuple(dict.fromkeys(without)),
        costs=tuple(parse_cost(c) for c in costs),
    )


def _amount(text: str | None, flag: str) -> int | None:
    if text is None:
        return None
    try:
        return money.parse(text)
    except InputError as exc:
        raise InputError(exc.problem, field=flag, fix=exc.fix) from None


def _load(rules: str, proposals: str):
    return load_round(rules), load_proposals(proposals)


@cli.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@FORMAT
@overrides_options
def screen(rules, proposals, fmt, upfront, policy, weights, relax, without, costs, engine) -> None:
    """Screen, score and rank every proposal, and shortlist within the upfront allocation.

    Every proposal gets its status (shortlisted, reserve, tactical or
    ineligible), its score with the reason for each part, and what would
    change the decision.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example --upfront £20,000 --policy optimal
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example --format json
    """
    try:
        round_, found = _load(rules, proposals)
        outcome = run(round_, found, _overrides(upfront, policy, weights, relax, without, costs), engine=engine)
    except InputError as exc:
        _fail(exc)
    _warn(round_)
    _emit(report.outcome_json(outcome) if fmt == "json" else report.outcome_text(outcome, fmt))


@cli.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@click.argument("scenarios", metavar="SCENARIO_FILE...", nargs=-1, required=True)
@FORMAT
@overrides_options
def compare(rules, proposals, scenarios, fmt, upfront, policy, weights, relax, without, costs, engine) -> None:
    """Compare the baseline with one or more scenarios, side by side.

    A scenario file is YAML: a name, and overrides named like the flags
    (upfront, policy, weights, relax, without, costs).  Flags given here
    apply to the baseline and to every scenario.

    \b
    Example:
      crg compare rules/kcsp-2026-27.yaml proposals/2026-27-example scenarios/2026-27-example/*.yaml
    """
    try:
        round_, found = _load(rules, proposals)
        base = _overrides(upfront, policy, weights, relax, without, costs)
        loaded = [load_scenario(path) for path in scenarios]
        baseline = run(round_, found, base, engine=engine)
        results = []
        for sc in loaded:
            both = base.then(sc.overrides)
            outcome = run(round_, found, both, engine=engine, where=sc.file)
            results.append(compare_outcomes(sc.name, both.describe(), baseline, outcome))
    except InputError as exc:
        _fail(exc)
    _warn(round_)
    _emit(report.comparison_json(baseline, results) if fmt == "json"
          else report.comparison_text(baseline, results, fmt))


@cli.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="How to print the intervals.")
@click.option("--chart", metavar="FILE", default=None,
              help="Also draw total score and shortlist size against budget (.png or .svg).")
@overrides_options
def sweep(rules, proposals, fmt, chart, upfront, policy, weights, relax, without, costs, engine) -> None:
    """Every upfront allocation from £0 to the total eligible cost, and where the shortlist changes.

    The budgets are computed exactly, every penny, not sampled.

    \b
    Example:
      crg sweep rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg sweep rules/kcsp-2026-27.yaml proposals/2026-27-example --policy optimal --chart sweep.png
    """
    try:
        if chart is not None and not chart.lower().endswith((".png", ".svg")):
            raise InputError(f"'{chart}' is not a .png or .svg file", field="--chart", fix="e.g. --chart sweep.png")
        round_, found = _load(rules, proposals)
        with _Progress() as tick:
            outcome = run(round_, found, _overrides(upfront, policy, weights, relax, without, costs),
                          engine=engine, progress=tick)
    except InputError as exc:
        _fail(exc)
    _warn(round_)
    if chart is not None:
        from ..outputs.chart import sweep_chart

        try:
            sweep_chart(outcome, chart)
        except InputError as exc:
            _fail(exc)
    _emit(report.sweep_json(outcome) if fmt == "json" else report.sweep_text(outcome))


class _Progress:
    """A progress bar on stderr that appears only once a sweep has taken more than a second."""

    def __enter__(self):
        self._started = time.monotonic()
        self._bar = None
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self._bar is None:
            if not total or time.monotonic() - self._started < 1.0:
                return
            self._bar = click.progressbar(length=total, label="Sweeping budgets", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@cli.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="[PROPOSALS_DIR]", required=False)
def validate(rules: str, proposals: str | None) -> None:
    """Check that a rules file, and optionally a folder of proposals, are valid, without screening.

    \b
    Example:
      crg validate rules/kcsp-2026-27.yaml
      crg validate rules/kcsp-2026-27.yaml proposals/2026-27-example
    """
    try:
        round_ = load_round(rules)
        found = load_proposals(proposals) if proposals else ()
    except InputError as exc:
        _fail(exc)
    _warn(round_)
    known = round_.priority_names()
    notes = []
    for proposal in found:
        for field in ("pcc_priorities", "csa_priorities", "cross_cutting"):
            for pid in getattr(proposal, field):
                if pid not in known:
                    notes.append(f"Note: {proposal.file}: {field}: '{pid}' is not an id of this round"
                                 f"{did_you_mean(pid, known)}")
    for note in notes:
        click.echo(note, err=True)
    text = f"{rules}: valid ({len(round_.rules)} rules)\n"
    if proposals:
        text += f"{proposals}: valid ({len(found)} proposals)\n"
    _emit(text)


@cli.command()
@click.argument("rules", metavar="RULES")
@click.option("--format", "fmt", type=click.Choice(("table", "markdown")), default="table", show_default=True,
              help="How to print the rules.")
def rules(rules: str, fmt: str) -> None:
    """Print a round's money, dates, priorities and rules in plain words.

    \b
    Example:
      crg rules rules/kcsp-2026-27.yaml
    """
    try:
        round_ = load_round(rules)
    except InputError as exc:
        _fail(exc)
    _emit(report.rules_doc(round_, fmt))


def main() -> None:
    """Entry point of the ``crg`` console script."""
    cli(prog_name="crg")
