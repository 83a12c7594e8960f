"""Every figure of the year report, as typed results computed from the register.

The notebooks, charts and sentences only read these results; nothing downstream counts
rows itself, so a figure in a sentence, a chart and a table is always the same number.
Tables are small DataFrames with Dutch column names (they are shown as they are).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from klachtlib.domain import classify
from klachtlib.domain.periods import Period, year_period
from klachtlib.reading import behoorlijkheid, vocab
from klachtlib.reading.settings import Settings

# Labels for values the reader should have filled, so group counts always add up.
NO_REASON = "Reden niet vastgelegd"
NO_TEAM = "Team niet vastgelegd"

TREND_COLUMNS: tuple[str, ...] = (
    "jaar",
    "totaal",
    classify.GROUP_HANDLED,
    classify.GROUP_NOT_HANDLED,
    classify.GROUP_OPEN,
    classify.GROUP_PREVENTED,
)
CONTACT_COLUMNS: tuple[str, ...] = ("jaar", "kanaal", "klachten", "contacten", "per_1000")
TEAM_TABLE_COLUMNS: tuple[str, ...] = (
    "klacht_id",
    "datum_ontvangst",
    "status",
    "datum_afgehandeld",
    "behandeling",
    "oordeel",
    "dagen",
    "binnen_termijn",
)

TREND_YEARS = 5  # "Verloop over de jaren" and the key figures: at most the last five years
UPHELD: tuple[str, ...] = ("gegrond", "deels gegrond")  # a (partly) upheld complaint
PER_INHABITANTS = 10_000


def _empty(**columns: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


@dataclass(frozen=True)
class Balance:
    """Stock and flow over a period (shared/spec/report.md, "Stock and flow").

    open_start + received - closed - unplaceable == open_end, always. `unplaceable`: complaints
    received in the period and closed on an unknown date (a status other than `in behandeling`,
    no `datum_afgehandeld`); the balance cannot say when they left the stock, so they leave it
    in the period they came in. `open_start` is None when the register holds no complaint
    received before the period: what was open then is not in it.
    """

    start: date
    end: date
    open_start: int | None
    received: int
    closed: int
    unplaceable: int
    open_end: int
    # every complaint received up to `end` that was closed on an unknown date (validate names them)
    unplaceable_ids: tuple[str, ...] = ()


# Optional columns that may be missing from an export. A column that is empty in every
# complaint of a year is "not recorded" for that year: the report then says so, and never
# counts it as "none" (shared/spec/register.md, "What the register does not record").
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(
    c for c in vocab.CANONICAL_COLUMNS if c not in vocab.REQUIRED_COLUMNS
)
# In `YearFigures.not_recorded` besides optional columns: the export does not record prevented
# complaints (no row has that status and klachten.toml does not say it records them).
PREVENTED_NOT_RECORDED = vocab.PREVENTED

# A register's first year looks incomplete when all its complaints came in during its last weeks,
# or when it has far fewer complaints than the next year (register.md, "Any export").
INCOMPLETE_LAST_WEEKS = 8
INCOMPLETE_SHARE = 0.25  # fewer than a quarter of the next year's complaints ...
INCOMPLETE_MIN_NEXT = 20  # ... when the next year has at least this many (else it says little)
# Why a year is not compared with the year before (`YearFigures.no_comparison`).
BEFORE_START = "vanaf"  # the year before starts before [bestand] vanaf
LATE_START = "laatste weken"  # the year before is the register's first, all in its last weeks
FEW_IN_FIRST_YEAR = "veel minder"  # the year before is the first and has far fewer complaints


# DataFrame fields make generated __eq__/__hash__ meaningless (and raising), hence eq=False.
@dataclass(frozen=True, eq=False)
class YearFigures:
    """All figures for the report over `year` (complaints received in that year)."""

    year: int
    previous_year: int
    total: int
    total_previous: int | None  # None: the register has no rows at all in previous_year
    handled: int
    not_handled: int
    still_open: int
    prevented: int
    not_handled_by_reason: pd.DataFrame  # [reden, aantal]
    handled_per_team: pd.DataFrame  # [team, aantal]
    informal: int  # among handled
    formal: int  # among handled
    treatment_unknown: int  # handled without `behandeling`
    verdicts: pd.DataFrame  # [oordeel, aantal], vocab.VERDICTS order, formal handled only
    verdict_unknown: int  # formal handled without `oordeel`
    median_days: float | None  # handled with a closing date
    closed_count: int  # handled with a closing date
    within_term_count: int
    within_term_share: float | None  # None when nothing closed
    term_weeks: int
    extended_term_weeks: int  # term_weeks + extension_weeks
    ombudsman: int  # complaints of the year later brought to the Nationale ombudsman
    per_nature: pd.DataFrame  # [aard, aantal]
    learning_points_per_team: pd.DataFrame  # [team, aantal]: counts only, never the text
    contacts_per_1000: pd.DataFrame  # [jaar, kanaal, klachten, contacten, per_1000]
    channels_without_data: tuple[str, ...]  # vocab.CHANNELS order
    trend: pd.DataFrame  # [jaar, totaal, afgehandeld, niet_afgehandeld, in_behandeling, voorkomen]
    # Optional columns empty in every complaint of the year (see `not_recorded`).
    not_recorded: frozenset[str] = frozenset()
    # Closed handled complaints within the basic term / within basic + extension, whatever
    # `verdaagd` says: the two shares the report states when extensions are not recorded.
    within_basic_count: int = 0
    within_extended_count: int = 0
    ombudsman_unknown: int = 0  # complaints of the year with an empty `ombudsman` cell
    forwarded: int = 0  # not handled because forwarded (`doorgestuurd`): the sentence says so
    # Why `total_previous` is None although the register has rows in the year before ("" when it
    # is compared or has no such rows): BEFORE_START, LATE_START or FEW_IN_FIRST_YEAR.
    no_comparison: str = ""
    complete_from: date | None = None  # [bestand] vanaf, for the sentence that says why
    left_out_years: tuple[int, ...] = ()  # years before this one the trend leaves out (incomplete)
    # --- issue 22: beyond the seed
    period: Period | None = None  # a half-year, quarter, ... of `year`; None: the calendar year
    balance: Balance | None = None  # None: `datum_afgehandeld` not recorded
    upheld: int = 0  # handled with a verdict gegrond / deels gegrond
    upheld_without_norm: int = 0  # ... of which no behoorlijkheidsnorm recorded
    norms_per_cluster: pd.DataFrame = field(default_factory=lambda: _empty(cluster="str", aantal="int64"))
    norms_per_norm: pd.DataFrame = field(  # only norms named at least once, most first
        default_factory=lambda: _empty(nummer="int64", norm="str", cluster="str", aantal="int64")
    )
    ombudsman_outcomes: pd.DataFrame = field(default_factory=lambda: _empty(uitkomst="str", aantal="int64"))
    ombudsman_outcome_unknown: int = 0  # brought to the ombudsman, no outcome recorded
    # handled per team with the same period a year earlier (`vorig`: NA when not in the register)
    # and the formal verdicts: (partly) upheld (`gegrond`) of `oordelen` recorded
    teams_compared: pd.DataFrame = field(
        default_factory=lambda: _empty(
            team="str", aantal="int64", vorig="Int64", gegrond="int64", oordelen="int64"
        )
    )
    inhabitants: int | None = None  # [inwoners] of `year`

    @property
    def when(self) -> str:
        """The period in a sentence: '2024', 'het eerste halfjaar van 2025'."""
        return self.period.in_text if self.period else str(self.year)

    @property
    def previous_when(self) -> str:
        """The period compared with: '2023', 'het eerste halfjaar van 2024'."""
        return self.period.year_earlier().in_text if self.period else str(self.previous_year)

    @property
    def name(self) -> str:
        """The period in a title: '2024', 'eerste halfjaar 2025'."""
        return self.period.name if self.period else str(self.year)

    @property
    def slug(self) -> str:
        """The period in file names: '2024', '2025-H1'."""
        return self.period.slug if self.period else str(self.year)

    @property
    def bounds(self) -> Period:
        """The period's days (also for a calendar year)."""
        return self.period or year_period(self.year)

    @property
    def per_10000(self) -> float | None:
        """Complaints per 10,000 inhabitants; None without [inwoners] for the year."""
        return self.total / self.inhabitants * PER_INHABITANTS if self.inhabitants else None


