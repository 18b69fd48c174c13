"""A proposal: what a partner asks the grant to fund, one YAML file each."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs

from .. import fmt
from . import provenance, values
from ..errors import InputError, InputWarning, Problems
from .schema import Spec, take_all
from .yamlfile import Fields, Source, read

__all__ = ["FIELDS", "POTS", "Folder", "Proposal", "load_folder", "load_proposals", "proposal_sources",
           "proposals_from"]

POTS = ("upfront", "tactical")


def _pot(value) -> str:
    value = values.text(value)
    if value not in POTS:
        raise InputError(f"{fmt.quoted(value)} is not a pot", fix="write 'upfront' or 'tactical'")
    return value


def _panel(value) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict):
        raise InputError(f"expected a mapping of agency to score, found {fmt.found(value)}",
                         fix="write one 'agency: score' line per agency")
    out = []
    for agency, score in value.items():
        if not isinstance(score, str) or score.strip() not in ("0", "1", "2", "3", "4", "5"):
            raise InputError(f"the score of {fmt.quoted(agency)} must be a whole number from 0 to 5, "
                             f"found {fmt.found(score)}", fix="give each agency a score 0, 1, 2, 3, 4 or 5")
        out.append((agency, int(score)))
    if not out:
        raise InputError("no scores given", fix="give each agency a score, or remove 'panel'")
    return tuple(sorted(out))


# every field of a proposal file, in the order a template lists them
FIELDS: tuple[Spec, ...] = (
    Spec("id", values.slug, "a short id, unique in the round (the file is named after it)",
         "dhr-learning-webinars"),
    Spec("title", values.text, "the project's name", "Domestic homicide review learning webinars"),
    Spec("lead_agency", values.text, "the partner that leads the project and is accountable for it",
         "Kent County Council"),
    Spec("partners", values.text_list, "the other agencies involved", "[Kent Police, Probation Service]",
         required=False, default=()),
    Spec("submitted", values.date, "the day the Kent Community Safety Team received it", "2026-04-02"),
    Spec("pot", _pot, "the pot it bids to", "upfront", type="choice", form="upfront or tactical"),
    Spec("cost", values.amount_asked, "the amount asked for", "£1,850"),
    Spec("minimum_cost", values.amount_asked, "the least it could be delivered for, if scaled down "
         "(at most the cost)", "£1,500", required=False),
    Spec("pcc_priorities", values.slug_list, "ids of the Police and Crime Plan priorities it serves "
         "(listed in the rules file)", "[protecting-people, productive-partnerships]", required=False, default=()),
    Spec("csa_priorities", values.slug_list, "ids of the Community Safety Agreement priorities it serves",
         "[domestic-abuse, vawg]", required=False, default=()),
    Spec("cross_cutting", values.slug_list, "ids of the cross-cutting themes it serves", "[reoffending-victims]",
         required=False, default=()),
    Spec("delivery.start", values.date, "the day delivery starts", "2026-06-01"),
    Spec("delivery.end", values.date, "the day delivery ends (not before it starts)", "2027-03-31"),
    Spec("summary", values.text, "what it does, in the partner's words",
         "Three online webinars sharing the lessons of domestic homicide reviews."),
    Spec("outcomes", values.text, "what will change, and for whom", "Professionals act on review findings.",
         required=False),
    Spec("evaluation", values.text, "how success will be measured", "Attendance and a follow-up survey.",
         required=False),
    Spec("reach", values.count, "the number of people expected to benefit (an estimate)", "400", required=False),
    Spec("panel", _panel, "each agency's score, by its id in the rules file's panel", "{kent-police: 5, kcc: 4}",
         required=False, default=(), type="mapping", form="one 'agency: score' line each, scores 0 to 5"),
    Spec("assumed", None, "the values that no source gives, assumed: a field's name, or a key path with dots",
         "[submitted, reach, delivery.start]", required=False, default=(), type="list of key paths",
         form="[field, field.part], names of this table or paths into the file"),
    Spec("source", values.text, "where the facts come from", "KCSP report 31 March 2026, para 2.3",
         required=False),
    Spec("notes", values.text, "anything else worth knowing", "Cost revised after the venue changed.",
         required=False),
    Spec("illustrative", values.yes_no, "yes for a made-up example, not a real proposal", "no", required=False,
         default=False),
)

NAMES: tuple[str, ...] = tuple(dict.fromkeys(
    name for spec in FIELDS for name in (spec.name.split(".")[0], spec.name)))


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
    places: dict = attrs.field(eq=False, repr=False, factory=dict)  # field name -> (line, column) in its file

    FIELDS = tuple(name for name in NAMES if "." not in name)

    @classmethod
    def from_fields(cls, f: Fields) -> "Proposal":
        """Read and check every field of a proposal file; every mistake in it is raised at once."""
        got = take_all(f, FIELDS)
        got["assumed"] = provenance.assumed_paths(f, known=ASSUMABLE)  # key paths, checked against the file
        start, end = got.pop("delivery.start"), got.pop("delivery.end")
        if start is not None and end is not None and end < start:
            f.file.problem(f.file.error(("delivery", "end"), f"delivery ends ({fmt.date(end)}) before it starts "
                                        f"({fmt.date(start)})", fix="swap the dates, or correct one of them"))
        if None not in (got["minimum_cost"], got["cost"]) and got["minimum_cost"] > got["cost"]:
            f.refuse("minimum_cost", "is more than the cost asked for", fix="the minimum must be at most the cost")
        f.done()
        places = {spec.name: f.file.place(tuple(spec.name.split("."))) for spec in FIELDS}
        return cls(**got, delivery=Delivery(start, end), file=f.file.name, places=places)

    @classmethod
    def from_file(cls, path: str | Path, *, name: str | None = None) -> "Proposal":
        """Load and check one proposal file."""
        return cls.from_fields(read(path, name=name).fields("a proposal"))

    def line_of(self, field: str) -> int | None:
        """The line of *field* in the proposal's file, if known."""
        return self.places.get(field, (None, None))[0]


