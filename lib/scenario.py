"""The scenario: everything a borrower (or their coach) has decided, in one typed, immutable value.

Every page reads one :class:`Scenario` and writes a changed copy back (``pages/_state.py``);
the browser keeps it across reloads, a file saves it, a link shares its settings. It holds the
loans (each with a stable ``loan_id``), how they were read, the capacity inputs, the strategy
and custom order (by loan id), the option settings, the per-lender plan (by loan id) and room
for what comes after the plan (agreements, refusals, payments, contacts). It holds no UI language:
names, problems and labels are made in a language when shown.

Files are versioned JSON (``"version": 1``; see :data:`VERSION`). :func:`from_json` migrates
an older file, and refuses a damaged, hostile, oversized or newer one with a
:class:`ScenarioError` whose ``code`` and ``params`` name what is wrong (the caller keeps its
current scenario).

Example
-------
>>> s = Scenario.sample_free().with_capacity(income=9000.0, essentials=4000.0)
>>> s.capacity.to_capacity().monthly
5000.0
>>> back = from_json(s.to_json())
>>> back == s, back.version
(True, 1)
>>> try:
...     from_json('{"version": 99}')
... except ScenarioError as e:
...     print(e.code, e.params)
future_version {'version': 99, 'supported': 1}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from lib.capacity import Capacity
from lib.contacts import Contact
from lib.ingest import LoanBook, Note, Problem
from lib.loans import COLUMNS, EDITOR_FIELDS, KINDS, METHODS, conform, empty_loans
from lib.negotiate import DEFAULT_OPTIONS, LABELS, OPTION_SPECS
from lib.payoff import BASES, STRATEGIES
from lib.tracker import Agreement, Payment, Refusal

VERSION: int = 1
MAX_FILE_BYTES = 2 * 1024 * 1024  # a scenario with 2,000 loans is ~1 MB
MAX_LOANS = 2000  # as lib.ingest.MAX_ROWS
MAX_TEXT = 200
MAX_MONEY = 1e10
ID = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,24}$")]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Scalar = Annotated[str, Field(max_length=1000)] | int | float | bool | None


_DERIVED = {"loans_frame": {"loans"}, "loans_key": {"loans"}}  # cached properties -> the fields they read


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def evolve(self, **changes: Any):
        """A validated copy with ``changes`` (sub-models are kept as they are, not re-checked;
        what was worked out from fields that did not change is carried over)."""
        new = type(self).model_validate({**{k: getattr(self, k) for k in type(self).model_fields}, **changes})
        for name, value in self.__dict__.items():
            if name in _DERIVED and not (_DERIVED[name] & changes.keys()):
                new.__dict__[name] = value
        return new


class Loan(_Frozen):
    """One row of the loan table (:data:`lib.loans.COLUMNS`); None where the table has NaN/NaT."""

    loan_id: ID
    lender: Text = ""
    kind: Literal[KINDS] = "online"  # type: ignore[valid-type]
    balance: Money
    annual_rate: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    method: Literal[METHODS] = "annuity"  # type: ignore[valid-type]
    remaining_months: Annotated[int, Field(ge=0, le=1200)]
    monthly_payment: Money | None = None
    overdue_days: Annotated[int, Field(ge=0, le=36500)] = 0
    overdue_amount: Money = 0.0
    interest: Money = 0.0
    penalty: Money = 0.0
    fees: Money = 0.0
    principal_amount: Money | None = None
    received: Money | None = None
    start_date: Annotated[dt.date, Field(ge=dt.date(1950, 1, 1), le=dt.date(2100, 12, 31))] | None = None
    term_months: Annotated[float, Field(ge=0, le=1200)] | None = None
    derived: Text = ""
    assumed: Text = ""
    source_row: Annotated[int, Field(ge=0, le=10**7)] = 0


class ReadNote(_Frozen):
    """A problem or note from reading the loans (``row`` 0: the whole file). Codes, not words."""

    kind: Literal["problem", "note"] = "problem"
    row: Annotated[int, Field(ge=0, le=10**7)] = 0
    column: Text = ""
    code: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]
    params: dict[Annotated[str, Field(max_length=40)], Scalar | tuple[Scalar, ...]] = {}
    severity: Literal["error", "warning"] = "error"
    field: Annotated[str, Field(pattern=r"^[a-z_]{0,40}$")] = ""  # the missing field when the file has no column


class TypedRow(_Frozen):
    """A row typed in the editor that did not become a loan: kept as typed, so nothing is lost."""

    row: Annotated[int, Field(ge=1, le=10**7)]
    cells: dict[Literal[EDITOR_FIELDS], Text] = {}  # type: ignore[valid-type]


class Source(_Frozen):
    """Where the loans came from: the sample, a file (its name), typed in, or a saved scenario."""

    origin: Literal["sample", "file", "editor", "empty"] = "empty"
    name: Text = ""
    day_basis: Literal[360, 365] = 360
    notes: tuple[ReadNote, ...] = Field(default=(), max_length=5 * MAX_LOANS)
    typed: tuple[TypedRow, ...] = Field(default=(), max_length=MAX_LOANS)  # the editor's rows not taken


class CapacityInputs(_Frozen):
    """What the borrower can pay (the capacity page's inputs) and how arrears are counted."""

    income: Money = 12000.0
    essentials: Money = 5500.0
    obligations: Money = 0.0
    share: Annotated[float, Field(ge=0, le=1)] = 1.0
    cash: Money = 3000.0
    reserve: Money = 2000.0
    change: bool = False
    change_month: Annotated[int, Field(ge=1, le=36)] = 6
    change_income: Money = 8000.0
    penalty_multiple: Annotated[float, Field(ge=1.0, le=2.0)] = 1.5
    target_months: Annotated[int, Field(ge=6, le=60)] = 36

    def to_capacity(self) -> Capacity:
        """The engine's :class:`lib.capacity.Capacity` for these inputs."""
        on = self.change
        return Capacity(income=self.income, essentials=self.essentials, obligations=self.obligations,
                        share=self.share, cash=self.cash, reserve=self.reserve,
                        change_month=self.change_month if on else None,
                        change_income=self.change_income if on else None)


class OptionSettings(_Frozen):
    """The compare page: which options are compared and their parameters (:data:`OPTION_SPECS`)."""

    chosen: tuple[Literal[LABELS], ...] = DEFAULT_OPTIONS  # type: ignore[valid-type]
    params: dict[str, float | int | str] = {}
    lower_rate: bool = False
    new_rate: Annotated[float, Field(ge=0, le=0.24)] = 0.12

    @field_validator("params")
    @classmethod
    def _known_params(cls, v: dict[str, Any]) -> dict[str, Any]:
        for name, value in v.items():
            spec = OPTION_SPECS.get(name)
            if spec is None or name == "new_rate":
                raise ValueError(f"unknown option parameter {name!r}")
            if spec.unit == "choice":
                if value not in spec.choices:
                    raise ValueError(f"{name} must be one of {', '.join(spec.choices)}")
            elif isinstance(value, bool) or not isinstance(value, int | float) or not (
                    spec.min <= value <= spec.max):
                raise ValueError(f"{name} must be a number from {spec.min} to {spec.max}")
        return v

    def values(self) -> dict[str, Any]:
        """Every parameter (defaults where not set) as the engine takes them."""
        out = {s.name: self.params.get(s.name, s.default) for s in OPTION_SPECS.values() if s.name != "new_rate"}
        if self.lower_rate:
            out["new_rate"] = self.new_rate
        return out


Pct = Annotated[float, Field(ge=0, le=100)] | None


class PlanChoice(_Frozen):
    """One lender's row of the plan builder (shares and rates in %, blank = the default)."""

    option: Literal[LABELS] = "baseline"  # type: ignore[valid-type]
    months: Annotated[float, Field(ge=0, le=120)] | None = None
    plan_rate: Pct = None
    waive_penalty_pct: Pct = None
    waive_interest_pct: Pct = None
    settle_pct: Pct = None


HARDSHIPS = ("income_cut", "job_loss", "illness", "family", "business", "other")  # why payment stopped


class KitSettings(_Frozen):
    """What the letters to the lenders need beyond the figures: the writer's name as they sign,
    why payment stopped (a common reason, and in their own words), and the texts they edited
    (by ``"<loan_id>.<letter kind>"``). Never an ID or card number, a password, an SMS code or a
    contact's details: where a letter needs one it leaves a blank to fill in by hand."""

    name: Annotated[str, Field(max_length=60)] = ""
    hardship: Literal[HARDSHIPS] = "income_cut"  # type: ignore[valid-type]
    hardship_text: Annotated[str, Field(max_length=1000)] = ""
    edited: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,60}$")],
                 Annotated[str, Field(max_length=20000)]] = Field(default={}, max_length=4 * MAX_LOANS)


