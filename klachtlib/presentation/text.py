"""Dutch text for the report: number formatting, generated sentences and the narrative.

Every number a reader sees goes through `format_*` here (babel, nl_NL), and every sentence
with a figure is built from `YearFigures`, so the text can never disagree with the tables.
The wording for the seed's case is exactly the seed's (shared/spec/report.md).

The narrative (`toelichting/<jaar>.md`) is the coordinator's own markdown; its placeholders
are filled in a bounded Jinja2 sandbox and its Markdown becomes sanitised HTML (both in
`klachtlib.presentation.narrative`). An unknown placeholder is an error, so a figure in the narrative is
always the computed one.
"""

from __future__ import annotations

import decimal
import difflib
import numbers
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import jinja2
import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import format_percent as babel_format_percent
from babel.units import format_unit
from jinja2 import meta, nodes

from klachtlib import config
from klachtlib.domain import counts
from klachtlib.domain.counts import Counts, TeamFigures, YearFigures
from klachtlib.domain.measure_counts import MeasureFigures
from klachtlib.errors import DataError, Problem
from klachtlib.presentation import narrative
from klachtlib.presentation.narrative import NarrativeEnvironment, NarrativeError
from klachtlib.reading.narrative_source import NARRATIVE_DIR, narrative_path, read_narrative_source
from klachtlib.reading.vocab import CHANNELS, normalise_key

LOCALE = config.LOCALE
PERCENT_PATTERN = "#,##0.#%"  # 12,5% and 94% (no ",0" for whole percentages)
SHARE_PATTERN = "#,##0.0%"  # one decimal, for a column of shares: 94,0% beside 92,4%
UNKNOWN = "onbekend"  # value of a placeholder whose figure does not exist (e.g. no previous year)
_PLURAL = Locale.parse(LOCALE).plural_form  # 1 -> "one", anything else -> "other" (Dutch)


# --- formatting -------------------------------------------------------------------------


def _half_up() -> AbstractContextManager[decimal.Context]:
    """Round half up (12,25% -> 12,3%) as readers expect, not babel's default half-to-even."""
    return decimal.localcontext(rounding=decimal.ROUND_HALF_UP)


def format_number(value: float | None, decimals: int | None = None, *, grouping: bool = True) -> str:
    """1234 -> '1.234'; with `decimals`, a fixed number of decimals ('2,50'), rounded half up.

    `grouping=False` drops the thousands separator (years: 2024, not 2.024). Missing -> ''.
    The one number formatter of the package: sentences, tables and chart labels all use it.
    """
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, bool | np.bool_):
        raise TypeError("format_number: een ja/nee-waarde is geen getal")
    whole = "#,##0" if grouping else "0"
    number: float | decimal.Decimal = value
    if decimals is None:
        pattern = None if grouping else "0.###"
    else:
        pattern = whole + ("." + "0" * decimals if decimals else "")
        if not isinstance(value, numbers.Integral):
            number = decimal.Decimal(repr(float(value)))  # 2.675 is 2.675, not 2.67499999...
    with _half_up():
        return babel_format_decimal(number, format=pattern, locale=LOCALE)


def format_percent(share: float | None) -> str:
    """0.125 -> '12,5%', 0.94 -> '94%' (a share between 0 and 1). Missing -> ''."""
    if share is None or pd.isna(share):
        return ""
    with _half_up():
        return babel_format_percent(share, format=PERCENT_PATTERN, locale=LOCALE)


def format_share(share: float | None) -> str:
    """0.571428 -> '57,1%', 0.5 -> '50,0%': always one decimal (one precision per column of
    shares), rounded half up. Missing -> ''."""
    if share is None or pd.isna(share):
        return ""
    with _half_up():
        return babel_format_percent(decimal.Decimal(repr(float(share))), SHARE_PATTERN, locale=LOCALE)


def format_date(value: date | datetime | pd.Timestamp | None) -> str:
    """date(2026, 11, 27) -> '27 november 2026'. Missing (None/NaT) -> ''."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return babel_format_date(value, format="long", locale=LOCALE)


def format_days(days: float | None) -> str:
    """1 -> '1 dag', 23 -> '23 dagen', 23.5 -> '23,5 dagen'. Missing -> ''."""
    if days is None or pd.isna(days):
        return ""
    with _half_up():
        return format_unit(days, "duration-day", locale=LOCALE, format="#,##0.#")


def counted(count: int, singular: str, plural: str) -> str:
    """'1 klacht' / '3 klachten', the number formatted the Dutch way; the noun chosen by CLDR's
    Dutch plural rule (babel)."""
    return f"{format_number(count)} {singular if _PLURAL(count) == 'one' else plural}"


def listed(parts: Sequence[str], style: Literal["standard", "or"] = "standard") -> str:
    """['a', 'b', 'c'] -> 'a, b en c' ("or": 'a, b of c'): CLDR's Dutch list patterns (babel)."""
    return format_list(list(parts), style=style, locale=LOCALE)


# --- sentences of "Cijfers klachtenbehandeling" -----------------------------------------

TREND_FEWER = "Daling aantal klachten"
TREND_MORE = "Stijging aantal klachten"
TREND_EQUAL = "Aantal klachten gelijk"
TREND_FIRST_YEAR = "Aantal klachten"  # no earlier year in the data: nothing to compare with
TREND_HEADINGS: tuple[str, ...] = (TREND_FEWER, TREND_MORE, TREND_EQUAL, TREND_FIRST_YEAR)


def trend_heading(figures: YearFigures) -> str:
    """Heading of section 4, following the data; 'Aantal klachten' when there is no earlier year."""
    if figures.total_previous is None:
        return TREND_FIRST_YEAR
    if figures.total < figures.total_previous:
        return TREND_FEWER
    if figures.total > figures.total_previous:
        return TREND_MORE
    return TREND_EQUAL


def total_sentence(figures: YearFigures) -> str:
    """'Het aantal klachten is gedaald t.o.v. 2023 van 83 naar 64.' and the other cases; without a
    comparison with the year before the register holds, also why (`no_comparison_sentence`)."""
    year, total, before = figures.when, figures.total, figures.total_previous
    if before is None:
        if total == 0:
            received = f"In {year} zijn geen klachten ontvangen."
        else:
            verb = "is" if total == 1 else "zijn"
            received = f"In {year} {verb} {counted(total, 'klacht', 'klachten')} ontvangen."
        why = no_comparison_sentence(figures)
        return f"{received} {why}" if why else received
    if total == before:
        return (
            f"Het aantal klachten is gelijk gebleven t.o.v. {figures.previous_when} ({format_number(total)})."
        )
    change = "gedaald" if total < before else "gestegen"
    return (
        f"Het aantal klachten is {change} t.o.v. {figures.previous_when} "
        f"van {format_number(before)} naar {format_number(total)}."
    )