# what 'assumed' may name even where the file leaves it out; any other key path must name a value of the file
ASSUMABLE = Proposal.FIELDS + ("delivery.start", "delivery.end")


# --- a folder of proposals --------------------------------------------------------------------------

# files that tools leave beside the ones a user saves: skipped with a note
STRAY = (
    ("._", "a copy of a file's Mac details, made when it is copied from a Mac"),
    ("~$", "an office program's lock file, left while a document is open"),
    (".~lock.", "an office program's lock file, left while a document is open"),
)
STRAY_NAMES = {".DS_Store": "the Mac's folder settings", "Thumbs.db": "Windows' picture cache",
               "desktop.ini": "Windows' folder settings"}
YAML_SUFFIXES = (".yaml", ".yml")


@attrs.frozen
class Folder:
    """The proposals of a folder, and what was skipped in it (files that are not proposals)."""

    proposals: tuple[Proposal, ...]
    skipped: tuple[InputWarning, ...] = ()


def _stray(name: str) -> str | None:
    if name in STRAY_NAMES:
        return STRAY_NAMES[name]
    why = next((why for prefix, why in STRAY if name.startswith(prefix)), None)
    return why or ("a hidden file" if name.startswith(".") else None)


def load_folder(folder: str | Path, *, progress=None) -> Folder:
    """Every proposal in *folder* (``*.yaml``, ``*.yml``) in order of id, and a word on every file skipped.

    Every mistake in every file is raised at once.  The order of files on disk
    and their names never change the result; two files with the same id are
    refused, naming both.  A stray file a tool left there is skipped with a
    note, any other file with a warning; a symbolic link is followed only to a
    file inside the folder.  *progress*, if given, is called with ``(files read, files in all)``
    after each file.
    """
    sources, skipped, problems = _folder(folder)
    return Folder(proposals_from(sources, progress=progress, problems=problems), skipped)


def read_folder(folder: str | Path, problems: Problems, *, progress=None) -> Folder | None:
    """:func:`load_folder`, keeping every mistake in *problems* instead of raising it: the proposals that were read
    well, so that what can only be checked with the round (a panel agency, an id a what-if names) is checked on
    them in the same run; ``None`` where the folder itself cannot be read."""
    try:
        sources, skipped, found = _folder(folder)
    except InputError as exc:
        problems.add(exc)
        return None
    problems.add_all(found)
    return Folder(_read_all(sources, problems, progress), skipped)


def proposal_sources(folder: str | Path) -> tuple[Source, ...]:
    """The bytes of every proposal file in *folder* (as :func:`load_folder` finds them), each named as
    *folder* was given, in order of name."""
    sources, _, problems = _folder(folder)
    problems.check()
    return sources