class Scenario(_Frozen):
    """Everything the user decided. Change it with ``evolve`` / the ``with_*`` helpers (a new value)."""

    version: Literal[1] = VERSION
    loans: tuple[Loan, ...] = Field(default=(), max_length=MAX_LOANS)
    source: Source = Source()
    capacity: CapacityInputs = CapacityInputs()
    basis: Literal[BASES] = "enforceable"  # type: ignore[valid-type]
    strategy: Literal[STRATEGIES] = "avalanche"  # type: ignore[valid-type]
    order: tuple[ID, ...] = ()  # the custom order, by loan id
    options: OptionSettings = OptionSettings()
    plan: dict[ID, PlanChoice] = {}  # the plan builder's rows the user set, by loan id
    kit: KitSettings = KitSettings()  # what the letters to the lenders need beyond the figures
    # keeping the plan (lib.tracker): what each lender agreed, and what was paid. Records of what
    # happened: kept even when their loan leaves the table (the page says so), never dropped
    agreements: tuple[Agreement, ...] = Field(default=(), max_length=10_000)
    payments: tuple[Payment, ...] = Field(default=(), max_length=100_000)
    contacts: tuple[Contact, ...] = Field(default=(), max_length=100_000)  # the contact log (lib.contacts)
    refusals: tuple[Refusal, ...] = Field(default=(), max_length=10_000)  # what a lender said no to (lib.outcomes)

    @model_validator(mode="after")
    def _ids_agree(self) -> Scenario:
        ids = [x.loan_id for x in self.loans]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"loan id {dup} is used twice")
        unknown = [i for i in (*self.order, *self.plan) if i not in set(ids)]
        if unknown:
            raise ValueError(f"refers to loan {unknown[0]}, which is not among the loans")
        return self

    @classmethod
    def sample_free(cls) -> Scenario:
        """A scenario with no loans and every default."""
        return cls()

    # ---- the loans as the engine's table -------------------------------------------------------
    @cached_property
    def loans_frame(self) -> pd.DataFrame:
        """The loans as a table conforming to :data:`lib.loans.COLUMNS` (built once per value)."""
        return loans_to_frame(self.loans)

    @cached_property
    def loans_key(self) -> str:
        """A short content hash of the loans: a cache key that is the same for the same loans."""
        text = json.dumps([x.model_dump(mode="json") for x in self.loans], sort_keys=True)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    # ---- changes --------------------------------------------------------------------------------
    def with_capacity(self, **changes: Any) -> Scenario:
        return self.evolve(capacity=self.capacity.evolve(**changes))

    def with_options(self, **changes: Any) -> Scenario:
        return self.evolve(options=self.options.evolve(**changes))

    def with_loans(self, frame: pd.DataFrame, source: Source | None = None, *, keep_choices: bool = True) -> Scenario:
        """New loans; the order and plan keep every choice whose loan is still there
        (``keep_choices=False``: other loans altogether, so choices start afresh)."""
        loans = loans_from_frame(frame)
        ids = {x.loan_id for x in loans}
        order = tuple(i for i in self.order if i in ids) if keep_choices else ()
        plan = {i: c for i, c in self.plan.items() if i in ids} if keep_choices else {}
        return self.evolve(loans=loans, source=source or self.source, order=order, plan=plan)

    def to_json(self, *, indent: int | None = None) -> str:
        """The scenario as versioned JSON (what :func:`from_json` reads back)."""
        return self.model_dump_json(indent=indent)