def no_comparison_sentence(figures: YearFigures) -> str | None:
    """Why the year is not compared with the year before, which the register does hold (or which
    lies before `[bestand] vanaf`); None when it is compared or the register has nothing to say."""
    previous, why = figures.previous_year, figures.no_comparison
    if not why:
        return None
    lead = f"Met {figures.previous_when} wordt niet vergeleken:"
    if why == counts.BEFORE_START and figures.complete_from is not None:
        return f"{lead} het register is pas volledig vanaf {format_date(figures.complete_from)}."
    if why == counts.LATE_START:
        return f"{lead} het register begint pas in de laatste weken van {previous}; dat jaar is onvolledig."
    return (
        f"{lead} het register telt over {previous} veel minder klachten dan over {previous + 1} en lijkt "
        f"over {previous} onvolledig."
    )


def left_out_years_sentence(figures: YearFigures) -> str | None:
    """'2022 staat niet in dit overzicht: ...' for the years the trend leaves out; None if none."""
    years = figures.left_out_years
    if not years:
        return None
    named = listed([str(y) for y in years])
    verb = "staat" if len(years) == 1 else "staan"
    if figures.complete_from is not None:
        start = format_date(figures.complete_from)
        return f"{named} {verb} niet in dit overzicht: het register is pas volledig vanaf {start}."
    return f"{named} {verb} niet in dit overzicht: het register lijkt over dat jaar onvolledig."


def not_handled_sentence(figures: YearFigures) -> str:
    """Lead-in of the reason list: '14 klachten zijn afgebroken, ... Redenen:'. When some were
    forwarded, the group's name says so ('..., niet ontvankelijk verklaard of doorgestuurd');
    without forwarded complaints the wording is exactly the seed's."""
    n = figures.not_handled
    group = (
        "afgebroken, ingetrokken, niet ontvankelijk verklaard of doorgestuurd"
        if figures.forwarded
        else "afgebroken, ingetrokken of niet ontvankelijk verklaard"
    )
    if n == 0:
        return "Er zijn geen klachten afgebroken, ingetrokken of niet ontvankelijk verklaard."
    if n == 1:
        return f"1 klacht is {group}. Reden:"
    return f"{format_number(n)} klachten zijn {group}. Redenen:"


def reason_bullets(figures: YearFigures) -> list[str]:
    """One bullet per reason, most frequent first: '... (4x);', the last one ending in '.'."""
    table = figures.not_handled_by_reason
    reasons = table["reden"].astype(str).str.strip().str.rstrip(".;").str.strip()
    bullets = (reasons + " (" + table["aantal"].map(format_number) + "x);").tolist()
    if bullets:
        bullets[-1] = bullets[-1][:-1] + "."
    return bullets


def handled_per_team_sentence(figures: YearFigures) -> str:
    """Lead-in of the per-team chart: 'De 50 afgehandelde klachten hadden betrekking op ...'."""
    n = figures.handled
    if n == 0:
        return f"Er zijn in {figures.when} geen klachten inhoudelijk afgehandeld."
    if n == 1:
        return "De 1 afgehandelde klacht had betrekking op het volgende team:"
    teams = "het volgende team" if len(figures.handled_per_team) == 1 else "de volgende teams"
    return f"De {format_number(n)} afgehandelde klachten hadden betrekking op {teams}:"


def still_open_sentence(figures: YearFigures) -> str | None:
    """'3 klachten waren ... nog in behandeling.'; None when nothing is open."""
    n = figures.still_open
    if n == 0:
        return None
    verb = "was" if n == 1 else "waren"
    complaints = counted(n, "klacht", "klachten")
    return f"{complaints} {verb} bij het opstellen van dit overzicht nog in behandeling."


def prevented_sentence(figures: YearFigures) -> str | None:
    """'In 2024 zijn 15 situaties geregistreerd waarin een klacht is voorkomen.'; None when the
    export does not record prevented complaints (then the report says nothing about them)."""
    n, year = figures.prevented, figures.when
    if counts.PREVENTED_NOT_RECORDED in figures.not_recorded:
        return None
    if n == 0:
        return f"In {year} zijn geen situaties geregistreerd waarin een klacht is voorkomen."
    verb = "is" if n == 1 else "zijn"
    situations = counted(n, "situatie", "situaties")
    return f"In {year} {verb} {situations} geregistreerd waarin een klacht is voorkomen."


# How each channel's contacts are named in running text, and the order they are listed in.
CHANNEL_PHRASES: dict[str, str] = {
    "balie": "baliecontacten",
    "telefoon": "telefonische contacten",
    "e-mail": "e-mailcontacten",
    "webformulier": "contacten via het webformulier",
    "brief": "brieven",
    "sociale media": "contacten via sociale media",
    "anders": "overige contacten",
}
CHANNEL_PHRASE_ORDER: tuple[str, ...] = (
    "balie",
    "telefoon",
    "e-mail",
    *(c for c in CHANNELS if c not in ("balie", "telefoon", "e-mail")),
)


def contacts_without_data_sentence(figures: YearFigures) -> str | None:
    """'Over de baliecontacten, ... en e-mailcontacten zijn geen gegevens bekend.'; None if all known."""
    missing = set(figures.channels_without_data)
    if not missing:
        return None
    ordered = [c for c in CHANNEL_PHRASE_ORDER if c in missing] + sorted(missing - set(CHANNEL_PHRASE_ORDER))
    phrases = [CHANNEL_PHRASES.get(c, f"contacten via {c}") for c in ordered]
    return f"Over de {listed(phrases)} zijn geen gegevens bekend."


# --- sentences of "Wijze van klachtbehandeling" -----------------------------------------


