"""A round's ledger: the approved projects, then what happened to the money during the year.

One YAML file per round (``ledgers/2021-22.yaml``)::

    round: kcsp-2021-22            # the id of the round's rules file
    shortlisted: 2021-07-13        # from this day the projects below hold their allocations
    source: ...
    projects:
      - id: dummy-cctv-cameras
        title: Dummy CCTV cameras
        pot: upfront               # upfront, tactical, or 'not reported'
        allocation: £750
    earlier_projects:              # projects of earlier years' grants not yet complete
      - id: vulnerability-guidance-webapp
        title: Kent Community Vulnerability Guidance web app
        year: 2019/20
    events:
      - date: 2022-03-24
        event: spent
        project: dummy-cctv-cameras
        amount: £750
        source: KCSP Working Group update, 24 March 2022 (para 2.4)

Every event has a date inside the financial year and a ``source:``; what a
report does not give is listed under the event's ``assumed:``.  The order of
the events in the file never matters: :func:`replay` takes them by date and,
within a day, in the order of :data:`EVENTS` (money paid in before it is
spent, a cost revised before the spend it allows, the close-out last).

:func:`load_ledger` reads the file and replays the whole year once, so that a
ledger that loads is consistent: a spend beyond a project's cost without a
revision, an event about a project the ledger does not have, an event after
the close-out, a tactical award while the pot is locked or closed (read by
:func:`~engine.year.gates.pot_on`, as ``crg status`` reads it), each is bad
input placed at its line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from .. import fmt
from ..errors import InputError, did_you_mean
from ..inputs import provenance, values
from ..inputs.round import Round, parse_financial_year
from ..inputs.yamlfile import Fields, dotted, looks_like, read

__all__ = ["EVENTS", "NOT_REPORTED", "POTS", "EarlierProject", "Event", "Ledger", "Project", "ProjectState",
           "YearState", "day_in_year", "load_ledger", "replay", "today_in_kent"]

POTS = ("upfront", "tactical")
NOT_REPORTED = "not reported"  # a project whose pot the reports do not give

# what happened, in the order events of one day are taken, and the fields each one has
# (a trailing '?' marks a field that may be left out)
EVENTS: dict[str, tuple[str, ...]] = {
    "paid": ("amount",),  # the OPCC paid money of the grant to the partnership
    "business case approved": ("projects?",),  # the OPCC approved these upfront projects (all, if none listed)
    "moved": ("amount", "from", "to"),  # money not allocated moved between the pots
    "tactical pot opened": (),  # the OPCC opened the pot, whatever its condition says
    "tactical bid approved": ("project", "title", "amount"),  # a new project funded from the tactical pot
    "cost revised": ("project", "cost", "reason?"),
    "spent": ("project", "amount"),
    "carried": ("project", "amount", "reason?"),  # unspent money kept for the project into the next year
    "completed": ("project",),  # a project, of this year or an earlier one, is complete
    "withdrawn": ("project", "reason"),  # the project does not go ahead
    "tactical pot closed": (),  # the OPCC closed the pot early
    "closed out": (),  # the year's accounts are closed: no event may follow
}
_ORDER = {kind: i for i, kind in enumerate(EVENTS)}


@attrs.frozen
class Project:
    """A project approved for funding: where its money comes from and how much it holds."""

    id: str
    title: str
    pot: str | None  # upfront | tactical | None (the reports do not say)
    allocation: int  # pence
    source: str | None = None
    notes: str | None = None
    assumed: tuple[tuple[str, str], ...] = ()  # (key path, the value as written)


@attrs.frozen
class EarlierProject:
    """A project of an earlier year's grant that was not complete when this year began."""

    id: str
    title: str
    year: str  # "2019/20"
    source: str | None = None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})"