E = TypeVar("E")


def replace_entry(entries: tuple[E, ...], at: int, new: E | None) -> tuple[E, ...]:
    """One of a scenario's records (``payments``, ``contacts`` …) corrected: entry ``at`` replaced
    by ``new``, or taken out when ``new`` is None; the others keep their order.

    >>> replace_entry(("a", "b", "c"), 1, "B"), replace_entry(("a", "b", "c"), 1, None)
    (('a', 'B', 'c'), ('a', 'c'))
    """
    return entries[:at] + ((new,) if new is not None else ()) + entries[at + 1:]


# ---- the loan table <-> records -----------------------------------------------------------------------
def _plain(v: Any) -> Any:
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v.item() if hasattr(v, "item") else v


def loans_from_frame(frame: pd.DataFrame) -> tuple[Loan, ...]:
    """The loan table as records (ids assigned where missing, see :func:`lib.loans.assign_ids`).

    >>> from lib.loans import make_loans
    >>> [(x.loan_id, x.lender, x.monthly_payment) for x in loans_from_frame(make_loans(
    ...     [{"lender": "甲", "balance": 1200, "annual_rate": 0.0, "remaining_months": 12}]))]
    [('L1', '甲', 100.0)]
    """
    df = conform(frame)
    return tuple(Loan.model_validate({k: _plain(v) for k, v in rec.items()}) for rec in df.to_dict("records"))