def treatment_sentence(figures: YearFigures) -> str | None:
    """Informal/formal split of the handled complaints; None when none were handled."""
    n, informal, formal, unknown = (
        figures.handled,
        figures.informal,
        figures.formal,
        figures.treatment_unknown,
    )
    if n == 0:
        return None
    if n == 1:
        if unknown:
            return "Bij de afgehandelde klacht is de wijze van behandeling niet vastgelegd."
        return f"De afgehandelde klacht is {'informeel' if informal else 'formeel'} behandeld."
    if unknown == n:
        return f"Bij de {format_number(n)} afgehandelde klachten is de wijze van behandeling niet vastgelegd."
    if unknown == 0 and (informal == 0 or formal == 0):
        how = "informeel" if formal == 0 else "formeel"
        return f"Alle {format_number(n)} afgehandelde klachten zijn {how} behandeld."
    counts = [(informal, "informeel"), (formal, "formeel")]
    parts = [f"{format_number(c)} {label}" for c, label in counts if c]
    verb = "is" if next(c for c, _ in counts if c) == 1 else "zijn"
    sentence = f"Van de {format_number(n)} afgehandelde klachten {verb} er {listed(parts)} behandeld."
    if unknown:
        complaints = counted(unknown, "klacht", "klachten")
        sentence += f" Bij {complaints} is de wijze van behandeling niet vastgelegd."
    return sentence


VERDICT_PHRASES: dict[str, str] = {
    "gegrond": "gegrond",
    "deels gegrond": "deels gegrond",
    "ongegrond": "ongegrond",
    "geen oordeel": "zonder oordeel",
}


def verdicts_sentence(figures: YearFigures) -> str | None:
    """Verdicts over the formally handled complaints; None when none were handled formally."""
    m, unknown = figures.formal, figures.verdict_unknown
    if m == 0:
        return None
    table = figures.verdicts[figures.verdicts["aantal"].gt(0)]
    counts = list(zip(table["oordeel"].astype(str), table["aantal"].astype(int), strict=True))
    if m == 1:
        if unknown:
            return "Bij de formeel behandelde klacht is het oordeel niet vastgelegd."
        verdict = counts[0][0]
        if verdict == "geen oordeel":
            return "Over de formeel behandelde klacht is geen oordeel gegeven."
        return f"De formeel behandelde klacht is {verdict} verklaard."
    if unknown == m:
        return f"Bij de {format_number(m)} formeel behandelde klachten is het oordeel niet vastgelegd."
    parts = [f"{format_number(c)} {VERDICT_PHRASES.get(v, v)}" for v, c in counts]
    verb = "was" if counts[0][1] == 1 else "waren"
    sentence = f"Van de {format_number(m)} formeel behandelde klachten {verb} er {listed(parts)}."
    if unknown:
        sentence += f" Bij {counted(unknown, 'klacht', 'klachten')} is het oordeel niet vastgelegd."
    return sentence


def handling_time_sentence(figures: YearFigures) -> str | None:
    """Median calendar days from receipt to closing; None when nothing was handled."""
    n, closed = figures.handled, figures.closed_count
    if n == 0:
        return None
    if closed == 0 or figures.median_days is None:
        return (
            "Bij de afgehandelde klachten is geen datum van afhandeling vastgelegd; "
            "de behandelduur is onbekend."
        )
    days = format_days(figures.median_days)
    if n == 1:
        return f"De behandelduur van de afgehandelde klacht was {days}."
    sentence = f"De mediane behandelduur van de afgehandelde klachten was {days}"
    if closed < n:
        sentence += f" (berekend over {counted(closed, 'klacht', 'klachten')} met een datum van afhandeling)"
    return sentence + "."


def _term_phrase(figures: YearFigures) -> str:
    """'6 weken, 10 weken bij verdaging' (or only '6 weken' when extension is zero)."""
    term = f"{format_number(figures.term_weeks)} weken"
    if figures.extended_term_weeks == figures.term_weeks:
        return term
    return f"{term}, {format_number(figures.extended_term_weeks)} weken bij verdaging"


def within_term_sentence(figures: YearFigures) -> str | None:
    """Share of closed handled complaints within the legal term; None when nothing closed."""
    closed, within, share = figures.closed_count, figures.within_term_count, figures.within_term_share
    if closed and extension_unrecorded(figures):
        return within_both_terms_sentence(figures)
    if closed == 0 or share is None:
        return None
    term = _term_phrase(figures)
    if closed == 1:
        subject = (
            "De afgehandelde klacht is"
            if figures.handled == 1
            else "Van de afgehandelde klachten heeft er 1 een datum van afhandeling; die is"
        )
        return f"{subject} {'' if within else 'niet '}binnen de wettelijke termijn afgehandeld ({term})."
    base = f"{format_number(closed)} afgehandelde klachten"
    if closed < figures.handled:
        base += " met een datum van afhandeling"
    if within == 0:
        return f"Geen van de {base} is binnen de wettelijke termijn afgehandeld ({term})."
    return (
        f"Van de {base} is {format_percent(share)} binnen de wettelijke termijn afgehandeld "
        f"({counted(within, 'klacht', 'klachten')}; de termijn is {term})."
    )


def ombudsman_sentence(figures: YearFigures) -> str | None:
    """How many of the year's complaints were later brought to the Nationale ombudsman."""
    n, year = figures.ombudsman, figures.when
    if figures.total == 0 or "ombudsman" in figures.not_recorded:
        return None  # not recorded is not "none": no sentence at all (register.md)
    unknown = figures.ombudsman_unknown
    if unknown:  # recorded for some complaints only: never "geen" over the others
        what = "is er geen" if n == 0 else f"{'is' if n == 1 else 'zijn'} er {format_number(n)}"
        return (
            f"Van de klachten uit {year} waarbij dit is vastgelegd, {what} later voorgelegd aan de "
            f"Nationale ombudsman; bij {counted(unknown, 'klacht', 'klachten')} is het niet vastgelegd."
        )
    if n == 0:
        return f"Geen van de klachten uit {year} is later voorgelegd aan de Nationale ombudsman."
    verb = "is" if n == 1 else "zijn"
    complaints = counted(n, "klacht", "klachten")
    return f"{complaints} uit {year} {verb} later voorgelegd aan de Nationale ombudsman."


def extension_unrecorded(figures: YearFigures) -> bool:
    """Extensions matter (a longer term exists) but `verdaagd` is not recorded this year."""
    return "verdaagd" in figures.not_recorded and figures.extended_term_weeks != figures.term_weeks