@dataclass(frozen=True)
class Counts:
    """Headline counts for a team or the whole municipality, side by side in an overview."""

    total: int
    handled: int
    median_days: float | None
    closed_count: int
    within_term_count: int
    within_term_share: float | None  # None also when verdaagd is not recorded and it matters
    within_basic_count: int = 0
    within_extended_count: int = 0
    extension_recorded: bool = True
    term_weeks: int = vocab.DEFAULT_TERM_WEEKS
    extended_term_weeks: int = vocab.DEFAULT_TERM_WEEKS + vocab.DEFAULT_EXTENSION_WEEKS


@dataclass(frozen=True, eq=False)
class TeamFigures:
    """A team's overview for its manager (internal: holds the learning points)."""

    year: int
    team: str
    complaints: pd.DataFrame  # TEAM_TABLE_COLUMNS, no learning points
    learning_points: list[str]
    counts: Counts
    municipality: Counts
    not_recorded: frozenset[str] = frozenset()  # of the whole year, as in the year report


def _tally(values: pd.Series, missing: str | None = None) -> Counter[str]:
    """How often each value occurs, as text; NA counted as `missing`, or left out. Counted first
    and only then turned into text: once per distinct value, not per row."""
    totals: Counter[str] = Counter()
    for value, count in values.value_counts(sort=False, dropna=missing is None).items():
        totals[str(missing) if pd.isna(value) else str(value)] += int(count)
    return totals


def _counted(values: pd.Series, column: str, missing: str | None = None) -> pd.DataFrame:
    """Value counts as [column, aantal], most first, ties alphabetical (case-insensitive); NA
    counted as `missing`, or left out."""
    ordered = sorted(_tally(values, missing).items(), key=lambda vc: (-vc[1], vc[0].casefold(), vc[0]))
    return pd.DataFrame(
        {
            column: pd.Series([value for value, _ in ordered], dtype=object),
            "aantal": pd.Series([count for _, count in ordered], dtype="int64"),
        }
    )


SMALL_GROUPS = "overig"  # what a kind of complaint too rare to show is published as