def loans_to_frame(loans: tuple[Loan, ...] | list[Loan]) -> pd.DataFrame:
    """Records back to the loan table; the inverse of :func:`loans_from_frame`."""
    if not loans:
        return empty_loans()
    return conform(pd.DataFrame([x.model_dump() for x in loans], columns=list(COLUMNS)))


# ---- the plan builder's rows <-> the choices the user made --------------------------------------------
_PLAN_NUMBERS = ("months", "plan_rate", "waive_penalty_pct", "waive_interest_pct", "settle_pct")


def _cell(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:g}"


def _number(text: Any, top: float) -> float | None:
    try:  # what a person types: "12", "50%", " 7.5 "; anything else is blank
        x = float(str(text).strip().rstrip("%"))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else min(max(x, 0.0), top)


def plan_rows(suggested: pd.DataFrame, choices: Mapping[str, PlanChoice]) -> pd.DataFrame:
    """The plan builder's table: the suggested rows (numbers as text, :data:`lib.negotiate.PLAN_COLUMNS`),
    with the rows the user set (by loan id) in their place.

    >>> t = pd.DataFrame({"loan_id": ["L1", "L2"], "lender": ["甲", "乙"], "option": ["waiver", "baseline"],
    ...                   "months": ["", ""], "plan_rate": ["", ""], "waive_penalty_pct": ["100", ""],
    ...                   "waive_interest_pct": ["50", ""], "settle_pct": ["", ""]})
    >>> plan_rows(t, {"L2": PlanChoice(option="settlement", months=2, settle_pct=45)}).iloc[1].tolist()
    ['L2', '乙', 'settlement', '2', '', '', '', '45']
    """
    out = suggested.copy()
    for i, loan_id in enumerate(out["loan_id"].tolist()):
        if (c := choices.get(loan_id)) is not None:
            out.loc[i, "option"] = c.option
            for name in _PLAN_NUMBERS:
                out.loc[i, name] = _cell(getattr(c, name))
    return out


