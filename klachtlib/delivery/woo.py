"""The Woo overview of complaint judgments (klachtoordelen, Woo art. 3.3 lid 2 sub l).

One row per complaint HANDLED on its merits in a period (status `afgehandeld`, with its
`datum_afgehandeld` in the period): soort klacht (`aard`), datum ontvangst, organisatieonderdeel
(`team`), datum afhandeling, wijze van afhandeling and oordeel; the identifier only when
`klachten.toml` says `[woo] kenmerk_tonen = true`. Published as an accessible HTML page (the
`klachten` nbconvert template and the same publishability check as the year report, via a small
notebook built in memory: no kernel is needed), as CSV and as CSVW metadata.

Decisions:
- A handled complaint without `datum_afgehandeld` cannot be placed in a period: it is left
  out, and the page says how many handled complaints received before the end of the period
  were left out for that reason. A register without any closing date is a data error.
- Withdrawn, inadmissible, broken-off and forwarded complaints carry no judgment and are not
  in the overview; `in behandeling` is not handled; `voorkomen` is not a complaint.
- What the register does not hold is "niet vastgelegd"; an informal handling without a
  verdict has "n.v.t." as its verdict. Nothing is invented.
- Small numbers (`[woo] minimum`): a row whose (team, aard) combination occurs fewer than
  `minimum` times among the period's rows gets aard "overig". A row whose aard is not recorded
  reveals no kind and stays "niet vastgelegd".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from klachtlib.delivery import opendata
from klachtlib.delivery.indexes import index_files
from klachtlib.delivery.opendata import NOT_RECORDED, Column
from klachtlib.delivery.output import Written, write_set
from klachtlib.delivery.render import render_html
from klachtlib.domain import classify
from klachtlib.domain.periods import FIRST_YEAR, LAST_YEAR, Period, PeriodError, parse_named
from klachtlib.domain.periods import year_period as year_period  # the period of `batch --woo`
from klachtlib.errors import DataError, Problem
from klachtlib.presentation import text
from klachtlib.presentation.report import colophon_html, page_metadata
from klachtlib.presentation.tables import heading_html, paragraph_html, table_html
from klachtlib.reading import vocab
from klachtlib.reading.dates import parse_dates
from klachtlib.reading.register import cached_data_folder
from klachtlib.reading.settings import Settings

GENERALISED = "overig"
NOT_APPLICABLE = "n.v.t."
OUTPUT_SUBDIR = "woo"
FILE_PREFIX = "klachtoordelen"
LEGAL_BASIS = "Wet open overheid, artikel 3.3, tweede lid, onder l"


def _parse_day(value: str, option: str) -> date:
    """A date argument; a year written with three or more digits must be 1900-2100 as written
    (`0001-01-01` is not read as 2001)."""
    outside = PeriodError(
        f"{option} '{value}': het jaar ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}. "
        "Schrijf bijvoorbeeld 2024-03-01 of 1-3-2024."
    )
    if any(not FIRST_YEAR <= int(y) <= LAST_YEAR for y in re.findall(r"\d{3,}", value)):
        raise outside
    parsed = parse_dates(pd.Series([value.strip()], dtype=object)).iloc[0]
    if pd.isna(parsed):
        raise PeriodError(f"{option} '{value}' is geen datum. Schrijf bijvoorbeeld 2024-03-01 of 1-3-2024.")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise outside
    return parsed.date()


def parse_period(
    jaar: int | None = None,
    periode: str | None = None,
    van: str | None = None,
    tot: str | None = None,
    today: date | None = None,
) -> Period:
    """The period asked for on the command line: exactly one of `jaar`, `periode` or `van`+`tot`.

    Raises PeriodError (Dutch) for no period, two ways at once, a text that is no period,
    `tot` before `van`, or a period that starts after `today`.
    """
    given = [name for name, value in (("--jaar", jaar), ("--periode", periode)) if value is not None]
    if van is not None or tot is not None:
        given.append("--van/--tot")
    if not given:
        raise PeriodError(
            "geef de periode op met --jaar 2024, --periode 2024-Q3 (ook 2024-H1, 2024-T2 of 2024-03) "
            "of --van 2024-01-01 --tot 2024-06-30."
        )
    if len(given) > 1:
        raise PeriodError(f"geef de periode op één manier op, niet met {' en '.join(given)} tegelijk.")
    if jaar is not None:
        if not FIRST_YEAR <= jaar <= LAST_YEAR:
            raise PeriodError(
                f"--jaar {jaar} is geen jaartal tussen {FIRST_YEAR} en {LAST_YEAR}. "
                "Bijvoorbeeld: --jaar 2024."
            )
        period = year_period(jaar)
    elif periode is not None:
        period = parse_named(periode)
    else:
        if van is None or tot is None:
            raise PeriodError(
                "geef bij --van ook --tot op (en omgekeerd), bijvoorbeeld --van 2024-01-01 --tot 2024-06-30."
            )
        start, end = _parse_day(van, "--van"), _parse_day(tot, "--tot")
        if end < start:
            raise PeriodError(f"--tot ({tot}) ligt vóór --van ({van}).")
        span = f"{text.format_date(start)} tot en met {text.format_date(end)}"
        period = Period(start, end, f"{start.isoformat()}-tot-{end.isoformat()}", span)
    if period.start > (today or date.today()):
        raise PeriodError(f"de periode {period.span} ligt helemaal in de toekomst.")
    return period


# --------------------------------------------------------------------------- the overview

ID_COLUMN = Column("kenmerk", "Kenmerk", "Het kenmerk van de klacht in het klachtenregister", required=True)
COLUMNS: tuple[Column, ...] = (
    Column(
        "soort_klacht",
        "Soort klacht",
        "De aard van de klacht zoals vastgelegd in het klachtenregister; 'overig' als de combinatie "
        "van organisatieonderdeel en soort klacht in de periode te weinig voorkwam om te tonen "
        "zonder dat de klacht herleidbaar wordt; 'niet vastgelegd' als het register de aard niet bevat",
        null=(NOT_RECORDED,),
    ),
    Column(
        "datum_ontvangst", "Datum ontvangst", "De datum waarop de klacht is ontvangen", "date", required=True
    ),
    Column(
        "organisatieonderdeel",
        "Organisatieonderdeel",
        "Het team of de afdeling waarover de klacht ging",
        null=(NOT_RECORDED,),
    ),
    Column(
        "datum_afhandeling",
        "Datum afhandeling",
        "De datum waarop de klacht is afgehandeld",
        "date",
        required=True,
    ),
    Column(
        "wijze_van_afhandeling",
        "Wijze van afhandeling",
        "Informeel (opgelost zonder formele klachtprocedure) of formeel (met een oordeel over de klacht)",
        {"base": "string", "format": "informeel|formeel"},
        null=(NOT_RECORDED,),
    ),
    Column(
        "oordeel",
        "Oordeel",
        "Het oordeel over de klacht: gegrond, deels gegrond, ongegrond of geen oordeel; 'n.v.t.' bij "
        "een informeel afgehandelde klacht zonder oordeel; 'niet vastgelegd' als het register het "
        "oordeel niet bevat",
        {"base": "string", "format": "|".join(vocab.VERDICTS)},
        null=(NOT_RECORDED, NOT_APPLICABLE),
    ),
)


@dataclass(frozen=True, eq=False)
class WooOverview:
    """The handled complaints of a period, one row each, ready to publish."""

    period: Period
    rows: pd.DataFrame  # columns: [c.name for c in columns]
    columns: tuple[Column, ...]
    minimum: int
    generalised: int  # rows whose soort klacht became "overig"
    undated: int  # handled complaints received by period.end without datum_afgehandeld: left out
    ongoing: bool  # the period has not ended yet
    # The year (or period) report's count of the same period, by date RECEIVED: handled, and per
    # way of handling; None for a period without a report of its own (--van/--tot).
    report_counts: dict[str, int] | None = None
    settings: Settings = Settings()  # who publishes ([organisatie], [publicatie]) for the colophon

    @property
    def title(self) -> str:
        return f"Overzicht klachtoordelen {self.period.name}"


def _text(series: pd.Series) -> pd.Series:
    """Canonical text as object values, NA where not recorded."""
    return series.astype(object).where(series.notna(), None)


def woo_overview(
    register: pd.DataFrame, settings: Settings, period: Period, today: date | None = None
) -> WooOverview:
    """The overview of `period` from the reader's canonical register.

    Raises DataError when the register has no `datum_afgehandeld` at all (no handled complaint
    can be placed in a period) or holds nothing received before the period ends.
    """
    handled = register[register["status"].isin([vocab.HANDLED])]
    if len(handled) and handled["datum_afgehandeld"].isna().all():
        raise DataError(
            [
                Problem(
                    "klachtenregister",
                    "bij geen enkele afgehandelde klacht is datum_afgehandeld vastgelegd, dus geen klacht "
                    "kan aan een periode worden toegewezen.",
                    "Neem de kolom datum_afgehandeld (datum van afhandeling) op in de export.",
                    column="datum_afgehandeld",
                )
            ]
        )
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    first = register["datum_ontvangst"].min()
    if pd.isna(first) or first > end:
        since = "" if pd.isna(first) else f" (de eerste klacht is ontvangen op {text.format_date(first)})"
        raise DataError(
            [
                Problem(
                    "klachtenregister",
                    f"het register bevat niets van vóór het einde van de periode {period.span}{since}; "
                    "een leeg overzicht zou ten onrechte zeggen dat er geen klachten zijn afgehandeld.",
                    "Kies een periode die het register beslaat.",
                )
            ]
        )
    closed = handled["datum_afgehandeld"]
    chosen = handled[closed.ge(start).fillna(False) & closed.le(end).fillna(False)]
    undated = int((closed.isna() & handled["datum_ontvangst"].le(end).fillna(False)).sum())
    chosen = chosen.sort_values(["datum_afgehandeld", "datum_ontvangst", "klacht_id"], kind="stable")

    behandeling = _text(chosen["behandeling"])
    oordeel = _text(chosen["oordeel"])
    informal_without_verdict = behandeling.eq("informeel") & oordeel.isna()
    rows = pd.DataFrame(
        {
            "kenmerk": _text(chosen["klacht_id"]),
            "soort_klacht": _text(chosen["aard"]).fillna(NOT_RECORDED),
            "datum_ontvangst": chosen["datum_ontvangst"],
            "organisatieonderdeel": _text(chosen["team"]).fillna(NOT_RECORDED),
            "datum_afhandeling": chosen["datum_afgehandeld"],
            "wijze_van_afhandeling": behandeling.fillna(NOT_RECORDED),
            "oordeel": oordeel.where(~informal_without_verdict, NOT_APPLICABLE).fillna(NOT_RECORDED),
        }
    ).reset_index(drop=True)

    minimum = max(1, int(settings.woo_minimum))
    group_size = rows.groupby(["organisatieonderdeel", "soort_klacht"])["soort_klacht"].transform("size")
    small = group_size.lt(minimum) & rows["soort_klacht"].ne(NOT_RECORDED)
    rows.loc[small, "soort_klacht"] = GENERALISED

    columns = (ID_COLUMN, *COLUMNS) if settings.woo_show_id else COLUMNS
    return WooOverview(
        report_counts=report_counts(register, period),
        settings=settings,
        period=period,
        rows=rows[[c.name for c in columns]],
        columns=columns,
        minimum=minimum,
        generalised=int(small.sum()),
        undated=undated,
        ongoing=period.end >= (today or date.today()),
    )


def report_counts(register: pd.DataFrame, period: Period) -> dict[str, int] | None:
    """What the year or period report says of the same period: its complaints handled on their
    merits, counted by date RECEIVED ('afgehandeld', then per way of handling); None for a period
    that has no report of its own (--van/--tot)."""
    if "-tot-" in period.slug:
        return None
    rows = classify.rows_between(register, period.start, period.end)
    done = classify.handled(rows[classify.is_complaint(rows)])
    ways = done["behandeling"].astype(object).where(done["behandeling"].notna(), NOT_RECORDED)
    return {"afgehandeld": len(done), **{str(k): int(v) for k, v in ways.value_counts().items()}}


# --------------------------------------------------------------------------- the page

COUNT_BASIS = (
    "Dit overzicht telt de klachten naar de datum van afhandeling: een klacht staat in de periode "
    "waarin ze is afgehandeld, ook als ze eerder is ontvangen."
)


def report_title_of(period: Period) -> str:
    """The title of the report over the same period (as `klachten report` names it)."""
    if period.is_year:
        return f"Jaarverslag klachtenbehandeling {period.start.year}"
    return f"Verslag klachtenbehandeling {period.name}"


def _ways(counts: dict[str, int] | pd.Series) -> str:
    """'12 informeel en 5 formeel' (and those without a recorded way), in vocabulary order."""
    detail = [f"{text.format_number(int(counts[way]))} {way}" for way in vocab.TREATMENTS if counts.get(way)]
    if counts.get(NOT_RECORDED):
        detail.append(
            f"{text.format_number(int(counts[NOT_RECORDED]))} zonder vastgelegde wijze van afhandeling"
        )
    return text.listed(detail)


def report_difference_sentence(overview: WooOverview) -> str | None:
    """The report's own figure for the period when it differs from this overview's (it counts by
    date received), so a reader comparing the two pages sees why; None when they agree."""
    counts = overview.report_counts
    if counts is None:
        return None
    ways = overview.rows["wijze_van_afhandeling"].value_counts()
    here = {"afgehandeld": len(overview.rows), **{str(k): int(v) for k, v in ways.items()}}
    if here == counts:
        return None
    handled = counts["afgehandeld"]
    sentence = (
        f"Het {report_title_of(overview.period)} telt naar de datum van ontvangst en noemt daarom "
        f"{text.format_number(handled)} inhoudelijk afgehandelde "
        f"{'klacht' if handled == 1 else 'klachten'}"
    )
    return sentence + (f": {_ways(counts)}." if handled else ".")


def count_sentence(rows: pd.DataFrame) -> str:
    """'In deze periode zijn 17 klachten afgehandeld: 12 informeel en 5 formeel.'"""
    joined = _ways(rows["wijze_van_afhandeling"].value_counts())
    verb = "is" if len(rows) == 1 else "zijn"
    return f"In deze periode {verb} {text.counted(len(rows), 'klacht', 'klachten')} afgehandeld: {joined}."


def undated_sentence(count: int) -> str:
    """Why `count` handled complaints are missing from the overview."""
    if count == 1:
        return (
            "Bij 1 afgehandelde klacht die vóór het einde van deze periode is ontvangen, staat in het "
            "klachtenregister geen datum van afhandeling. Die kan niet aan een periode worden "
            "toegewezen en staat daarom niet in dit overzicht."
        )
    return (
        f"Bij {text.format_number(count)} afgehandelde klachten die vóór het einde van deze periode zijn "
        "ontvangen, staat in het klachtenregister geen datum van afhandeling. Die kunnen niet aan een "
        "periode worden toegewezen en staan daarom niet in dit overzicht."
    )


def page_fragments(overview: WooOverview, csv_name: str) -> list[str]:
    """The page, as HTML fragments (every data value escaped by `tables`)."""
    o, rows = overview, overview.rows
    parts = [
        heading_html(o.title, level=1),
        colophon_html(o.settings, "dit overzicht"),
        paragraph_html(
            f"Dit overzicht bevat de klachten die de gemeente van {o.period.span} inhoudelijk heeft "
            "afgehandeld, met per klacht de soort klacht, de datum van ontvangst, het "
            "organisatieonderdeel, de datum en de wijze van afhandeling en het oordeel. Het is een "
            f"publicatie in de categorie klachtoordelen ({LEGAL_BASIS})."
        ),
        paragraph_html(
            "Klachten die zijn ingetrokken, niet ontvankelijk verklaard, afgebroken of doorgestuurd "
            "hebben geen oordeel en staan er niet in, net als klachten die nog in behandeling zijn "
            "en situaties waarin een klacht is voorkomen."
        ),
    ]
    if o.ongoing:
        parts.append(
            paragraph_html(
                "Deze periode is nog niet voorbij: het overzicht bevat de klachten die tot nu toe "
                "zijn afgehandeld."
            )
        )
    if rows.empty:
        parts.append(paragraph_html(f"Van {o.period.span} is geen klacht inhoudelijk afgehandeld."))
    else:
        parts.append(paragraph_html(count_sentence(rows)))
    parts.append(paragraph_html(COUNT_BASIS))
    if difference := report_difference_sentence(o):
        parts.append(paragraph_html(difference))
    if o.minimum > 1:
        parts.append(
            paragraph_html(
                f"Om te voorkomen dat een klacht tot een persoon te herleiden is, staat de soort klacht "
                f"als '{GENERALISED}' bij een combinatie van organisatieonderdeel en soort klacht die in "
                f"deze periode minder dan {text.format_number(o.minimum)} keer voorkwam. Dat geldt voor "
                f"{text.counted(o.generalised, 'klacht', 'klachten')} in dit overzicht."
            )
        )
    if o.undated:
        parts.append(paragraph_html(undated_sentence(o.undated)))
    if not rows.empty:
        if rows.isin([NOT_RECORDED]).to_numpy().any():
            parts.append(
                paragraph_html("'Niet vastgelegd' betekent dat het klachtenregister dit gegeven niet bevat.")
            )
        if rows["oordeel"].eq(NOT_APPLICABLE).any():
            parts.append(
                paragraph_html(f"'{NOT_APPLICABLE}' bij het oordeel: informeel afgehandeld, zonder oordeel.")
            )
        parts.append(
            table_html(
                rows.rename(columns={c.name: c.title for c in o.columns}),
                f"Afgehandelde klachten van {o.period.span}",
                row_headers="kenmerk" in rows.columns,
            )
        )
    parts.append(
        f'<p>Dit overzicht staat ook als open data in <a href="{csv_name}">{csv_name}</a> '
        f"(CSV, UTF-8), met een beschrijving van de kolommen in "
        f'<a href="{opendata.metadata_path(Path(csv_name)).name}">'
        f"{opendata.metadata_path(Path(csv_name)).name}</a> (CSV on the Web).</p>\n"
    )
    return parts


def page_html(overview: WooOverview, csv_name: str) -> str:
    """The accessible HTML page: a small notebook (no kernel) through the year report's template."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    page = "".join(page_fragments(overview, csv_name))
    name = overview.settings.organisation_name
    description = (
        f"{overview.title}{f' van {name}' if name else ''}: de klachten die van {overview.period.span} "
        "inhoudelijk zijn afgehandeld, met soort klacht, data, organisatieonderdeel, wijze van "
        "afhandeling en oordeel."
    )
    metadata = page_metadata(overview.title, description, overview.settings)
    output = new_output("display_data", data={"text/html": page}, metadata=metadata)
    cell = new_code_cell(source="", id="woo", outputs=[output])
    return render_html(new_notebook(cells=[cell], metadata={"klachten": {"pagina": "woo"}}), overview.title)