def small_groups_together(counts: pd.DataFrame, column: str, minimum: int) -> pd.DataFrame:
    """Counts of fewer than `minimum` (the `[woo] minimum` of klachten.toml) summed as one last
    row "overig": a kind of complaint that occurred once ("discriminatie door medewerker 1")
    must not be published beside a Woo overview that hides it for that reason."""
    small = counts["aantal"].lt(max(1, int(minimum))) | counts[column].eq(SMALL_GROUPS)
    if not small.any():
        return counts
    rest = pd.DataFrame({column: [SMALL_GROUPS], "aantal": [int(counts.loc[small, "aantal"].sum())]})
    return pd.concat([counts[~small], rest], ignore_index=True).astype({"aantal": "int64"})


def not_recorded(complaints: pd.DataFrame) -> frozenset[str]:
    """Optional columns with no value in any of these complaints: not recorded, never "none".

    A year without complaints records nothing and claims nothing, so the set is empty then.
    """
    if complaints.empty:
        return frozenset()
    return frozenset(c for c in OPTIONAL_COLUMNS if not _any_value(complaints[c]))


def _any_value(values: pd.Series) -> bool:
    """Whether any value is present. A recorded column nearly always has one in its first rows:
    those are looked at first, the whole column only when they are all empty."""
    return bool(values.iloc[:64].notna().any() or values.notna().any())


def years_recording(register: pd.DataFrame, column: str) -> set[int]:
    """Receipt years in which some complaint has a value in `column` (all years in one pass)."""
    complaint = classify.is_complaint(register)
    recorded = register[column].notna()[complaint].groupby(classify.receipt_year(register)[complaint]).any()
    return {int(year) for year in recorded.index[recorded.to_numpy(dtype=bool)]}


def handling_days(frame: pd.DataFrame, settings: Settings, extension_recorded: bool = True) -> pd.DataFrame:
    """Per row: calendar days receipt -> closing (`dagen`) and closed within term (`binnen_termijn`).

    The term is settings.term_weeks, plus settings.extension_weeks when `verdaagd` is True
    (Awb 9:11). Both columns are NA when the closing date is unknown. When extensions are
    not recorded at all (`extension_recorded=False`), a complaint closed after the basic
    term but within the extended one may or may not have been in time: NA, not a guess.
    """
    days = (frame["datum_afgehandeld"] - frame["datum_ontvangst"]).dt.days.astype("Int64")
    basic = settings.term_weeks * 7
    longest = (settings.term_weeks + settings.extension_weeks) * 7
    if not extension_recorded:
        within = days.le(basic).astype("boolean").mask(days.gt(basic) & days.le(longest))
        return pd.DataFrame({"dagen": days, "binnen_termijn": within}, index=frame.index)
    extended = frame["verdaagd"].astype("boolean").fillna(False).astype(bool)
    limit = pd.Series(basic, index=frame.index, dtype="Int64").where(~extended, longest)
    return pd.DataFrame(
        {"dagen": days, "binnen_termijn": days.le(limit).astype("boolean")}, index=frame.index
    )


def _counts(
    complaints: pd.DataFrame,
    settings: Settings,
    extension_recorded: bool = True,
    done: pd.DataFrame | None = None,
) -> Counts:
    """Total, handled and handling time of a set of complaints (time over handled only);
    `done`: `classify.handled(complaints)`, when selected already."""
    done = classify.handled(complaints) if done is None else done
    timing = handling_days(done, settings, extension_recorded)
    closed = timing["dagen"].dropna()
    within = int(timing["binnen_termijn"].sum(skipna=True))
    undecided = int(timing["binnen_termijn"].isna().sum()) - (len(timing) - len(closed))
    basic = settings.term_weeks * 7
    longest = (settings.term_weeks + settings.extension_weeks) * 7
    return Counts(
        total=len(complaints),
        handled=len(done),
        median_days=float(closed.median()) if len(closed) else None,
        closed_count=len(closed),
        within_term_count=within,
        within_term_share=within / len(closed) if len(closed) and not undecided else None,
        within_basic_count=int(closed.le(basic).sum()),
        within_extended_count=int(closed.le(longest).sum()),
        extension_recorded=extension_recorded,
        term_weeks=settings.term_weeks,
        extended_term_weeks=settings.term_weeks + settings.extension_weeks,
    )


def _extension_recorded(
    complaints: pd.DataFrame, settings: Settings, unrecorded: frozenset[str] | None = None
) -> bool:
    """Whether `verdaagd` can decide "within term": recorded, or no extension exists at all.
    `unrecorded`: `not_recorded(complaints)`, when known already."""
    unrecorded = not_recorded(complaints) if unrecorded is None else unrecorded
    return settings.extension_weeks == 0 or "verdaagd" not in unrecorded