@attrs.frozen
class Event:
    """One dated thing that happened to the money, and the report that says so."""

    date: dt.date
    kind: str  # a key of EVENTS
    source: str
    project: str | None = None
    amount: int | None = None  # pence: paid, moved, spent, carried, a bid's allocation, a revised cost
    title: str | None = None
    from_pot: str | None = None
    to_pot: str | None = None
    projects: tuple[str, ...] = ()
    reason: str | None = None
    notes: str | None = None
    assumed: tuple[tuple[str, str], ...] = ()
    index: int = attrs.field(default=0, eq=False)  # 0-based place in the file's list of events
    places: tuple[tuple[str, int | None, int | None], ...] = attrs.field(default=(), eq=False, repr=False)

    def order_key(self) -> tuple:
        """The order of events: by date, then by :data:`EVENTS`, then by what they say (never by file order)."""
        return (self.date, _ORDER[self.kind], self.project or "", self.amount or 0, self.title or "",
                self.from_pot or "", self.to_pot or "", self.projects, self.reason or "", self.source, self.index)

    def words(self) -> str:
        """What happened, in a few words: ``spent £750 on dummy-cctv-cameras``."""
        amount = fmt.money_short(self.amount) if self.amount is not None else ""
        return {
            "paid": f"the OPCC paid {amount} to the partnership",
            "business case approved": "business case approved" + (f" ({', '.join(self.projects)})" if self.projects else ""),
            "moved": f"{amount} moved from the {self.from_pot} pot to the {self.to_pot} pot",
            "tactical pot opened": "the OPCC opened the tactical pot",
            "tactical bid approved": f"tactical bid {self.project} approved for {amount}",
            "cost revised": f"cost of {self.project} revised to {amount}",
            "spent": f"{amount} spent on {self.project}",
            "carried": f"{amount} of {self.project} carried into the next year",
            "completed": f"{self.project} complete",
            "withdrawn": f"{self.project} withdrawn",
            "tactical pot closed": "the OPCC closed the tactical pot",
            "closed out": "the year closed out",
        }[self.kind]


@attrs.frozen
class Ledger:
    """A round's ledger, read from its file and checked against the round."""

    round_id: str
    shortlisted: dt.date
    projects: tuple[Project, ...]
    events: tuple[Event, ...]  # in the order of Event.order_key
    earlier_projects: tuple[EarlierProject, ...] = ()
    source: str | None = None
    notes: str | None = None
    assumed: tuple[tuple[str, str], ...] = ()
    file: str = attrs.field(default="", eq=False)

    def assumptions(self) -> list[provenance.Assumption]:
        """Every value of the ledger listed as assumed: the file's, each project's, each event's."""
        out = [provenance.Assumption("ledger", path, value, self.file) for path, value in self.assumed]
        for p in self.projects:
            out += [provenance.Assumption("ledger", f"projects.{p.id}.{path}", value, self.file)
                    for path, value in p.assumed]
        for e in self.events:
            where = f"{e.kind}, {fmt.date(e.date)}" + (f", {e.project}" if e.project else "")
            out += [provenance.Assumption("ledger", f"{where}: {path}", value, self.file) for path, value in e.assumed]
        return out

    @classmethod
    def from_fields(cls, f: Fields, round_: Round) -> "Ledger":
        """Read a ledger file's fields, each checked; the events are not yet replayed."""
        other = looks_like(f.data)
        if other is not None and other[0] != "a ledger":
            kind, marks = other
            fix = ("give the round's ledger here, after its rules file (crg status RULES LEDGER)"
                   if kind == "a rules file"
                   else "give the round's ledger here (its file under ledgers/), after the rules file")
            raise f.error(None, f"this looks like {kind}, not a ledger (it has {', '.join(marks)})", fix=fix)
        if not any(key in f.data for key in ("round", "shortlisted", "projects", "events")):
            raise f.error(None, "this is not a ledger: it has none of a ledger's fields (round, shortlisted, "
                                "projects, events)", fix="give the round's ledger here, after the rules file")
        round_id = f.take("round", values.slug)  # when missing, the mistake is kept and reported with the rest
        if round_id is not None and round_id != round_.id:
            raise f.error("round", f"the ledger is for the round '{round_id}', but the rules file is for '{round_.id}'",
                          fix="give the rules file of the ledger's round, or correct 'round'")
        shortlisted = f.take("shortlisted", lambda v: _in_year(values.date(v), round_))
        projects: list[Project] = []
        for place, _ in f.items("projects"):
            projects.append(_project(f.at(place), projects))
        earlier: list[EarlierProject] = []
        for place, _ in f.items("earlier_projects", required=False):
            earlier.append(_earlier(f.at(place), [p.id for p in projects] + [e.id for e in earlier]))
        events = [_event(f.at(place), round_, place[-1]) for place, _ in f.items("events", required=False)]
        events = [event for event in events if event is not None]  # a bad one is reported by done() below
        ledger = cls(
            round_id=round_id, shortlisted=shortlisted, projects=tuple(projects),
            events=tuple(sorted(events, key=Event.order_key)), earlier_projects=tuple(earlier),
            source=f.take("source", values.text, required=False), notes=f.take("notes", values.text, required=False),
            assumed=provenance.assumed_values(f), file=f.file.name,
        )
        f.done()
        return ledger