def within_both_terms_sentence(figures: YearFigures) -> str:
    """Without `verdaagd`: the shares within the basic and within the extended term, and why."""
    closed = figures.closed_count
    basic = f"{format_number(figures.term_weeks)} weken"
    longest = f"{format_number(figures.extended_term_weeks)} weken"
    why = "Of de behandeltermijn is verdaagd, is niet vastgelegd; daarom staan hier twee cijfers. "
    if closed == 1:
        subject = (
            "De afgehandelde klacht is"
            if figures.handled == 1
            else ("De afgehandelde klacht met een datum van afhandeling is")
        )
        if figures.within_basic_count:
            when = f"binnen {basic} afgehandeld (de gewone termijn)"
        elif figures.within_extended_count:
            when = f"na {basic} maar binnen {longest} afgehandeld (de termijn bij verdaging)"
        else:
            when = f"na meer dan {longest} afgehandeld, ook later dan de termijn bij verdaging"
        return f"Of de behandeltermijn is verdaagd, is niet vastgelegd. {subject} {when}."
    base = f"{format_number(closed)} afgehandelde klachten"
    if closed < figures.handled:
        base += " met een datum van afhandeling"
    return (
        f"{why}Van de {base} is {format_percent(figures.within_basic_count / closed)} binnen {basic} "
        f"afgehandeld (de gewone termijn) en {format_percent(figures.within_extended_count / closed)} "
        f"binnen {longest} (de termijn bij verdaging)."
    )


def nature_sentence(figures: YearFigures) -> str | None:
    """'De aard van de klachten is niet vastgelegd ...' when the register has no `aard`; else None."""
    if "aard" not in figures.not_recorded:
        return None
    return f"De aard van de klachten uit {figures.when} is in het register niet vastgelegd."


def channel_not_recorded_sentence(figures: YearFigures) -> str | None:
    """Why complaints are not set against contact volumes when `kanaal` is not recorded; else None."""
    if "kanaal" not in figures.not_recorded:
        return None
    return (
        f"Via welk kanaal de klachten uit {figures.when} binnenkwamen, is in het register niet "
        "vastgelegd; daarom zijn ze niet afgezet tegen het aantal klantcontacten."
    )


def handling_sentences(figures: YearFigures) -> list[str]:
    """The computed sentences of 'Wijze van klachtbehandeling', in reading order."""
    sentences = (
        treatment_sentence(figures),
        verdicts_sentence(figures),
        handling_time_sentence(figures),
        within_term_sentence(figures),
        ombudsman_sentence(figures),
        ombudsman_outcome_sentence(figures),
    )
    return [s for s in sentences if s]


# --- narrative ----------------------------------------------------------------------------

# Placeholders the coordinator may use in toelichting/<jaar>.md (for the README).
PLACEHOLDERS: dict[str, str] = {
    "jaar": "het verslagjaar, bijvoorbeeld 2024",
    "vorig_jaar": "het jaar ervoor, bijvoorbeeld 2023",
    "totaal": "aantal klachten ontvangen in het verslagjaar (zonder voorkomen klachten)",
    "totaal_vorig_jaar": "aantal klachten ontvangen in het jaar ervoor "
    "('onbekend' als dat jaar niet in het register staat)",
    "afgehandeld": "aantal klachten dat inhoudelijk is afgehandeld",
    "niet_afgehandeld": "aantal klachten dat is afgebroken, ingetrokken, "
    "niet ontvankelijk verklaard of doorgestuurd",
    "in_behandeling": "aantal klachten dat nog in behandeling is",
    "voorkomen": "aantal geregistreerde situaties waarin een klacht is voorkomen",
    "informeel": "aantal afgehandelde klachten dat informeel is behandeld",
    "formeel": "aantal afgehandelde klachten dat formeel is behandeld",
    "binnen_termijn": "deel van de afgehandelde klachten dat binnen de wettelijke termijn is afgehandeld, "
    "als percentage, bijvoorbeeld 94% ('onbekend' als geen afhandeldatum bekend is)",
    "periode": "het verslagjaar of de periode zoals in een zin, bijvoorbeeld 2024 of "
    "het eerste halfjaar van 2025",
    "open_begin": "aantal klachten dat aan het begin van de periode openstond, bijvoorbeeld op 1 januari "
    "('onbekend' als het register geen klachten van daarvoor bevat of de datum van afhandeling "
    "niet vastlegt)",
    "afgesloten": "aantal klachten dat in de periode is afgesloten (datum van afhandeling in de periode, "
    "welke status ook)",
    "open_eind": "aantal klachten dat aan het eind van de periode nog openstond, bijvoorbeeld op 31 december",
    "per_10000_inwoners": "aantal klachten per 10.000 inwoners, met één decimaal ('onbekend' zonder "
    "[inwoners] in klachten.toml)",
}

WAYS = "Wijze van klachtbehandeling"
GENERAL = "Algemeen beeld klachten"
REFLECTION = "Reflectie op klachten"
EXPERIENCES = "Ervaringen klachtbehandeling"


def narrative_context(figures: YearFigures) -> dict[str, str]:
    """Placeholder values as Dutch text; 'onbekend' where the figure does not exist."""
    previous = figures.total_previous
    return {
        "jaar": str(figures.year),  # a year, not a number: never '2.024'
        "vorig_jaar": str(figures.previous_year),
        "totaal": format_number(figures.total),
        "totaal_vorig_jaar": UNKNOWN if previous is None else format_number(previous),
        "afgehandeld": format_number(figures.handled),
        "niet_afgehandeld": format_number(figures.not_handled),
        "in_behandeling": format_number(figures.still_open),
        "voorkomen": _recorded(figures, counts.PREVENTED_NOT_RECORDED, format_number(figures.prevented)),
        "informeel": _recorded(figures, "behandeling", format_number(figures.informal)),
        "formeel": _recorded(figures, "behandeling", format_number(figures.formal)),
        "binnen_termijn": UNKNOWN
        if figures.within_term_share is None or extension_unrecorded(figures)
        else format_percent(figures.within_term_share),
        **_balance_context(figures),
    }


def _balance_context(figures: YearFigures) -> dict[str, str]:
    """The placeholders of issue 22: the period in words, the balance, per 10,000 inhabitants."""
    stock = figures.balance
    per_10000 = figures.per_10000
    return {
        "periode": figures.when,
        "open_begin": UNKNOWN
        if stock is None or stock.open_start is None
        else format_number(stock.open_start),
        "afgesloten": UNKNOWN if stock is None else format_number(stock.closed),
        "open_eind": UNKNOWN if stock is None else format_number(stock.open_end),
        "per_10000_inwoners": UNKNOWN if per_10000 is None else format_number(per_10000, 1),
    }


