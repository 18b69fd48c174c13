"""A proposal: what a partner asks the grant to fund, one YAML file each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from .. import fmt
from . import values
from ..errors import InputError, did_you_mean
from .yamlfile import Fields, Source, read

__all__ = ["POTS", "Proposal", "load_proposals", "proposal_sources", "proposals_from"]

POTS = ("upfront", "tactical")


def _pot(value) -> str:
    value = values.text(value)
    if value not in POTS:
        raise InputError(f"'{value}' is not a pot", fix="write 'upfront' or 'tactical'")
    return value


def _panel(value) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict):
        raise InputError("expected a mapping of agency to score", fix="write one 'agency: score' line per agency")
    out = []
    for agency, score in value.items():
        if not isinstance(score, str) or score.strip() not in ("0", "1", "2", "3", "4", "5"):
            raise InputError(f"the score of '{agency}' must be a whole number from 0 to 5, found '{score}'",
                             fix="give each agency a score 0, 1, 2, 3, 4 or 5")
        out.append((agency, int(score)))
    if not out:
        raise InputError("no scores given", fix="give each agency a score, or remove 'panel'")
    return tuple(sorted(out))


@attrs.frozen
class Delivery:
    """Planned delivery dates."""

    start: dt.date
    end: dt.date


@attrs.frozen
class Proposal:
    """One partner's proposal, as validated from its file."""

    id: str
    title: str
    lead_agency: str
    submitted: dt.date
    pot: str
    cost: int  # pence
    pcc_priorities: tuple[str, ...]
    csa_priorities: tuple[str, ...]
    delivery: Delivery
    summary: str
    file: str = attrs.field(eq=False, default="")
    partners: tuple[str, ...] = ()
    minimum_cost: int | None = None
    cross_cutting: tuple[str, ...] = ()
    outcomes: str | None = None
    evaluation: str | None = None
    reach: int | None = None
    panel: tuple[tuple[str, int], ...] = ()
    assumed: tuple[str, ...] = ()
    source: str | None = None
    notes: str | None = None
    illustrative: bool = False

    FIELDS = (
        "id", "title", "lead_agency", "partners", "submitted", "pot", "cost", "minimum_cost",
        "pcc_priorities", "csa_priorities", "cross_cutting", "delivery", "summary", "outcomes",
        "evaluation", "reach", "panel", "assumed", "source", "notes", "illustrative",
    )

    @classmethod
    def from_fields(cls, f: Fields) -> "Proposal":
        """Read and check every field of a proposal file."""
        delivery = f.sub("delivery")
        start = delivery.take("start", values.date)
        end = delivery.take("end", values.date)
        delivery.done()
        if end < start:
            raise delivery.error("end", f"delivery ends ({fmt.date(end)}) before it starts ({fmt.date(start)})",
                                 fix="swap the dates, or correct one of them")
        proposal = cls(
            id=f.take("id", values.slug),
            title=f.take("title", values.text),
            lead_agency=f.take("lead_agency", values.text),
            partners=f.take("partners", values.text_list, required=False, default=()),
            submitted=f.take("submitted", values.date),
            pot=f.take("pot", _pot),
            cost=f.take("cost", values.money_value),
            minimum_cost=f.take("minimum_cost", values.money_value, required=False),
            pcc_priorities=f.take("pcc_priorities", values.slug_list, required=False, default=()),
            csa_priorities=f.take("csa_priorities", values.slug_list, required=False, default=()),
            cross_cutting=f.take("cross_cutting", values.slug_list, required=False, default=()),
            delivery=Delivery(start, end),
            summary=f.take("summary", values.text),
            outcomes=f.take("outcomes", values.text, required=False),
            evaluation=f.take("evaluation", values.text, required=False),
            reach=f.take("reach", values.count, required=False),
            panel=f.take("panel", _panel, required=False, default=()),
            assumed=f.take("assumed", _assumed, required=False, default=()),
            source=f.take("source", values.text, required=False),
            notes=f.take("notes", values.text, required=False),
            illustrative=f.take("illustrative", values.yes_no, required=False, default=False),
            file=f.file.name,
        )
        f.done()
        if proposal.minimum_cost is not None and proposal.minimum_cost > proposal.cost:
            raise f.error("minimum_cost", "is more than the cost asked for",
                          fix="the minimum must be at most the cost")
        return proposal

    @classmethod
    def from_file(cls, path: str | Path, *, name: str | None = None) -> "Proposal":
        """Load and check one proposal file."""
        return cls.from_fields(read(path, name=name).fields("a proposal"))


def _assumed(value) -> tuple[str, ...]:
    items = values.text_list(value)
    known = set(Proposal.FIELDS) | {"delivery.start", "delivery.end"}
    for item in items:
        if item not in known:
            raise InputError(f"'{item}' in 'assumed' is not a field of a proposal{did_you_mean(item, known)}",
                             fix="list the names of fields whose values are assumed")
    return items


def load_proposals(folder: str | Path) -> tuple[Proposal, ...]:
    """Every proposal in *folder* (``*.yaml``, ``*.yml``), in order of id.

    The order of files on disk and their names never change the result; two
    files with the same id are refused, naming both.
    """
    return proposals_from(proposal_sources(folder))


def proposal_sources(folder: str | Path) -> tuple[Source, ...]:
    """The bytes of every proposal file in *folder*, each named as *folder* was given, in order of name."""
    shown = str(folder)
    root = Path(folder)
    if not root.exists():
        raise InputError("folder not found", file=shown, fix="give the folder that holds the proposal files")
    if not root.is_dir():
        raise InputError("is a file, not a folder of proposals", file=shown,
                         fix="give the folder that holds the proposal files")
    paths = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not paths:
        raise InputError("holds no proposal files (*.yaml)", file=shown, fix="add one YAML file per proposal")
    return tuple(Source.from_path(path, name=str(Path(shown) / path.name)) for path in paths)


def proposals_from(sources) -> tuple[Proposal, ...]:
    """The proposals in *sources* (files already read), in order of id; two with the same id are refused."""
    by_id: dict[str, Proposal] = {}
    for source in sources:
        proposal = Proposal.from_fields(source.yaml().fields("a proposal"))
        if proposal.id in by_id:
            first = by_id[proposal.id].file
            raise InputError(
                f"the id '{proposal.id}' is also used by {first}", file=proposal.file, field="id",
                fix="give each proposal its own id",
            )
        by_id[proposal.id] = proposal
    return tuple(by_id[key] for key in sorted(by_id))