def _in_year(day: dt.date, round_: Round) -> dt.date:
    if not round_.year_start <= day <= round_.year_end:
        raise InputError(f"{fmt.date(day)} is outside the financial year {round_.financial_year} "
                         f"({fmt.date(round_.year_start)} to {fmt.date(round_.year_end)})",
                         fix="correct the date; each round's ledger holds one financial year")
    return day


def _pot(value) -> str | None:
    text = values.text(value)
    if text == NOT_REPORTED:
        return None
    if text not in POTS:
        raise InputError(f"'{text}' is not a pot{did_you_mean(text, POTS + (NOT_REPORTED,))}",
                         fix="write 'upfront', 'tactical', or 'not reported' when no report says which")
    return text


def _positive(value) -> int:
    pence = values.money_value(value)
    if pence <= 0:
        raise InputError("must be more than £0", fix="give the amount, or remove the entry")
    return pence


def _project(p: Fields, before: list[Project]) -> Project:
    project = Project(
        id=p.take_new_id("id", {q.id for q in before}, "project"),
        title=p.take("title", values.text),
        pot=p.take("pot", _pot),
        allocation=p.take("allocation", _positive),
        source=p.take("source", values.text, required=False),
        notes=p.take("notes", values.text, required=False),
        assumed=provenance.assumed_values(p),
    )
    p.done()
    return project


def _earlier(e: Fields, taken: list[str]) -> EarlierProject:
    project = EarlierProject(
        id=e.take_new_id("id", set(taken), "project"),
        title=e.take("title", values.text),
        year=e.take("year", lambda v: parse_financial_year(v)[0]),
        source=e.take("source", values.text, required=False),
    )
    e.done()
    return project


_CONVERT = {
    "amount": _positive,
    "cost": values.money_value,
    "project": values.slug,
    "projects": values.slug_list,
    "title": values.text,
    "reason": values.text,
    "from": values.text,
    "to": values.text,
}


def _event(e: Fields, round_: Round, index: int) -> Event | None:
    """The event at *e*, or ``None`` when a mistake in it is kept to be reported with the rest."""
    kind = e.take_choice("event", EVENTS, "a kind of event",
                         fix="write one of: " + ", ".join(EVENTS))
    if kind is None:
        e.take("date")
        return None
    taken: dict[str, Any] = {}
    for name in EVENTS[kind]:
        key = name.rstrip("?")
        taken[key] = e.take(key, _CONVERT[key], required=not name.endswith("?"))
    for key in ("from", "to"):
        if taken.get(key) is not None and taken[key] not in POTS:
            raise e.error(key, f"'{taken[key]}' is not a pot{did_you_mean(taken[key], POTS)}",
                          fix="write 'upfront' or 'tactical'")
    if kind == "moved" and taken["from"] == taken["to"]:
        raise e.error("to", f"moves money from the {taken['from']} pot to itself", fix="correct 'from' or 'to'")
    day = e.take("date", lambda v: _in_year(values.date(v), round_))
    if day is None:
        return None
    places = tuple((key,) + e.file.place(e.path + (key,)) for key in list(e.data))
    event = Event(
        date=day, kind=kind, source=e.take("source", values.text),
        project=taken.get("project"), amount=taken.get("amount", taken.get("cost")), title=taken.get("title"),
        from_pot=taken.get("from"), to_pot=taken.get("to"), projects=taken.get("projects") or (),
        reason=taken.get("reason"), notes=e.take("notes", values.text, required=False),
        assumed=provenance.assumed_values(e), index=index, places=places + (("",) + e.file.place(e.path),),
    )
    e.done()
    return event


def today_in_kent() -> dt.date:
    """Today's date where the partnership is (the UK's, in British Summer Time from its first hour), whatever
    the machine's time zone: a round's dates and its financial year are the UK's."""
    from zoneinfo import ZoneInfo  # its data from the system, or else from the tzdata package

    return dt.datetime.now(ZoneInfo("Europe/London")).date()