def plan_choices(edited: pd.DataFrame, suggested: pd.DataFrame) -> dict[str, PlanChoice]:
    """The rows of the edited builder that differ from the suggestion, as the user's choices by loan id
    (a row set back to the suggestion is no longer a choice: it follows the suggestion again).

    >>> t = pd.DataFrame({"loan_id": ["L1"], "lender": ["甲"], "option": ["waiver"], "months": [""],
    ...                   "plan_rate": [""], "waive_penalty_pct": ["100"], "waive_interest_pct": ["50"],
    ...                   "settle_pct": [""]})
    >>> plan_choices(t.assign(waive_interest_pct="80%"), t)
    {'L1': PlanChoice(option='waiver', months=None, plan_rate=None, waive_penalty_pct=100.0, waive_interest_pct=80.0, settle_pct=None)}
    >>> plan_choices(t, t)
    {}
    """
    cols = ["option", *_PLAN_NUMBERS]

    def rows(table: pd.DataFrame):  # plain lists: a pandas row read costs more than the whole comparison
        return zip(table["loan_id"].tolist(), *(table[c].tolist() for c in cols), strict=True)

    was = {loan_id: tuple(map(_text, vals)) for loan_id, *vals in rows(suggested)}
    out: dict[str, PlanChoice] = {}
    for loan_id, *vals in rows(edited):
        now = tuple(map(_text, vals))
        if loan_id not in was or now == was[loan_id]:
            continue
        row = dict(zip(cols, now, strict=True))
        option = row["option"] if row["option"] in LABELS else "baseline"
        out[str(loan_id)] = PlanChoice(option=option, **{
            n: _number(row[n], 120 if n == "months" else 100) for n in _PLAN_NUMBERS})
    return out


def _text(v: Any) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)


# ---- how the loans were read <-> the reader's LoanBook ----------------------------------------------
def _scalar(v: Any) -> Any:
    if isinstance(v, tuple | list):
        return tuple(_scalar(x) for x in v[:200])
    v = _plain(v)
    return v if isinstance(v, int | float | bool) or v is None else str(v)[:1000]


def source_of(book: LoanBook, origin: str, *, day_basis: int = 360, typed: tuple = ()) -> Source:
    """What a :class:`lib.ingest.LoanBook` says about how it was read, as scenario data
    (``typed``: the editor's rows that did not become loans, see :func:`lib.loans.typed_rows`)."""
    notes = [ReadNote(kind="problem", row=p.row, column=str(p.column)[:MAX_TEXT], code=p.code,
                      params={k: _scalar(v) for k, v in p.params.items()}, severity=p.severity,
                      field=p.field)
             for p in book.problems]
    notes += [ReadNote(kind="note", code=n.code, params={k: _scalar(v) for k, v in n.params.items()})
              for n in book.notes]
    return Source(origin=origin, name=str(book.source)[:MAX_TEXT], day_basis=day_basis, notes=tuple(notes),
                  typed=tuple(TypedRow.model_validate(r) for r in typed))


def book_of(scenario: Scenario) -> LoanBook:
    """The scenario's loans with the problems and notes of their reading (for the import report)."""
    src = scenario.source
    return LoanBook(scenario.loans_frame,
                    [Problem(n.row, n.column, n.code, dict(n.params), n.severity, n.field) for n in src.notes
                     if n.kind == "problem"],
                    [Note(n.code, dict(n.params)) for n in src.notes if n.kind == "note"], src.name)