def trend(register: pd.DataFrame, months: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Rows per receipt year and status group for every year in the register, ascending.

    `totaal` counts complaints only; `voorkomen` is shown beside it, never inside it. With
    `months` only rows received in those months of each year (the same period every year).
    """
    if months:
        register = register[register["datum_ontvangst"].dt.month.isin(months)]
    per_year = register["status"].groupby(classify.receipt_year(register))
    return _trend_table((int(year), statuses.value_counts(sort=False)) for year, statuses in per_year)


def _trend_table(statuses_per_year: Iterable[tuple[int, pd.Series]]) -> pd.DataFrame:
    """The trend from each year's rows per status (`trend`, or `PeriodRows.statuses`): a year
    is in it when it has a row of a known status."""
    handled_groups = (classify.GROUP_HANDLED, classify.GROUP_NOT_HANDLED, classify.GROUP_OPEN)
    rows = []
    for year, statuses in statuses_per_year:
        known = [
            (classify.STATUS_GROUP[s], int(n)) for s, n in statuses.items() if s in classify.STATUS_GROUP
        ]
        if not any(n for _, n in known):
            continue
        per_group = dict.fromkeys(classify.GROUPS, 0)
        for group, count in known:
            per_group[group] += count
        rows.append({"jaar": year, "totaal": sum(per_group[g] for g in handled_groups), **per_group})
    table = pd.DataFrame(rows, columns=list(TREND_COLUMNS)).astype("int64")
    return table.sort_values("jaar").reset_index(drop=True)


def _reasons(not_handled: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """[reden, aantal]: most first, ties in catalogue order, then alphabetical."""
    table = _counted(not_handled["reden"], "reden", NO_REASON)
    rank = table["reden"].map(settings.reason_rank)
    order = pd.DataFrame({"a": -table["aantal"], "r": rank, "k": table["reden"].str.casefold()})
    return table.loc[order.sort_values(["a", "r", "k"], kind="stable").index].reset_index(drop=True)


def _verdicts(formal: pd.DataFrame) -> pd.DataFrame:
    """[oordeel, aantal] in vocabulary order, zeros kept, so every year's table looks alike."""
    counts = formal["oordeel"].value_counts().reindex(list(vocab.VERDICTS), fill_value=0)
    return pd.DataFrame({"oordeel": list(vocab.VERDICTS), "aantal": counts.to_numpy(dtype="int64")})


def _learning_points(frame: pd.DataFrame) -> pd.Series:
    """True where `leerpunt` holds text (not NA, not only spaces)."""
    codes, uniques = pd.factorize(frame["leerpunt"])  # each distinct text looked at once
    filled = np.array([str(u).strip() != "" for u in uniques] + [False], dtype=bool)
    return pd.Series(filled[codes], index=frame.index)


def _contacts_per_1000(register: pd.DataFrame, contacts: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Complaints per 1,000 contacts per (jaar, kanaal) where the volume is known and > 0."""
    complaints = register.loc[classify.is_complaint(register), ["kanaal", "datum_ontvangst"]]
    per_channel = (
        pd.DataFrame(
            {"jaar": classify.receipt_year(complaints), "kanaal": complaints["kanaal"].astype(object)}
        )
        .dropna()
        .value_counts()
    )
    counted = ((year, channel, n) for (year, channel), n in per_channel.items())
    return _contacts_table(contacts, _complaints_per_channel(counted), years)


def _complaints_per_channel(counted: Iterable[tuple[int, str, int]]) -> pd.DataFrame:
    """[jaar, kanaal, klachten] from (jaar, kanaal, klachten)."""
    frame = pd.DataFrame(list(counted), columns=["jaar", "kanaal", "klachten"])
    return frame.astype({"jaar": "int64", "kanaal": "str", "klachten": "int64"})


def _contacts_table(contacts: pd.DataFrame, per_channel: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Complaints per 1,000 contacts per (jaar, kanaal) where the volume is known and > 0, from
    the complaints per channel ([jaar, kanaal, klachten])."""
    known = contacts[contacts["aantal"].astype("Int64").gt(0).fillna(False).astype(bool)]
    known = known[known["jaar"].isin(years)]
    frame = pd.DataFrame(
        {
            "jaar": known["jaar"].astype("int64").to_numpy(),
            "kanaal": known["kanaal"].astype(object).to_numpy(),
            "contacten": known["aantal"].astype("int64").to_numpy(),
        }
    ).astype({"kanaal": "str"})  # also when empty: the same dtype for every year
    frame = frame.merge(per_channel, on=["jaar", "kanaal"], how="left")
    frame["klachten"] = frame["klachten"].fillna(0).astype("int64")
    frame["per_1000"] = frame["klachten"] / frame["contacten"] * 1000.0
    channel_rank = (
        frame["kanaal"].map({c: i for i, c in enumerate(vocab.CHANNELS)}).fillna(len(vocab.CHANNELS))
    )
    frame = frame.assign(_r=channel_rank).sort_values(["jaar", "_r", "kanaal"], kind="stable")
    return frame[list(CONTACT_COLUMNS)].reset_index(drop=True)


def _channels_without_data(contacts: pd.DataFrame, year: int) -> tuple[str, ...]:
    """Channels whose volume for `year` is explicitly unknown (empty `aantal`)."""
    unknown = set(contacts.loc[contacts["jaar"].eq(year) & contacts["aantal"].isna(), "kanaal"].astype(str))
    known_order = [c for c in vocab.CHANNELS if c in unknown]
    return (*known_order, *sorted(unknown - set(vocab.CHANNELS)))


def incomplete_first_year(register: pd.DataFrame, settings: Settings) -> tuple[int, str] | None:
    """The register's first year and why, when it looks incomplete: its complaints all received
    in its last weeks, or far fewer than in the next year. With `[bestand] vanaf` the register
    says itself where it is complete: then only a first year that starts before that date is."""
    complaints = register.loc[classify.is_complaint(register), ["datum_ontvangst"]]
    years = classify.receipt_year(complaints)
    present = sorted(int(y) for y in years.dropna().unique())
    if not present:
        return None
    first = present[0]
    if settings.complete_from is not None:
        return (first, BEFORE_START) if settings.complete_from > date(first, 1, 1) else None
    if len(present) < 2 or present[1] != first + 1:
        return None
    received = complaints.loc[years.eq(first).fillna(False).astype(bool).to_numpy(), "datum_ontvangst"]
    last_weeks = pd.Timestamp(first, 12, 31) - pd.Timedelta(weeks=INCOMPLETE_LAST_WEEKS)
    if received.min() > last_weeks:
        return first, LATE_START
    following = int(years.eq(first + 1).sum())
    if following >= INCOMPLETE_MIN_NEXT and len(received) < INCOMPLETE_SHARE * following:
        return first, FEW_IN_FIRST_YEAR
    return None


def comparable_years(
    register: pd.DataFrame,
    settings: Settings,
    year: int,
    earlier_start: date | None = None,
    wide: RegisterWide | None = None,
) -> tuple[list[int], str]:
    """The register's years up to `year` that the report may compare `year` with (and `year`
    itself), and why the period a year earlier (starting `earlier_start`, default 1 January of
    the year before) is not compared ("" when it is, or the register has no rows then).

    Never a period that starts before `[bestand] vanaf`, nor one in an incomplete first year."""
    incomplete = wide.incomplete if wide is not None else incomplete_first_year(register, settings)
    start = settings.complete_from

    def why(y: int, first_day: date | None = None) -> str:
        if start is not None and (first_day or date(y, 1, 1)) < start:
            return BEFORE_START
        return incomplete[1] if incomplete is not None and incomplete[0] == y else ""

    years = [y for y in (wide.years if wide is not None else classify.years_in(register)) if y <= year]
    kept = [y for y in years if y == year or not why(y)]
    previous = why(year - 1, earlier_start)
    return kept, previous if year - 1 in years or previous == BEFORE_START else ""


@dataclass(frozen=True)
class PeriodRows:
    """The rows of one period as the figures select them: its complaints, the handled ones and
    how many per team, how many were prevented, and whether it has any row at all (complaint or
    prevented); its rows per status and complaints per channel (what `RegisterWide` sums over
    the years). A year's serve again as the next year's previous ones (`figures_per_year`)."""

    complaints: pd.DataFrame
    handled: pd.DataFrame
    handled_per_team: pd.DataFrame  # [team, aantal], as `_counted` gives it
    any_rows: bool
    statuses: pd.Series  # rows per status
    channels: pd.Series  # complaints per kanaal (recorded ones)

    @property
    def prevented(self) -> int:
        return int(self.statuses.get(vocab.PREVENTED, 0))

    @classmethod
    def of(cls, rows: pd.DataFrame) -> PeriodRows:
        statuses = rows["status"].value_counts(sort=False)
        if statuses.sum() == len(rows) and statuses.index.isin(classify.COMPLAINT_STATUSES).all():
            complaints = rows  # every row a complaint (no prevented one): nothing to select
        else:
            complaints = rows[classify.is_complaint(rows)]
        handled = classify.handled(complaints)
        return cls(
            complaints=complaints,
            handled=handled,
            handled_per_team=_counted(handled["team"], "team", NO_TEAM),
            any_rows=len(rows) > 0,
            statuses=statuses,
            channels=complaints["kanaal"].value_counts(sort=False),
        )


@dataclass(frozen=True)
class RegisterWide:
    """What every year's figures take from the whole register, computed once for all years
    (`figures_per_year`): each year's rows (grouped once; a year's complaints serve again as
    the next year's previous ones), the trend, the years that may be compared, the years
    recording the channel, the contact ratios of every year."""

    periods: dict[int, PeriodRows]
    stock: Stock  # what `balance` reads of every complaint
    trend: pd.DataFrame
    years: list[int]
    incomplete: tuple[int, str] | None
    channel_years: set[int]
    contacts_per_1000: pd.DataFrame
    prevented_anywhere: bool

    def period(self, year: int, register: pd.DataFrame) -> PeriodRows:
        """The rows of `year`; none (selected from no rows of `register`) when it has none."""
        found = self.periods.get(year)
        return found if found is not None else PeriodRows.of(register.iloc[:0])

    @classmethod
    def of(cls, register: pd.DataFrame, contacts: pd.DataFrame, settings: Settings) -> RegisterWide:
        periods = {year: PeriodRows.of(rows) for year, rows in _rows_per_year(register)}
        channel_years = {year for year, p in periods.items() if len(p.channels)}  # as `years_recording`
        per_channel = ((year, channel, n) for year, p in periods.items() for channel, n in p.channels.items())
        return cls(
            periods=periods,
            stock=Stock.of(register),
            trend=_trend_table((year, p.statuses) for year, p in periods.items()),
            years=sorted(periods),
            incomplete=incomplete_first_year(register, settings),
            channel_years=channel_years,
            contacts_per_1000=_contacts_table(
                contacts, _complaints_per_channel(per_channel), sorted(channel_years)
            ),
            prevented_anywhere=bool(register["status"].isin([vocab.PREVENTED]).any()),
        )


def _rows_per_year(register: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame]]:
    """Each receipt year's rows, years ascending, rows in register order. The reader gives the
    register in receipt order (unknown dates last): then every year is a slice of it, no copy."""
    received = classify.receipt_year(register)
    dated = int(received.notna().sum())
    years = received.iloc[:dated]
    if not (years.notna().all() and years.is_monotonic_increasing):
        yield from ((int(year), rows) for year, rows in register.groupby(received, sort=True))
        return
    values = years.to_numpy(dtype="int64")
    starts = np.flatnonzero(np.diff(values, prepend=values[:1] - 1))  # where a new year begins
    for start, stop in zip(starts, [*starts[1:], dated], strict=True):
        yield int(values[start]), register.iloc[start:stop]


def figures_per_year(
    register: pd.DataFrame, contacts: pd.DataFrame, settings: Settings
) -> dict[int, YearFigures]:
    """Every year's figures (`klachten validate`): the same as `year_figures` per year, with the
    register read through once for what all years share (`RegisterWide`)."""
    wide = RegisterWide.of(register, contacts, settings)
    return {year: year_figures(register, contacts, settings, year, wide=wide) for year in wide.years}


def year_figures(
    register: pd.DataFrame,
    contacts: pd.DataFrame,
    settings: Settings,
    year: int,
    period: Period | None = None,
    wide: RegisterWide | None = None,
) -> YearFigures:
    """Compute every figure of the report over `year`, or over `period` (a half-year, quarter,
    ... of one year) compared with the same period a year earlier.

    The trend and the contact ratios cover the register's years up to and including
    `year`, so a report over an earlier year says what it said when it was first made;
    the trend at most the last five (of a period: the same period in each year). Contact
    volumes are known per year only: a period report has no contact ratios.
    """
    if period is not None and period.is_year:
        year, period = period.start.year, None
    bounds = period or year_period(year)
    year = bounds.start.year
    if wide is not None and period is None:
        return _year_figures(register, contacts, settings, bounds, None, wide)
    return _year_figures(register, contacts, settings, bounds, period, None)


def _year_figures(
    register: pd.DataFrame,
    contacts: pd.DataFrame,
    settings: Settings,
    bounds: Period,
    period: Period | None,
    wide: RegisterWide | None,
) -> YearFigures:
    year = bounds.start.year
    earlier = bounds.year_earlier()
    if wide is not None:
        this, before = wide.period(year, register), wide.period(year - 1, register)
        years, no_comparison = comparable_years(register, settings, year, earlier.start, wide)
        all_years = wide.years
    else:
        this = PeriodRows.of(classify.rows_between(register, bounds.start, bounds.end))
        before = PeriodRows.of(classify.rows_between(register, earlier.start, earlier.end))
        years, no_comparison = comparable_years(register, settings, year, earlier.start)
        all_years = classify.years_in(register)
    complaints, done = this.complaints, this.handled
    # the columns these are counted by: a selection of a few columns, not of every column
    dropped = complaints.loc[classify.is_not_handled(complaints), ["status", "reden"]]
    formal = done.loc[done["behandeling"].isin(["formeel"]), ["oordeel"]]
    unrecorded = not_recorded(complaints)
    headline = _counts(complaints, settings, _extension_recorded(complaints, settings, unrecorded), done)
    left_out = tuple(y for y in all_years if y < year and y not in years)
    # Complaints per channel only for years that record the channel: never "0 via balie".
    recording = wide.channel_years if wide is not None else years_recording(register, "kanaal")
    channel_years = [] if period else sorted(set(years) & recording)
    previous = before if before.any_rows and not no_comparison else None
    trend_table = wide.trend if wide is not None else trend(register, period.months() if period else None)
    if wide is not None:
        ratios = wide.contacts_per_1000
        contact_ratios = ratios[ratios["jaar"].isin(channel_years)].reset_index(drop=True)
    else:
        contact_ratios = _contacts_per_1000(register, contacts, channel_years)
    if wide is not None:
        prevented_anywhere = wide.prevented_anywhere
    else:
        prevented_anywhere = bool(register["status"].isin([vocab.PREVENTED]).any())
    if not settings.prevented_recorded(prevented_anywhere):
        unrecorded |= {PREVENTED_NOT_RECORDED}
    upheld = done.loc[done["oordeel"].isin(list(UPHELD)), [vocab.NORM_COLUMN]]
    return YearFigures(
        year=year,
        previous_year=year - 1,
        total=len(complaints),
        total_previous=None if previous is None else len(previous.complaints),
        handled=len(done),
        not_handled=len(dropped),
        still_open=int(classify.is_open(complaints).sum()),
        prevented=this.prevented,
        not_handled_by_reason=_reasons(dropped, settings),
        handled_per_team=this.handled_per_team,
        informal=int(done["behandeling"].isin(["informeel"]).sum()),
        formal=len(formal),
        treatment_unknown=int(done["behandeling"].isna().sum()),
        verdicts=_verdicts(formal),
        verdict_unknown=int(formal["oordeel"].isna().sum()),
        median_days=headline.median_days,
        closed_count=headline.closed_count,
        within_term_count=headline.within_term_count,
        within_term_share=headline.within_term_share,
        term_weeks=settings.term_weeks,
        extended_term_weeks=settings.term_weeks + settings.extension_weeks,
        ombudsman=int(complaints["ombudsman"].astype("boolean").fillna(False).astype(bool).sum()),
        per_nature=small_groups_together(_counted(complaints["aard"], "aard"), "aard", settings.woo_minimum),
        learning_points_per_team=_counted(
            complaints.loc[_learning_points(complaints), "team"], "team", NO_TEAM
        ),
        contacts_per_1000=contact_ratios,
        channels_without_data=() if period else _channels_without_data(contacts, year),
        trend=trend_table[trend_table["jaar"].isin(years)].tail(TREND_YEARS).reset_index(drop=True),
        not_recorded=unrecorded,
        within_basic_count=headline.within_basic_count,
        within_extended_count=headline.within_extended_count,
        ombudsman_unknown=int(complaints["ombudsman"].isna().sum()),
        forwarded=int(dropped["status"].isin(["doorgestuurd"]).sum()),
        no_comparison=no_comparison,
        complete_from=settings.complete_from,
        left_out_years=left_out,
        period=period,
        balance=None
        if "datum_afgehandeld" in unrecorded
        else balance(register, bounds.start, bounds.end, None if wide is None else wide.stock),
        upheld=len(upheld),
        upheld_without_norm=int(upheld[vocab.NORM_COLUMN].isna().sum()),
        norms_per_cluster=norms_per_cluster(upheld),
        norms_per_norm=norms_per_norm(upheld),
        ombudsman_outcomes=_outcomes(complaints),
        ombudsman_outcome_unknown=int(
            (complaints["ombudsman"].eq(True) & complaints["ombudsman_uitkomst"].isna()).fillna(False).sum()
        ),
        teams_compared=teams_compared(this, previous),
        inhabitants=settings.inhabitants.get(year),
    )


def same_period_earlier(
    register: pd.DataFrame, contacts: pd.DataFrame, settings: Settings, figures: YearFigures, years: int = 1
) -> YearFigures | None:
    """The figures of the same period `years` years before `figures`, computed alike; None when
    the register has no row (complaint or prevented) in that period."""
    earlier = figures.bounds
    for _ in range(years):
        earlier = earlier.year_earlier()
    if classify.rows_between(register, earlier.start, earlier.end).empty:
        return None
    return year_figures(register, contacts, settings, earlier.start.year, earlier)


BALANCE_COLUMNS = ("klacht_id", "datum_ontvangst", "datum_afgehandeld", "status")


@dataclass(frozen=True)
class Stock:
    """Every complaint's receipt and closing day, and which ones closed on an unknown date: what
    `balance` reads, taken from the register once for however many periods it balances."""

    received: np.ndarray  # datetime64, NaT when unknown
    closed: np.ndarray
    unplaceable: np.ndarray  # closed on an unknown date: no datum_afgehandeld, not in behandeling
    ids: pd.Series  # klacht_id as text

    @classmethod
    def of(cls, register: pd.DataFrame) -> Stock:
        complaints = register.loc[classify.is_complaint(register), list(BALANCE_COLUMNS)]
        closed = complaints["datum_afgehandeld"]
        return cls(
            received=complaints["datum_ontvangst"].to_numpy(),
            closed=closed.to_numpy(),
            unplaceable=(closed.isna() & ~complaints["status"].isin([vocab.OPEN])).to_numpy(dtype=bool),
            ids=complaints["klacht_id"].astype(str).reset_index(drop=True),
        )


def balance(register: pd.DataFrame, start: date, end: date, stock: Stock | None = None) -> Balance:
    """Open on `start`, received, closed and open on `end` (shared/spec/report.md, "Stock and flow").

    Closed: `datum_afgehandeld` in the period, whatever the status. Prevented complaints are
    never part of it. A complaint closed on an unknown date (no `datum_afgehandeld`, status not
    `in behandeling`) leaves the stock, uncounted as closed, in the period it was received.
    `stock`: the register's `Stock`, when it was taken already (every year's balance at once).
    """
    stock = stock or Stock.of(register)
    received, closed, unplaceable = stock.received, stock.closed, stock.unplaceable
    first, last = pd.Timestamp(start).to_datetime64(), pd.Timestamp(end).to_datetime64()
    before = received < first  # an unknown date (NaT) compares False: never before, never within
    within = (received >= first) & (received <= last)
    open_on = lambda day: np.isnat(closed) | (closed > day)  # noqa: E731
    up_to_end = before | within
    return Balance(
        start=start,
        end=end,
        open_start=int((before & ~unplaceable & open_on(first - np.timedelta64(1, "D"))).sum())
        if before.any()
        else None,
        received=int(within.sum()),
        closed=int(((closed >= first) & (closed <= last)).sum()),
        unplaceable=int((within & unplaceable).sum()),
        open_end=int((up_to_end & ~unplaceable & open_on(last)).sum()),
        unplaceable_ids=tuple(stock.ids[up_to_end & unplaceable]),
    )


def norms_per_cluster(upheld: pd.DataFrame) -> pd.DataFrame:
    """[cluster, aantal]: (partly) upheld complaints with at least one norm of the cluster, every
    cluster in the ombudsman's order (zeros kept)."""
    named = [behoorlijkheid.norms_in(str(v)) for v in upheld[vocab.NORM_COLUMN].dropna()]
    clusters = list(behoorlijkheid.CLUSTERS)
    counts = [sum(any(n.cluster == cluster for n in norms) for norms in named) for cluster in clusters]
    return pd.DataFrame({"cluster": clusters, "aantal": pd.Series(counts, dtype="int64")})


def norms_per_norm(upheld: pd.DataFrame) -> pd.DataFrame:
    """[nummer, norm, cluster, aantal]: (partly) upheld complaints naming each norm; only norms
    named at least once, most first, ties in the ombudsman's order."""
    named = [n for v in upheld[vocab.NORM_COLUMN].dropna() for n in behoorlijkheid.norms_in(str(v))]
    found = sorted(set(named), key=lambda n: (-named.count(n), n.number))
    return pd.DataFrame(
        {
            "nummer": pd.Series([n.number for n in found], dtype="int64"),
            "norm": pd.Series([n.name for n in found], dtype="str"),
            "cluster": pd.Series([n.cluster for n in found], dtype="str"),
            "aantal": pd.Series([named.count(n) for n in found], dtype="int64"),
        }
    )


def _outcomes(complaints: pd.DataFrame) -> pd.DataFrame:
    """[uitkomst, aantal] at the Nationale ombudsman, in vocabulary order, zeros kept."""
    outcomes = list(vocab.OMBUDSMAN_OUTCOMES)
    counts = complaints["ombudsman_uitkomst"].value_counts().reindex(outcomes, fill_value=0)
    return pd.DataFrame({"uitkomst": outcomes, "aantal": counts.to_numpy(dtype="int64")})


def teams_compared(this: PeriodRows, previous: PeriodRows | None) -> pd.DataFrame:
    """[team, aantal, vorig, gegrond, oordelen] per team: handled now and in the same period a year
    earlier (`vorig` NA when that period is not in the register), and of the formal verdicts
    recorded (`oordelen`) how many found the complaint (partly) upheld (`gegrond`).

    This period's teams first (most first, as `handled_per_team`), then teams with complaints
    only a year earlier. Renamed teams are one team: the reader applies `[teams]`.
    """
    done = this.handled
    handled = this.handled_per_team.set_index("team")["aantal"].to_dict()  # most first
    before = {} if previous is None else previous.handled_per_team.set_index("team")["aantal"].to_dict()
    teams = [*handled, *(team for team in before if team not in handled)]
    # 'geen oordeel' is no verdict: not in a team's denominator (as in Kerncijfers)
    verdict = done["oordeel"]
    judged = (
        verdict.notna() & ~verdict.isin(["geen oordeel"]) & done["behandeling"].isin(["formeel"])
    ).to_numpy()
    upheld = _tally(done["team"][judged & verdict.isin(list(UPHELD)).to_numpy()], NO_TEAM)
    verdicts = _tally(done["team"][judged], NO_TEAM)
    return pd.DataFrame(
        {
            "team": pd.Series(teams, dtype=object),
            "aantal": pd.Series([handled.get(team, 0) for team in teams], dtype="int64"),
            "vorig": pd.Series(
                [before.get(team, 0) if previous is not None else pd.NA for team in teams], dtype="Int64"
            ),
            "gegrond": pd.Series([upheld.get(team, 0) for team in teams], dtype="int64"),
            "oordelen": pd.Series([verdicts.get(team, 0) for team in teams], dtype="int64"),
        }
    )


def teams_of_year(register: pd.DataFrame, year: int) -> list[str]:
    """Teams with at least one complaint in `year`: one overview each, sorted by name."""
    teams = classify.complaints_of_year(register, year)["team"].dropna().astype(str).unique()
    return sorted(teams, key=lambda t: (t.casefold(), t))


def team_table_columns(unrecorded: frozenset[str]) -> list[str]:
    """The team table's columns, without those the year does not record (a column of 'onbekend'
    says nothing; the overview says in a sentence what is not recorded)."""
    dropped: set[str] = {c for c in ("behandeling", "oordeel", "datum_afgehandeld") if c in unrecorded}
    if "datum_afgehandeld" in unrecorded:
        dropped |= {"dagen", "binnen_termijn"}
    return [c for c in TEAM_TABLE_COLUMNS if c not in dropped]


def team_figures(register: pd.DataFrame, settings: Settings, year: int, team: str) -> TeamFigures:
    """The overview of one team: its complaints of `year`, learning points and counts.

    The table holds every complaint of the year for the team (any status but `voorkomen`,
    with `status` so a withdrawn complaint is not mistaken for a late one); the learning
    points are a separate list, never a table column.
    """
    complaints = classify.complaints_of_year(register, year)
    extension_recorded = _extension_recorded(complaints, settings)
    own = complaints[complaints["team"].isin([team])].sort_values(
        ["datum_ontvangst", "klacht_id"], kind="stable"
    )
    timing = handling_days(own, settings, extension_recorded)
    table = pd.concat([own, timing], axis=1)[team_table_columns(not_recorded(complaints))]
    points = own.loc[_learning_points(own), "leerpunt"].astype(str).str.strip().tolist()
    return TeamFigures(
        year=year,
        team=team,
        complaints=table.reset_index(drop=True),
        learning_points=points,
        counts=_counts(own, settings, extension_recorded),
        municipality=_counts(complaints, settings, extension_recorded),
        not_recorded=not_recorded(complaints),
    )