def _recorded(figures: YearFigures, column: str, value: str) -> str:
    """`value`, or 'onbekend' when the figure rests on a column the year does not record."""
    return UNKNOWN if column in figures.not_recorded else value


def unknown_placeholder_reason(placeholder: str, figures: YearFigures) -> str:
    """Why a placeholder is 'onbekend' this year, in one Dutch sentence (for the warning)."""
    if placeholder == "totaal_vorig_jaar":
        return (
            no_comparison_sentence(figures)
            or f"Het register heeft geen gegevens over {figures.previous_when}."
        )
    if placeholder == "voorkomen":
        return "Het register legt niet vast wanneer een klacht is voorkomen."
    if placeholder in ("informeel", "formeel"):
        return "De wijze van behandeling (informeel/formeel) is in het register niet vastgelegd."
    if placeholder == "per_10000_inwoners":
        return f"Geef het aantal inwoners van {figures.year} op onder [inwoners] in klachten.toml."
    if placeholder in ("open_begin", "afgesloten", "open_eind"):
        return balance_unknown_reason(figures)
    if figures.closed_count and extension_unrecorded(figures):
        return (
            "Of de behandeltermijn is verdaagd, is niet vastgelegd; het verslag noemt het deel binnen "
            f"{figures.term_weeks} en binnen {figures.extended_term_weeks} weken."
        )
    return "Er is geen afgehandelde klacht met een datum van afhandeling."


def narrative_sections(figures: YearFigures) -> tuple[str, ...]:
    """The narrative's sections in report order, with the data-driven trend heading."""
    return (WAYS, GENERAL, trend_heading(figures), REFLECTION, EXPERIENCES)


@dataclass(frozen=True)
class Narrative:
    """The coordinator's text per section, placeholders filled.

    `sections` has a key for every narrative section (see `narrative_sections`), in report
    order, "" where the file has no text. The trend section is keyed by the data-driven
    heading (`trend_heading`), whichever of 'Daling/Stijging aantal klachten/Aantal klachten
    gelijk' the file used; `section()` accepts any of those names too.
    """

    sections: dict[str, str]
    warnings: list[Problem]
    html: dict[str, str] = field(default_factory=dict)  # per section: the sanitised HTML to show

    def section(self, name: str) -> str:
        """Text of a section by heading (case-insensitive; any trend heading means the trend section)."""
        return _by_heading(self.sections, name)

    def section_html(self, name: str) -> str:
        """A section as sanitised HTML (`klachtlib.presentation.narrative`), "" where there is no text."""
        return _by_heading(self.html, name)


def _by_heading(texts: dict[str, str], name: str) -> str:
    key = normalise_key(name)
    trend_keys = {normalise_key(h) for h in TREND_HEADINGS}
    for heading, text in texts.items():
        if normalise_key(heading) == key or (key in trend_keys and normalise_key(heading) in trend_keys):
            return text
    return ""


def _placeholder_list() -> str:
    return ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)


def _render_body(
    env: NarrativeEnvironment,
    name: str,
    body: str,
    offset: int,
    context: dict[str, str],
    deadline: float,
) -> tuple[str, set[str], list[Problem]]:
    """Render one section's body; (text, placeholders used, errors). Lines are file lines.

    The template runs in the narrative sandbox with its limits (`klachtlib.presentation.narrative`).
    """
    hint_syntax = "Schrijf een plaatshouder als {{ totaal }}. " + f"Beschikbaar: {_placeholder_list()}."

    def problem(error: NarrativeError) -> Problem:
        # Without a line (e.g. the section's text grew too long), the section's heading.
        return Problem(name, error.message, hint_syntax, row=offset + (error.line or 0))

    try:
        tree = env.parse(body)
    except (jinja2.TemplateSyntaxError, RecursionError) as exc:
        return "", set(), [problem(narrative.failure(exc))]
    not_allowed = [problem(error) for error in narrative.check_template(env, tree)]
    if not_allowed:
        return "", set(), not_allowed
    used = meta.find_undeclared_variables(tree)
    unknown = used - set(context) - set(env.globals)
    problems = []
    reported: set[tuple[str, int]] = set()
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name in unknown and (node.name, node.lineno) not in reported:
            reported.add((node.name, node.lineno))
            close = difflib.get_close_matches(node.name, list(PLACEHOLDERS), n=1)
            guess = f"Bedoelt u '{{{{ {close[0]} }}}}'? " if close else ""
            problems.append(
                Problem(
                    name,
                    f"onbekende plaatshouder '{{{{ {node.name} }}}}' in de toelichting.",
                    f"{guess}Beschikbare plaatshouders: {_placeholder_list()}.",
                    row=offset + node.lineno,
                )
            )
    if problems:
        return "", used, problems
    try:
        text = narrative.render_limited(env, tree, context, deadline)
    except Exception as exc:  # every failure of the coordinator's template is a Dutch DataError
        return "", used, [problem(narrative.failure(exc))]
    return text.strip(), used, []


def _sanitised_html(name: str, text: str, offset: int) -> tuple[str, list[Problem]]:
    """A section's filled Markdown as sanitised HTML, with a warning per block something was
    removed from (the line is the file line when the template kept the lines as they were)."""
    html, removed = narrative.markdown_html(text)
    warnings = []
    for line, what in removed:
        message, hint = narrative.removal_message(what)
        warnings.append(Problem(name, message, hint, row=offset + 1 + line, severity="waarschuwing"))
    return html, warnings