def _folder(folder: str | Path) -> tuple[tuple[Source, ...], tuple[InputWarning, ...], Problems]:
    """The proposal files of *folder* read, the files skipped with a word on each, and the files not read."""
    shown = str(folder)
    root = Path(folder)
    if not root.exists():
        raise InputError("folder not found", file=shown, fix="give the folder that holds the proposal files")
    if not root.is_dir():
        raise InputError("is a file, not a folder of proposals", file=shown,
                         fix="give the folder that holds the proposal files")
    inside = root.resolve()
    prefix = str(Path(shown) / "x")[:-1]  # how a file of the folder is named: the folder as given, joined
    paths, skipped = [], []
    with os.scandir(root) as listing:  # each entry knows whether it is a link or a folder without asking again
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        name = prefix + entry.name
        stray = _stray(entry.name)
        if stray is not None:
            skipped.append(InputWarning(f"skipped: {stray}, not a proposal", file=name, note=True))
        elif entry.is_symlink() and _leads_nowhere(entry.path):
            skipped.append(InputWarning("a link that leads round in a loop, so not followed", file=name,
                                        fix="replace the link with the file it should name"))
        elif entry.is_symlink() and not _within(Path(entry.path).resolve(), inside):
            skipped.append(InputWarning("a link to a file outside the folder, so not followed", file=name,
                                        fix="copy the file into the folder instead"))
        elif entry.is_dir():
            skipped.append(InputWarning("skipped: a folder (proposals are read from this folder only)",
                                        file=name, note=True))
        elif os.path.splitext(entry.name)[1].lower() not in YAML_SUFFIXES:  # a hidden file is a stray
            skipped.append(InputWarning("not a YAML file (*.yaml), so not read as a proposal", file=name,
                                        fix="rename it to .yaml if it is a proposal, or move it out of the folder"))
        else:
            paths.append((entry.path, name))
    if not paths:
        raise InputError("holds no proposal files (*.yaml)", file=shown, fix="add one YAML file per proposal")
    problems = Problems()
    sources = tuple(problems.attempt(Source.from_path, path, name=name) for path, name in paths)
    return tuple(s for s in sources if s is not None), tuple(skipped), problems


def _within(path: Path, folder: Path) -> bool:
    """Whether *path* is the folder itself or inside it."""
    return path == folder or folder in path.parents


def _leads_nowhere(path: str) -> bool:
    """Whether the link at *path* leads round in a loop (so it names no file at all)."""
    try:
        Path(path).resolve()
    except (RuntimeError, OSError):  # Python 3.11 and 3.12 say so with a RuntimeError, later ones an OSError
        return True
    return False


def proposals_from(sources, *, progress=None, problems: Problems | None = None) -> tuple[Proposal, ...]:
    """The proposals in *sources* (files already read), in order of id; every mistake in every one is raised
    at once (with those already in *problems*), and two with the same id are refused, naming both.
    *progress*, if given, is called with ``(files read, files in all)`` after each file."""
    problems = problems if problems is not None else Problems()
    proposals = _read_all(sources, problems, progress)
    problems.check()
    return proposals


def _read_all(sources, problems: Problems, progress=None) -> tuple[Proposal, ...]:
    """The proposals of *sources* that read well, in order of id, every mistake kept in *problems*."""
    by_id: dict[str, Proposal] = {}
    for done, source in enumerate(sources, 1):
        proposal = problems.attempt(_from_source, source)
        if progress is not None:
            progress(done, len(sources))
        if proposal is None:
            continue
        if proposal.id in by_id:
            problems.add(InputError(
                f"the id '{proposal.id}' is also used by {by_id[proposal.id].file}", file=proposal.file,
                field="id", line=proposal.line_of("id"), fix="give each proposal its own id",
            ))
            continue
        by_id[proposal.id] = proposal
    return tuple(by_id[key] for key in sorted(by_id))


def _from_source(source: Source) -> Proposal:
    return Proposal.from_fields(source.yaml().fields("a proposal"))


def load_proposals(folder: str | Path, *, progress=None) -> tuple[Proposal, ...]:
    """Every proposal in *folder*, in order of id (see :func:`load_folder`)."""
    return load_folder(folder, progress=progress).proposals