def day_in_year(round_: Round, text: str | None, *, today: dt.date, field: str = "date") -> dt.date:
    """The date written *text* (``YYYY-MM-DD``), which must fall in the round's financial year.

    With no *text*, *today*, moved to the nearer end of the financial year if
    it falls outside it.
    """
    if text is None:
        return min(max(today, round_.year_start), round_.year_end)
    try:
        day = values.date(text)
    except InputError as exc:
        raise InputError(exc.problem, field=field, fix=exc.fix) from None
    try:
        return _in_year(day, round_)
    except InputError as exc:
        raise InputError(exc.problem, field=field,
                         fix=f"give a date from {round_.year_start} to {round_.year_end}") from None


def load_ledger(path: str | Path, round_: Round, *, name: str | None = None) -> Ledger:
    """Load the ledger at *path* for *round_*, and check the whole year replays."""
    ledger = Ledger.from_fields(read(path, name=name).fields("a ledger"), round_)
    replay(round_, ledger)
    return ledger


# --- the year replayed -----------------------------------------------------------------------------


@attrs.frozen
class ProjectState:
    """A project as it stands on a date."""

    project: Project
    cost: int  # what it is now expected to cost: its allocation, or its cost as last revised
    spent: int = 0
    carried: int = 0
    approved: bool = False  # its business case approved by the OPCC (tactical bids are approved when funded)
    revised: Event | None = None  # the last revision of its cost
    withdrawn: Event | None = None
    completed: dt.date | None = None
    bid: Event | None = None  # the approval of a tactical bid

    @property
    def committed(self) -> int:
        """Money still to be paid out on the project."""
        return 0 if self.withdrawn else max(self.cost - self.spent - self.carried, 0)

    @property
    def freed(self) -> int:
        """Allocated money no longer needed (withdrawn, or a lower cost); below zero when it costs more."""
        return self.project.allocation - self.spent - self.carried - self.committed


@attrs.frozen
class YearState:
    """The state of a round's money on a date, from its ledger."""

    round: Round
    ledger: Ledger
    day: dt.date
    projects: tuple[ProjectState, ...]  # allocated by the day: the ledger's, then tactical bids by date
    sizes: tuple[tuple[str, int], ...]  # (pot, pence) after money moved between the pots
    paid: int = 0
    earlier_open: tuple[str, ...] = ()  # labels of earlier years' projects not yet complete
    opened_by_opcc: dt.date | None = None
    closed_by_opcc: dt.date | None = None
    closed_out: dt.date | None = None
    events: tuple[Event, ...] = ()  # the events up to the day

    @property
    def shortlisted(self) -> bool:
        return self.day >= self.ledger.shortlisted

    def size(self, pot: str) -> int:
        return dict(self.sizes)[pot]

    def of(self, pot: str | None) -> tuple[ProjectState, ...]:
        """The projects drawn on *pot* (``None``: those whose pot is not reported)."""
        return tuple(p for p in self.projects if p.project.pot == pot)

    def allocated(self, pot: str | None = "all") -> int:
        chosen = self.projects if pot == "all" else self.of(pot)
        return sum(p.project.allocation for p in chosen)

    def spent(self, pot: str | None = "all") -> int:
        return sum(p.spent for p in (self.projects if pot == "all" else self.of(pot)))

    def carried(self, pot: str | None = "all") -> int:
        return sum(p.carried for p in (self.projects if pot == "all" else self.of(pot)))

    def committed(self, pot: str | None = "all") -> int:
        return sum(p.committed for p in (self.projects if pot == "all" else self.of(pot)))

    def freed(self, pot: str | None = "all") -> int:
        return sum(p.freed for p in (self.projects if pot == "all" else self.of(pot)))

    @property
    def unreported(self) -> bool:
        """Whether some project's pot is not reported (then each pot's money left is a bound)."""
        return any(p.project.pot is None for p in self.projects)

    def over(self, pot: str | None = "all") -> int:
        """Cost above the allocations of *pot*'s projects that the money they freed does not meet (:func:`_over`)."""
        return _over(self.projects, pot)

    def left(self, pot: str | None = "all") -> int:
        """Money of *pot* (or of the whole grant) not allocated to any project, less what it must find for costs
        above allocations (:meth:`over`).

        When some projects' pots are not reported, a pot's money left is not
        known: it is at most what its own projects leave and at most what the
        whole grant has left, and the smaller of the two is given.
        """
        return _left(self.round.grant, dict(self.sizes), self.projects, pot)

    def project(self, project_id: str) -> ProjectState:
        return next(p for p in self.projects if p.project.id == project_id)