def render_narrative(data_dir: Path, year: int, figures: YearFigures) -> Narrative:
    """Read `<data_dir>/toelichting/<year>.md` (`narrative_source`), split it on `## ` headings,
    fill the placeholders.

    A missing file, a missing section, an unknown heading or text before the first heading
    is a warning (the report then shows the computed part only); an unknown placeholder or
    a template syntax error is a DataError naming the file, line and placeholder.
    """
    stem = figures.slug if figures.period else str(year)  # a period's is toelichting/2025-H1.md
    path = narrative_path(data_dir, stem)
    name = str(path)
    wanted = narrative_sections(figures)
    sections = dict.fromkeys(wanted, "")
    headings_hint = "Gebruik deze kopjes: " + ", ".join(f"'## {h}'" for h in wanted) + "."
    source = read_narrative_source(path)
    if source is None:
        warning = Problem(
            name,
            f"er is geen toelichting voor {figures.name if figures.period else year}; het rapport toont "
            "alleen de cijfers.",
            f"Maak het bestand {NARRATIVE_DIR}/{stem}.md met een kopje per onderdeel. {headings_hint}",
            severity="waarschuwing",
        )
        return Narrative(sections=sections, warnings=[warning])

    preamble, parts = narrative.split_sections(source)
    warnings: list[Problem] = []
    errors: list[Problem] = []
    if any(line.strip() and not line.startswith("# ") for line in preamble.splitlines()):
        warnings.append(
            Problem(
                name,
                "de tekst vóór het eerste kopje ('## ...') wordt niet getoond.",
                headings_hint,
                row=1,
                severity="waarschuwing",
            )
        )

    env = narrative.NarrativeEnvironment()
    deadline = time.monotonic() + narrative.TIME_LIMIT  # for the whole file
    html_sections = dict.fromkeys(wanted, "")
    context = narrative_context(figures)
    unavailable = {key for key, value in context.items() if value == UNKNOWN}
    by_key = {normalise_key(h): h for h in wanted}
    trend_keys = {normalise_key(h) for h in TREND_HEADINGS}
    data_trend = trend_heading(figures)
    trend_found: list[tuple[str, int, str, str]] = []
    filled: set[str] = set()

    for heading, line, body in parts:
        key = normalise_key(heading)
        text, used, problems = _render_body(env, name, body, line, context, deadline)
        errors += problems
        html, removed = _sanitised_html(name, text, line)
        warnings += removed
        for placeholder in sorted(used & unavailable):
            warnings.append(
                Problem(
                    name,
                    f"plaatshouder '{{{{ {placeholder} }}}}' heeft geen waarde en wordt '{UNKNOWN}'.",
                    unknown_placeholder_reason(placeholder, figures),
                    row=line,
                    severity="waarschuwing",
                )
            )
        if key in trend_keys:
            trend_found.append((heading, line, text, html))
        elif key in by_key:
            canonical = by_key[key]
            if canonical in filled:
                warnings.append(
                    Problem(
                        name,
                        f"het kopje '## {heading}' staat er meer dan eens; de teksten zijn "
                        "achter elkaar gezet.",
                        "",
                        row=line,
                        severity="waarschuwing",
                    )
                )
                sections[canonical] = f"{sections[canonical]}\n\n{text}".strip()
                html_sections[canonical] = f"{html_sections[canonical]}\n{html}".strip()
            else:
                sections[canonical] = text
                html_sections[canonical] = html
            filled.add(canonical)
        else:
            warnings.append(
                Problem(
                    name,
                    f"onbekend kopje '## {heading}'; deze tekst wordt niet getoond.",
                    headings_hint,
                    row=line,
                    severity="waarschuwing",
                )
            )

    # Trend section: the heading matching the data wins (a coordinator may write both
    # variants); otherwise the first trend heading is used, with a warning if it disagrees.
    if trend_found:
        match = [t for t in trend_found if normalise_key(t[0]) == normalise_key(data_trend)]
        heading, line, text, html = (match or trend_found)[0]
        sections[data_trend] = text
        html_sections[data_trend] = html
        filled.add(data_trend)
        if not match and data_trend != TREND_FIRST_YEAR:
            warnings.append(
                Problem(
                    name,
                    f"het kopje '## {heading}' past niet bij de cijfers ({total_sentence(figures)}); "
                    f"de tekst staat onder '{data_trend}'.",
                    "Controleer of de tekst nog klopt.",
                    row=line,
                    severity="waarschuwing",
                )
            )

    if errors:
        raise DataError(errors)
    for missing in (h for h in wanted if h not in filled):
        warnings.append(
            Problem(
                name,
                f"het onderdeel '{missing}' ontbreekt in de toelichting; het rapport "
                "toont daar alleen de cijfers.",
                f"Voeg een kopje '## {missing}' toe.",
                severity="waarschuwing",
            )
        )
    return Narrative(sections=sections, warnings=warnings, html=html_sections)


def learning_points_sentence(figures: YearFigures) -> str:
    """How many learning points were recorded: counts only, the points stay in team overviews."""
    table = figures.learning_points_per_team
    n, teams = int(table["aantal"].sum()), len(table)
    if "leerpunt" in figures.not_recorded:
        return f"Leerpunten zijn bij de klachten uit {figures.when} niet vastgelegd in het register."
    if n == 0:
        return f"Bij de klachten uit {figures.when} zijn geen leerpunten vastgelegd."
    verb = "is" if n == 1 else "zijn"
    spread = "" if teams <= 1 else f", verdeeld over {format_number(teams)} teams"
    return (
        f"Bij de klachten uit {figures.when} {verb} {counted(n, 'leerpunt', 'leerpunten')} "
        f"vastgelegd{spread}. "
        "De leerpunten zelf staan in de overzichten voor de teammanagers."
    )


def measures_sentences(measures: MeasureFigures) -> list[str]:
    """What came of the learning points, in counts only: the year's own measures (status when
    the list was made) and those carried over from earlier years (completed in the year)."""
    n, done, running, year = measures.total, measures.done, measures.running, measures.year
    if n == 0:
        sentences = [f"Maatregelen bij de leerpunten uit {year} zijn niet vastgelegd."]
    elif n == 1:
        state = "die is afgerond" if done else "die loopt nog"
        sentences = [f"Bij de leerpunten uit {year} is 1 maatregel vastgelegd; {state}."]
    else:
        if done == n:
            state = f"alle {format_number(n)} zijn afgerond"
        elif done == 0:
            state = f"alle {format_number(n)} lopen nog"
        else:
            state = (
                f"{format_number(done)} daarvan {'is' if done == 1 else 'zijn'} afgerond, "
                f"{format_number(running)} {'loopt' if running == 1 else 'lopen'} nog"
            )
        sentences = [f"Bij de leerpunten uit {year} zijn {format_number(n)} maatregelen vastgelegd; {state}."]
    carried, carried_done = measures.carried, measures.carried_done
    if carried == 1:
        state = "afgerond" if carried_done else "niet afgerond"
        sentences.append(f"De maatregel uit een eerder jaar die begin {year} nog liep, is in {year} {state}.")
    elif carried > 1:
        if carried_done == 0:
            state = f"is er in {year} geen afgerond"
        else:
            verb = "is" if carried_done == 1 else "zijn"
            state = f"{verb} er {format_number(carried_done)} in {year} afgerond"
        earlier = f"{format_number(carried)} maatregelen uit eerdere jaren die begin {year} nog liepen"
        sentences.append(f"Van de {earlier}, {state}.")
    return sentences