# ---- files ----------------------------------------------------------------------------------------------
class ScenarioError(ValueError):
    """A file that cannot become a scenario. ``code`` names the kind, ``params`` the details
    (``where``: the place in the file, e.g. ``loans → 3 → balance``; ``what``: what is wrong)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code, self.params = code, params


def _reject_constant(name: str) -> Any:
    raise ScenarioError("not_json", detail=f"{name} is not a number JSON allows")


def _migrate_v0(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (no ``version`` key): ``{"loans": [...], "capacity": {...}}`` written by a
    notebook from the loan table, the capacity page's inputs under their old session keys
    (``cap_income``, ``cap_share`` in % …)."""
    cap = dict(doc.get("capacity") or {})
    renamed = {"cap_income": "income", "cap_essentials": "essentials", "cap_obligations": "obligations",
               "cap_cash": "cash", "cap_reserve": "reserve", "cap_change": "change",
               "cap_change_month": "change_month", "cap_change_income": "change_income",
               "cap_pm": "penalty_multiple", "cap_target": "target_months"}
    new_cap = {renamed.get(k, k): v for k, v in cap.items() if k not in ("cap_share", "cap_basis")}
    if "cap_share" in cap:
        new_cap["share"] = cap["cap_share"] / 100 if isinstance(cap["cap_share"], int | float) else cap["cap_share"]
    out: dict[str, Any] = {"version": 1, "loans": doc.get("loans", []), "capacity": new_cap,
                           "source": {"origin": "file", "name": str(doc.get("name", ""))[:MAX_TEXT]}}
    if "cap_basis" in cap:
        out["basis"] = cap["cap_basis"]
    loans = out["loans"]
    if isinstance(loans, list):
        for i, loan in enumerate(loans):
            if isinstance(loan, dict) and not loan.get("loan_id"):
                loan["loan_id"] = f"L{i + 1}"
    return out


MIGRATIONS = {0: _migrate_v0}  # version n -> a document of version n + 1 (or later)


def _where(loc: tuple) -> str:
    return " → ".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc)


def from_json(text: str | bytes) -> Scenario:
    """Read a saved scenario (any version up to :data:`VERSION`), or raise :class:`ScenarioError`.

    Codes: ``too_big`` (size, limit in MB), ``not_json`` (detail), ``not_scenario`` (no scenario
    object), ``future_version`` (version, supported), ``bad_version``, ``invalid`` (where, what).

    >>> from_json('{"loans": [{"lender": "乙", "balance": 100, "annual_rate": 0.1, "remaining_months": 2}],'
    ...           ' "capacity": {"cap_income": 6000, "cap_share": 50}}').capacity.share  # version 0
    0.5
    >>> try:
    ...     from_json('{"version": 1, "loans": [{"loan_id": "L1", "balance": -5, "annual_rate": 0.1,'
    ...               ' "remaining_months": 2}]}')
    ... except ScenarioError as e:
    ...     print(e.code, e.params["where"])
    invalid loans → 1 → balance
    """
    size = len(text)
    if size > MAX_FILE_BYTES:
        raise ScenarioError("too_big", size=round(size / 1048576, 1), limit=MAX_FILE_BYTES // 1048576)
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except ScenarioError:
        raise
    except (ValueError, RecursionError) as exc:  # (UnicodeDecodeError is a ValueError)
        raise ScenarioError("not_json", detail=type(exc).__name__) from None
    if not isinstance(doc, dict):
        raise ScenarioError("not_scenario")
    version = doc.get("version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ScenarioError("bad_version", version=str(version)[:20])
    if version > VERSION:
        raise ScenarioError("future_version", version=version, supported=VERSION)
    while version < VERSION:
        doc = MIGRATIONS[version](doc)
        version = doc["version"]
    try:
        return Scenario.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise ScenarioError("invalid", where=_where(err["loc"]) or "—", what=err["msg"][:200],
                            type=err["type"]) from None
    except RecursionError:
        raise ScenarioError("not_json", detail="RecursionError") from None


def file_name(scenario: Scenario, today: dt.date | None = None) -> str:
    """The download's file name: ``loan-plan-YYYY-MM-DD.json``.

    >>> file_name(Scenario(), dt.date(2026, 12, 1))
    'loan-plan-2026-12-01.json'
    """
    return f"loan-plan-{(today or dt.date.today()).isoformat()}.json"


__all__ = ["CapacityInputs", "Loan", "OptionSettings", "PlanChoice", "ReadNote", "Scenario",
           "HARDSHIPS", "KitSettings", "ScenarioError", "Source", "TypedRow", "VERSION", "book_of", "file_name", "from_json", "plan_choices", "plan_rows", "source_of", "loans_from_frame", "loans_to_frame",
           "replace_entry"]