def _over(rows, pot: str | None = "all") -> int:
    """Cost above allocations that *pot* must find: a project revised to cost more than its allocation draws first
    on what the other projects of its pot freed (withdrawn, or cheaper), and the rest on the money the pot has
    left.  Freed money itself is never added to what is left: what no dearer project needs is returned to the
    OPCC at the year's end.  For the whole grant, the sum over the pots (and the projects whose pot is not
    reported, as one)."""
    if pot == "all":
        return sum(_over(rows, group) for group in POTS + (None,))
    return max(0, -sum(r.freed for r in rows if r.project.pot == pot))


def _left(grant: int, sizes: dict[str, int], rows, pot: str | None = "all") -> int:
    """Money of *pot* (or of the grant) neither allocated nor needed for a cost above an allocation."""
    rows = tuple(rows)
    grant_left = grant - sum(r.project.allocation for r in rows) - _over(rows)
    if pot == "all":
        return grant_left
    own = sizes[pot] - sum(r.project.allocation for r in rows if r.project.pot == pot) - _over(rows, pot)
    return min(own, grant_left) if any(r.project.pot is None for r in rows) else own


def replay(round_: Round, ledger: Ledger, until: dt.date | None = None) -> YearState:
    """The state of the year at the end of *until* (the year's end if not given).

    Every event up to that day is applied in order, each checked against the
    state it meets; a mistake is an :class:`InputError` placed at the event.
    """
    day = until or round_.year_end
    book = _Book(round_, ledger)
    for event in ledger.events:
        if event.date > day:
            break
        if book.seen and event.date != book.seen[-1].date:
            book.day_done()
        book.apply(event)
    book.day_done()
    if day >= ledger.shortlisted:
        book.shortlist()
    return book.state(day)