def team_measures_sentence(team: str, year: int, shown: int) -> str:
    """The line above (or instead of) a team's table of measures in its overview."""
    if shown == 0:
        return (
            f"In het overzicht van maatregelen staan voor {team} geen maatregelen bij de leerpunten uit "
            f"{year} en geen maatregelen uit eerdere jaren die begin {year} nog liepen."
        )
    return (
        f"Eerst de maatregelen uit eerdere jaren die begin {year} nog liepen (de lopende bovenaan), "
        f"dan die bij de leerpunten uit {year}."
    )


# --- team overviews -----------------------------------------------------------------------

# How a not-recorded column is named in a team overview's sentence, in table order.
TEAM_COLUMN_PHRASES: dict[str, str] = {
    "behandeling": "de wijze van behandeling",
    "oordeel": "het oordeel",
    "datum_afgehandeld": "de datum van afhandeling",
    "verdaagd": "verdaging",
}


def team_not_recorded_sentence(figures: TeamFigures) -> str | None:
    """Which of the overview's columns the register does not record this year; None if all are."""
    missing = [phrase for column, phrase in TEAM_COLUMN_PHRASES.items() if column in figures.not_recorded]
    if not missing:
        return None
    sentence = f"In het register over {figures.year} is {listed(missing)} niet vastgelegd"
    if "verdaagd" in figures.not_recorded and "datum_afgehandeld" not in figures.not_recorded:
        sentence += (
            "; 'onbekend' bij 'Binnen termijn' betekent: afgehandeld na de gewone termijn, "
            "maar binnen de termijn bij verdaging"
        )
    return sentence + "."


def team_without_complaints_sentence(figures: TeamFigures) -> str:
    """The overview of a team that has measures to follow up but no complaints in the year."""
    return f"In {figures.year} zijn over {figures.team} geen klachten ontvangen."


def team_learning_points_sentence(figures: TeamFigures) -> str:
    """The line shown when a team has no learning points: none, or not recorded at all."""
    if "leerpunt" in figures.not_recorded:
        return f"Leerpunten zijn bij de klachten uit {figures.year} niet vastgelegd in het register."
    return f"Bij de klachten over {figures.team} uit {figures.year} zijn geen leerpunten vastgelegd."


def within_term_cell(counts: Counts) -> str:
    """'Binnen de termijn afgehandeld' in a team overview: a share, two shares, or 'onbekend'."""
    if counts.extension_recorded or not counts.closed_count:
        return format_percent(counts.within_term_share) or UNKNOWN
    basic = format_percent(counts.within_basic_count / counts.closed_count)
    longest = format_percent(counts.within_extended_count / counts.closed_count)
    return (
        f"{basic} binnen {counts.term_weeks} weken, {longest} binnen {counts.extended_term_weeks} weken "
        "(verdaging niet vastgelegd)"
    )


# --- beyond the seed (issue 22): balance, norms, ombudsman outcome, inhabitants, trend ------


def _stood(count: int) -> str:
    """'stond 1 klacht', 'stonden 3 klachten', 'stonden geen klachten'."""
    if count == 0:
        return "stonden geen klachten"
    return f"{'stond' if count == 1 else 'stonden'} {counted(count, 'klacht', 'klachten')}"


def balance_unknown_reason(figures: YearFigures) -> str:
    """Why the balance of open, received and closed complaints cannot be given."""
    return (
        f"De datum van afhandeling is bij de klachten uit {figures.when} niet vastgelegd; daarom is niet "
        "te zeggen hoeveel klachten er aan het begin en het eind openstonden."
    )


def balance_sentences(figures: YearFigures) -> list[str]:
    """Open on the first day + received - closed = open on the last day, in words (report.md,
    "Stock and flow"): '1 januari' and '31 december' named for a year."""
    stock = figures.balance
    if stock is None:
        return [balance_unknown_reason(figures)]
    first, last = format_date(stock.start), format_date(stock.end)
    received = counted(stock.received, "klacht", "klachten")
    flow = f"In {figures.when} {'is' if stock.received == 1 else 'zijn'} {received} ontvangen en "
    flow += f"{format_number(stock.closed)} afgesloten"
    unplaced = ""
    if stock.unplaceable:
        flow += (
            f"; bij {counted(stock.unplaceable, 'andere klacht', 'andere klachten')} uit deze periode die "
            f"{'is' if stock.unplaceable == 1 else 'zijn'} afgesloten, is de datum van afhandeling niet "
            f"vastgelegd, zodat de telling {'die' if stock.unplaceable == 1 else 'ze'} niet kan plaatsen"
        )
        unplaced = f" \u2212 {format_number(stock.unplaceable)}"
    if stock.open_start is None:
        return [
            f"Het register bevat geen klachten die vóór {first} zijn ontvangen; hoeveel klachten er op "
            f"{first} openstonden, is daarom niet bekend.",
            f"{flow}. Op {last} {_stood(stock.open_end)} van deze klachten open.",
        ]
    sum_text = (
        f"{format_number(stock.open_start)} + {format_number(stock.received)} \u2212 "
        f"{format_number(stock.closed)}{unplaced} = {format_number(stock.open_end)}"
    )
    return [
        f"Op {first} {_stood(stock.open_start)} open.",
        f"{flow}.",
        f"Op {last} {_stood(stock.open_end)} open ({sum_text}).",
    ]