# --------------------------------------------------------------------------- files


def overview_paths(output_dir: Path, period: Period) -> tuple[Path, Path, Path]:
    """`<out>/woo/klachtoordelen-<periode>.html`, `.csv` and `.csv-metadata.json`."""
    base = Path(output_dir) / OUTPUT_SUBDIR / f"{FILE_PREFIX}-{period.slug}"
    csv_path = base.with_name(base.name + ".csv")
    return base.with_name(base.name + ".html"), csv_path, opendata.metadata_path(csv_path)


def overview_files(overview: WooOverview, output_dir: Path) -> list[tuple[Path, str]]:
    """CSV, metadata and HTML in memory (the HTML last), for `write_all_atomic`."""
    html_path, csv_path, meta_path = overview_paths(output_dir, overview.period)
    o = overview
    description = (
        f"De klachten die de gemeente van {o.period.span} inhoudelijk heeft afgehandeld, één per regel "
        f"(klachtoordelen, {LEGAL_BASIS}). Alleen klachten met een datum van afhandeling in de periode; "
        "ingetrokken, niet-ontvankelijke, afgebroken, doorgestuurde en voorkomen klachten staan er niet in."
    )
    if o.minimum > 1:
        description += (
            f" Bij {text.counted(o.generalised, 'klacht', 'klachten')} is de soort klacht 'overig': "
            "die combinatie van "
            f"organisatieonderdeel en soort klacht kwam minder dan {o.minimum} keer voor."
        )
    if o.undated:
        description += " " + undated_sentence(o.undated)
    metadata = opendata.metadata_text(
        csv_path.name,
        o.title[0].upper() + o.title[1:],
        description,
        o.columns,
        {"dc:temporal": f"{o.period.start.isoformat()}/{o.period.end.isoformat()}"},
        primary_key=ID_COLUMN.name if ID_COLUMN in o.columns else None,
    )
    return [
        (csv_path, opendata.csv_text(o.rows, o.columns)),
        (meta_path, metadata),
        (html_path, page_html(o, csv_path.name)),
    ]


def make_woo_overview(data_dir: Path, output_dir: Path, period: Period) -> Written:
    """Read and check the data folder, then write the period's overview (all three files or none)."""
    folder = cached_data_folder(data_dir)
    overview = woo_overview(folder.register, folder.settings, period)
    files = overview_files(overview, output_dir)
    # <out>/index.html lists it, in the same change
    write_set([*files, *index_files(output_dir, files, settings=overview.settings)])
    return Written(files[-1][0], folder.warnings)