class _Book:
    """The fold of :func:`replay`: the state as each event meets it (private, mutable while it runs)."""

    def __init__(self, round_: Round, ledger: Ledger):
        self.round = round_
        self.ledger = ledger
        self.sizes = {"upfront": round_.upfront, "tactical": round_.tactical}
        self.rows: dict[str, ProjectState] = {}
        self.paid = 0
        self.earlier = {e.id: e for e in ledger.earlier_projects}
        self.earlier_done: dict[str, dt.date] = {}
        self.opened: dt.date | None = None
        self.closed: dt.date | None = None
        self.closed_out: dt.date | None = None
        self.seen: list[Event] = []
        self.raised: list[Event] = []  # the costs revised upward on the day being replayed
        self.listed = False

    # -- the shortlist: the ledger's projects take their allocations ------------------------------

    def shortlist(self) -> None:
        if self.listed:
            return
        self.listed = True
        for p in self.ledger.projects:
            self.rows[p.id] = ProjectState(p, cost=p.allocation, approved=p.pot == "tactical")
        # money moved into a pot on the shortlist's own day holds the projects allocated that day, whatever the
        # order of that day's events (a move out is checked at its own event, against what is left then); the
        # events are applied in order, so those still to come are those past the ones seen
        coming = {pot: sum(e.amount for e in self.ledger.events[len(self.seen):] if e.kind == "moved"
                           and e.to_pot == pot and e.date == self.ledger.shortlisted)
                  for pot in POTS}
        for pot in POTS:
            if self.left(pot) + coming[pot] < 0:
                total = sum(p.allocation for p in self.ledger.projects if p.pot == pot)
                raise InputError(
                    f"the {pot} projects are allocated {fmt.money_short(total)}, more than the {pot} pot holds "
                    f"({fmt.money_short(self.sizes[pot])})", file=self.ledger.file, field="projects",
                    fix=f"check each project's allocation and pot; money the Chair agreed to move into the {pot} "
                        f"pot is a 'moved' event dated no later than the shortlist ({self.ledger.shortlisted})")
        if self.left() < 0:
            raise InputError(f"the projects are allocated {fmt.money_short(self.allocated())}, more than the grant "
                             f"of {fmt.money_short(self.round.grant)}", file=self.ledger.file, field="projects",
                             fix="check each project's allocation")

    def allocated(self, pot: str | None = "all") -> int:
        return sum(r.project.allocation for r in self.rows.values() if pot == "all" or r.project.pot == pot)

    def left(self, pot: str = "all") -> int:
        return _left(self.round.grant, self.sizes, self.rows.values(), pot)

    def day_done(self) -> None:
        """At the end of a day, each pot must still meet its projects' costs above their allocations.

        Checked once the day's events are all in (a project withdrawn the same
        day may free the money a dearer one needs), and refused at the day's
        last revision of a cost upward in the pot that falls short.
        """
        raised, self.raised = self.raised, []
        rows = tuple(self.rows.values())
        for pot in POTS + ("all",):
            if pot == "all":
                short = -self.left()
            else:
                short = -(self.sizes[pot] - self.allocated(pot) - _over(rows, pot))
            if short <= 0:
                continue
            blamed = [e for e in raised if pot == "all" or self.rows[e.project].project.pot == pot]
            if not blamed:  # cannot happen: only a cost revised upward makes a pot short by the end of a day
                raise InputError(f"the costs above the projects' allocations leave the {pot} pot "
                                 f"{fmt.money_short(short)} short", file=self.ledger.file, field="events",
                                 fix="record a 'moved' event of at least that much into the pot")
            e = blamed[-1]
            allocation = self.rows[e.project].project.allocation
            where = "the grant" if pot == "all" else f"the {pot} pot"
            if e.amount > allocation:
                extra = e.amount - allocation
                problem = (f"{fmt.money_short(e.amount)} is {fmt.money_short(extra)} more than the allocation of "
                           f"{e.project} ({fmt.money_short(allocation)}), but on {fmt.date(e.date)} {where} has only "
                           f"{fmt.money_short(max(extra - short, 0))} to meet it (not allocated, or freed by its "
                           f"other projects): it would be over-committed by {fmt.money_short(short)}")
            else:
                problem = (f"{fmt.money_short(e.amount)} for {e.project} takes back money its lower cost had freed "
                           f"for other projects' costs above their allocations: {where} would be over-committed by "
                           f"{fmt.money_short(short)} on {fmt.date(e.date)}")
            if pot == "all":
                fix = "correct the cost; the grant has no more money to meet it"
            else:
                fix = (f"record the money agreed for it as a 'moved' event of at least {fmt.money_short(short)} into "
                       f"the {pot} pot on or before this date, or correct the cost")
            self.fail(e, "cost", problem, fix)

    # -- each event ---------------------------------------------------------------------------------

    def apply(self, e: Event) -> None:
        if self.closed_out is not None:
            self.fail(e, "date", f"comes after the close-out of {fmt.date(self.closed_out)}",
                      "close the year out with its last event, or correct the date")
        if e.date >= self.ledger.shortlisted:
            self.shortlist()
        getattr(self, "_" + e.kind.replace(" ", "_"))(e)
        self.seen.append(e)

    def _paid(self, e: Event) -> None:
        if self.paid + e.amount > self.round.grant:
            self.fail(e, "amount", f"brings what the OPCC has paid to {fmt.money_short(self.paid + e.amount)}, "
                                   f"more than the grant of {fmt.money_short(self.round.grant)}",
                      "correct the amount")
        self.paid += e.amount

    def _business_case_approved(self, e: Event) -> None:
        if not self.listed:
            self.before_shortlist(e, "projects")
        for pid in e.projects:
            self.row(e, pid)
        chosen = e.projects or tuple(pid for pid, r in self.rows.items() if r.project.pot != "tactical")
        for pid in chosen:
            self.rows[pid] = attrs.evolve(self.rows[pid], approved=True)

    def _moved(self, e: Event) -> None:
        left = self.left(e.from_pot)
        if e.amount > left:
            freed = sum(r.freed for r in self.rows.values() if r.project.pot == e.from_pot)
            why = (f"; the {fmt.money_short(freed)} freed by its projects (withdrawn, or cheaper) is not part of it: "
                   f"freed money meets other projects' costs above their allocations, and what is not needed is "
                   f"returned to the OPCC at the year's end" if freed > 0 else "")
            self.fail(e, "amount", f"moves {fmt.money_short(e.amount)} from the {e.from_pot} pot, which has only "
                                   f"{fmt.money_short(left)} not allocated on {fmt.date(e.date)}{why}",
                      "move no more than the pot has left" + ("; freed money cannot be moved" if freed > 0 else ""))
        self.sizes[e.from_pot] -= e.amount
        self.sizes[e.to_pot] += e.amount

    def _tactical_pot_opened(self, e: Event) -> None:
        if self.opened is not None:
            self.fail(e, "event", f"the OPCC already opened the tactical pot on {fmt.date(self.opened)}",
                      "record the opening once")
        if self.closed is not None:
            self.fail(e, "date", f"the OPCC closed the tactical pot on {fmt.date(self.closed)}, before this opening",
                      "correct the date of the opening or of the closing; a pot closed stays closed")
        self.opened = e.date

    def _tactical_bid_approved(self, e: Event) -> None:
        if e.project in self.rows or e.project in self.earlier or e.project in {p.id for p in self.ledger.projects}:
            self.fail(e, "project", f"'{e.project}' is already a project of this ledger",
                      "give the bid an id of its own")
        self.pot_open_for(e)
        left = self.left("tactical")
        if e.amount > left:
            self.fail(e, "amount", f"awards {fmt.money_short(e.amount)}, more than the {fmt.money_short(left)} left "
                                   f"in the tactical pot on {fmt.date(e.date)}", "correct the amount or the date")
        project = Project(e.project, e.title, "tactical", e.amount, e.source, e.notes)
        self.rows[e.project] = ProjectState(project, cost=e.amount, approved=True, bid=e)

    def _cost_revised(self, e: Event) -> None:
        row = self.live(e)
        if e.amount < row.spent + row.carried:
            self.fail(e, "cost", f"{fmt.money_short(e.amount)} is less than the "
                                 f"{fmt.money_short(row.spent + row.carried)} already spent or carried on "
                                 f"{e.project}", "check the cost, or the spends recorded before it")
        if e.amount > row.cost:
            self.raised.append(e)
        self.rows[e.project] = attrs.evolve(row, cost=e.amount, revised=e)

    def _spent(self, e: Event) -> None:
        row = self.live(e)
        self.within_cost(e, row)
        self.within_paid(e)
        self.rows[e.project] = attrs.evolve(row, spent=row.spent + e.amount)

    def _carried(self, e: Event) -> None:
        row = self.live(e)
        self.within_cost(e, row)
        self.within_paid(e)
        self.rows[e.project] = attrs.evolve(row, carried=row.carried + e.amount)

    def _completed(self, e: Event) -> None:
        if e.project in self.earlier:
            if e.project in self.earlier_done:
                self.fail(e, "project", f"{e.project} was already recorded complete on "
                                        f"{fmt.date(self.earlier_done[e.project])}", "record it once")
            self.earlier_done[e.project] = e.date
            return
        row = self.live(e)
        if row.completed is not None:
            self.fail(e, "project", f"{e.project} was already recorded complete on {fmt.date(row.completed)}",
                      "record it once")
        self.rows[e.project] = attrs.evolve(row, completed=e.date)

    def _withdrawn(self, e: Event) -> None:
        row = self.live(e)
        self.rows[e.project] = attrs.evolve(row, withdrawn=e)

    def _tactical_pot_closed(self, e: Event) -> None:
        if self.closed is not None:
            self.fail(e, "event", f"the OPCC already closed the tactical pot on {fmt.date(self.closed)}",
                      "record the closing once")
        self.closed = e.date

    def _closed_out(self, e: Event) -> None:
        self.closed_out = e.date

    # -- checks -------------------------------------------------------------------------------------

    def row(self, e: Event, pid: str) -> ProjectState:
        if pid in self.rows:
            return self.rows[pid]
        known = {p.id for p in self.ledger.projects}
        if pid in known:
            self.before_shortlist(e, "project")
        if pid in self.earlier:
            self.fail(e, "project", f"{pid} is a project of an earlier year; only 'completed' can be recorded for it",
                      "record this year's events against this year's projects")
        self.fail(e, "project", f"'{pid}' is not a project of this ledger"
                                f"{did_you_mean(pid, list(self.rows) + list(known))}",
                  "use the id of a project listed under 'projects', or of a tactical bid approved before this date")

    def live(self, e: Event) -> ProjectState:
        row = self.row(e, e.project)
        if row.withdrawn is not None:
            self.fail(e, "project", f"{e.project} was withdrawn on {fmt.date(row.withdrawn.date)}",
                      "correct the project or the date")
        return row

    def pot_open_for(self, e: Event) -> None:
        """Refuse the award *e* unless the tactical pot is open on its day (by the same reading as crg status)."""
        from .gates import pot_on  # the gates read the state this module builds

        pot = pot_on(self.state(e.date))
        award = f"awards {fmt.money_short(e.amount)} to {e.project} on {fmt.date(e.date)}"
        source = f" (source: {pot.source})" if pot.source else ""
        if pot.state == "closed":
            self.fail(e, "date", f"{award}, but the tactical pot is {pot.reason}{source}",
                      "correct the date, or remove the award: no bid can be approved once the pot is closed")
        if pot.state == "locked":
            opens = self.opening_day(e.date)
            when = (f"by this ledger it opens on {fmt.date(opens)}" if opens is not None
                    else "this ledger does not record it opening")
            self.fail(e, "date", f"{award}, but the tactical pot is {pot.reason}; {when}",
                      "date the award on or after the day the pot opens, or record the OPCC's opening of it "
                      "('event: tactical pot opened') on or before this date")

    def opening_day(self, after: dt.date) -> dt.date | None:
        """The first day after *after* on which the ledger's own events open the tactical pot, if any: the events
        that move its gates replayed alone (an award or a spend cannot open it)."""
        from .gates import pot_on

        moving = ("business case approved", "tactical pot opened", "completed", "withdrawn", "tactical pot closed",
                  "closed out")
        known = {p.id for p in self.ledger.projects} | set(self.earlier)
        events = [e for e in self.ledger.events if e.kind in moving and (e.project is None or e.project in known)]
        days = sorted({e.date for e in events if e.date > after}
                      | ({self.ledger.shortlisted} if self.ledger.shortlisted > after else set()))
        book = _Book(self.round, self.ledger)
        taken = 0
        try:
            for day in days:
                while taken < len(events) and events[taken].date <= day:
                    book.apply(events[taken])
                    taken += 1
                if day >= self.ledger.shortlisted:
                    book.shortlist()
                pot = pot_on(book.state(day))
                if pot.state != "locked":
                    return day if pot.is_open else None
        except InputError:  # a mistake of the ledger is reported where the whole replay meets it
            return None
        return None

    def before_shortlist(self, e: Event, field: str) -> None:
        self.fail(e, "date", f"{fmt.date(e.date)} is before the shortlist of {fmt.date(self.ledger.shortlisted)}, "
                             f"when the ledger's projects take their allocations", "correct the date")

    def within_cost(self, e: Event, row: ProjectState) -> None:
        after = row.spent + row.carried + e.amount
        if after > row.cost:
            what = f"its revised cost of {fmt.money_short(row.cost)}" if row.revised else \
                f"its allocation of {fmt.money_short(row.cost)}"
            self.fail(e, "amount", f"brings {e.project} to {fmt.money_short(after)}, more than {what}",
                      "record a 'cost revised' event on or before this date, or correct the amount")

    def within_paid(self, e: Event) -> None:
        out = sum(r.spent + r.carried for r in self.rows.values()) + e.amount
        if out > self.paid:
            self.fail(e, "amount", f"brings what the partnership has spent or carried to {fmt.money_short(out)}, "
                                   f"but the OPCC has paid it only {fmt.money_short(self.paid)} by "
                                   f"{fmt.date(e.date)}", "record the OPCC's payment ('event: paid') on or before this date")

    def fail(self, e: Event, field: str, problem: str, fix: str):
        places = {key: (line, column) for key, line, column in e.places}
        line, column = places.get(field, places.get(""))
        raise InputError(problem, file=self.ledger.file, field=dotted(("events", e.index, field)),
                         line=line, column=column, fix=fix)

    # -- the result ---------------------------------------------------------------------------------

    def state(self, day: dt.date) -> YearState:
        order = [p.id for p in self.ledger.projects] + [e.project for e in self.seen if e.kind == "tactical bid approved"]
        return YearState(
            round=self.round, ledger=self.ledger, day=day,
            projects=tuple(self.rows[pid] for pid in order if pid in self.rows),
            sizes=tuple(self.sizes.items()), paid=self.paid,
            earlier_open=tuple(sorted(e.label for pid, e in self.earlier.items() if pid not in self.earlier_done)),
            opened_by_opcc=self.opened, closed_by_opcc=self.closed, closed_out=self.closed_out,
            events=tuple(self.seen),
        )