def norms_sentence(figures: YearFigures) -> str:
    """Which behoorlijkheidsnormen the (partly) upheld complaints breached: recorded, for how
    many, or why it is not known."""
    when, n, without = figures.when, figures.upheld, figures.upheld_without_norm
    frame = "welke behoorlijkheidsnormen zijn geschonden"
    if "oordeel" in figures.not_recorded:
        return (
            f"Het oordeel over de klachten uit {when} is niet vastgelegd; daarom is niet bekend welke "
            f"klachten (deels) gegrond waren en {frame}."
        )
    if "behoorlijkheidsnorm" in figures.not_recorded:
        return f"Bij de klachten uit {when} is in het register niet vastgelegd {frame}."
    if n == 0:
        return f"Geen van de afgehandelde klachten uit {when} is (deels) gegrond verklaard."
    if n == 1:
        recorded = "niet " if without else ""
        return f"Bij de (deels) gegronde klacht uit {when} is {recorded}vastgelegd {frame}."
    if without == n:
        return (
            f"Bij geen van de {format_number(n)} (deels) gegronde klachten uit {when} is vastgelegd {frame}."
        )
    if without == 0:
        lead = f"Bij alle {format_number(n)} (deels) gegronde klachten uit {when} is vastgelegd {frame}"
    else:
        lead = (
            f"Van de {format_number(n)} (deels) gegronde klachten uit {when} is bij "
            f"{format_number(n - without)} vastgelegd {frame}"
        )
    return lead + "; een klacht kan meer dan één norm raken."


OUTCOME_PHRASES: dict[str, str] = {
    "niet in behandeling genomen": "niet in behandeling genomen",
    "bemiddeld": "opgelost door bemiddeling van de ombudsman",
    "behoorlijk": "afgesloten met het oordeel dat de gemeente behoorlijk heeft gehandeld",
    "niet behoorlijk": "afgesloten met het oordeel dat de gemeente niet behoorlijk heeft gehandeld",
}


def ombudsman_outcome_sentence(figures: YearFigures) -> str | None:
    """What came of the complaints brought to the Nationale ombudsman; None when not recorded."""
    if "ombudsman_uitkomst" in figures.not_recorded:
        return None  # not recorded is not "none"
    table = figures.ombudsman_outcomes[figures.ombudsman_outcomes["aantal"].gt(0)]
    counts = list(zip(table["uitkomst"].astype(str), table["aantal"].astype(int), strict=True))
    unknown = figures.ombudsman_outcome_unknown
    if not counts:
        return None
    parts = [f"{format_number(c)} {OUTCOME_PHRASES[o]}" for o, c in counts]
    verb = "is" if counts[0][1] == 1 else "zijn"
    sentence = (
        f"Van de klachten uit {figures.when} die aan de Nationale ombudsman zijn voorgelegd, {verb} er "
        f"{listed(parts)}."
    )
    if unknown:
        sentence += f" Bij {counted(unknown, 'klacht', 'klachten')} is de uitkomst (nog) niet vastgelegd."
    return sentence


def per_inhabitants_sentence(figures: YearFigures, previous: YearFigures | None = None) -> str | None:
    """'In 2024 ontving de gemeente 18,5 klachten per 10.000 inwoners (64 klachten, 34.512 inwoners).'
    With last year's rate where [inwoners] gives it too; None without inhabitants."""
    rate = figures.per_10000
    if rate is None or figures.inhabitants is None:
        return None
    sentence = (
        f"In {figures.when} ontving de gemeente {format_number(rate, 1)} klachten per 10.000 inwoners "
        f"({counted(figures.total, 'klacht', 'klachten')} op {format_number(figures.inhabitants)} "
        f"inwoners in {figures.year})."
    )
    if previous is not None and previous.per_10000 is not None:
        sentence += f" In {previous.when} was dat {format_number(previous.per_10000, 1)}."
    return sentence


def trend_in_words(figures: YearFigures) -> str | None:
    """The trend of complaints received over the years shown (at least three), in words."""
    table = figures.trend
    if len(table) < 3:
        return None  # two years: the total sentence compares them already
    years, totals = table["jaar"].astype(int).tolist(), table["totaal"].astype(int).tolist()
    period = figures.period

    def label(year: int) -> str:
        return str(year) if period is None else period.in_year(year).in_text

    first, last = totals[0], totals[-1]
    span = f"Van {label(years[0])} tot en met {label(years[-1])}"
    if first == last:
        sentence = f"{span} is het aantal ontvangen klachten gelijk gebleven ({format_number(last)})."
    else:
        change = "gedaald" if last < first else "gestegen"
        sign = "+" if last > first else "\u2212"
        share = f" ({sign}{format_percent(abs(last - first) / first)})" if first else ""
        sentence = (
            f"{span} is het aantal ontvangen klachten {change} van {format_number(first)} naar "
            f"{format_number(last)}{share}."
        )
    steps = [b - a for a, b in zip(totals, totals[1:], strict=False)]
    if all(step < 0 for step in steps):
        return sentence + " Het aantal daalde elk jaar."
    if all(step > 0 for step in steps):
        return sentence + " Het aantal steeg elk jaar."
    high, low = max(totals), min(totals)
    high_years = [str(y) for y, t in zip(years, totals, strict=True) if t == high]
    low_years = [str(y) for y, t in zip(years, totals, strict=True) if t == low]
    return (
        sentence + f" Het hoogste aantal was {format_number(high)} ({listed(high_years)}), het laagste "
        f"{format_number(low)} ({listed(low_years)})."
    )


def difference_text(now: int, before: int) -> str:
    """A team's change against a year earlier: '3 meer', '2 minder', 'gelijk'."""
    if now == before:
        return "gelijk"
    return f"{format_number(abs(now - before))} {'meer' if now > before else 'minder'}"


def upheld_text(upheld: int, verdicts: int) -> str:
    """'2 van 4 (50,0%)': (partly) upheld of the formal verdicts, one decimal like every share in
    its column (and in Kerncijfers); 'geen formeel oordeel' without any."""
    if verdicts == 0:
        return "geen formeel oordeel"
    return f"{format_number(upheld)} van {format_number(verdicts)} ({format_share(upheld / verdicts)})"


def contacts_per_year_sentence(figures: YearFigures) -> str:
    """A period report: contact volumes are known per year, so no ratio for a part of one."""
    return (
        "Het aantal klantcontacten is per jaar bekend, niet per periode; daarom zijn de klachten uit "
        f"{figures.when} niet afgezet tegen het aantal klantcontacten. Het jaarverslag doet dat wel."
    )


def peers_sentence(sources: list[str], year: int) -> str:
    """Where the other municipalities' figures of `year` come from (each source once)."""
    named = list(dict.fromkeys(str(s).strip().rstrip(".") for s in sources))
    noun = "Bron" if len(named) == 1 else "Bronnen"
    return (
        f"Ter vergelijking het aantal klachten per 10.000 inwoners van andere gemeenten in {year}. "
        f"{noun} van hun cijfers: {'; '.join(named)}."
    )
