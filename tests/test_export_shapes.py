"""Seven exports in shapes municipalities really have (issue 19), each fictitious and written by
the test, each described in klachten.toml only, each asserting every figure the 2024 report
publishes: a Decos-style register, two overlapping TOPdesk incident exports, a report-style
workbook, a status history, an English helpdesk .ods, and two of our own (a Woo list with a
labels column; a migrated case system complete from mid-2023, with the organisation's teams)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from conftest import write_ods
from typer.testing import CliRunner

from klachtlib.delivery.cli import app
from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.presentation import text
from klachtlib.reading.register import load_data_folder

TODAY = date(2025, 1, 31)


def write(folder, name, content):
    (folder / name).write_text(content, encoding="utf-8")


def figures_2024(folder_path):
    folder = load_data_folder(folder_path, today=TODAY)
    return folder, counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)


def published(f: counts.YearFigures) -> dict:
    """Every figure and generated sentence of the 2024 report, as plain values."""
    pairs = lambda table: dict(table.itertuples(index=False, name=None))  # noqa: E731
    return {
        "ontvangen": f.total,
        "vorig_jaar": f.total_previous,
        "afgehandeld": f.handled,
        "niet_afgehandeld": f.not_handled,
        "redenen": pairs(f.not_handled_by_reason),
        "in_behandeling": f.still_open,
        "voorkomen": None if counts.PREVENTED_NOT_RECORDED in f.not_recorded else f.prevented,
        "teams": pairs(f.handled_per_team),
        "informeel_formeel": None if "behandeling" in f.not_recorded else (f.informal, f.formal),
        "oordelen": {k: v for k, v in pairs(f.verdicts).items() if v},
        "binnen_termijn": None
        if f.within_term_share is None
        else f"{f.within_term_count} van {f.closed_count}",
        "mediaan_dagen": f.median_days,
        "ombudsman": None if "ombudsman" in f.not_recorded else f.ombudsman,
        "aard": pairs(f.per_nature),
        "niet_vastgelegd": sorted(f.not_recorded),
        "jaren": list(f.trend["jaar"]),
        "zinnen": [
            text.total_sentence(f),
            text.not_handled_sentence(f),
            *text.reason_bullets(f),
            text.still_open_sentence(f),
            text.prevented_sentence(f),
        ],
    }


# ----------------------------------------------------------------------------- 1. Decos-style register

DECOS = """\
Kenmerk;Datum ontvangst;Klacht over;Afdeling;Behandelaar;Status;Afhandeling;Reden;Datum afgehandeld;Verdaagd tot;Nat. ombudsman
D23-01;12-01-23;Lang gewacht aan de balie;Publiekszaken;P. Smit;Afgehandeld;Informeel;;19-01-23;;
D23-02;15-02-23;Aanslag te hoog;Belastingen;K. Bakker;Afgehandeld;Formeel - ongegrond;;20-03-23;;
D23-03;01-03-23;Geen antwoord;Publiekszaken;P. Smit;Ingetrokken;;Opgelost voor behandeling;05-03-23;;
D24-01;08-01-24;Geen reactie op mail;Publiekszaken;P. Smit;Afgehandeld;Informeel;;15-01-24;;
D24-02;10-01-24;Onjuiste aanslag;Belastingen;K. Bakker;Afgehandeld;Formeel - gegrond;;01-03-24;;J
D24-03;05-02-24;Bejegening bij huisbezoek;mw. J. de Vries;mw. J. de Vries;Afgehandeld;Formeel - ongegrond;;10-04-24;25-04-24;
D24-04;12-03-24;Container niet geleegd;Wonen;A. Yilmaz;Afgehandeld;Informeel;;14-03-24;;
D24-05;20-03-24;Melding lantaarnpaal;Wonen;A. Yilmaz;Niet-ontvankelijk;;Betrof een melding;22-03-24;;
D24-06;02-04-24;Bezwaar WOZ;Belastingen;K. Bakker;In behandeling;;;;;
D24-07;15-05-24;Provinciale weg;Publiekszaken;P. Smit;Doorgestuurd;;Hoorde bij de provincie;16-05-24;;
"""
DECOS_TOML = """\
[kolommen]
"Kenmerk" = "klacht_id"
"Afdeling" = "team"
"Nat. ombudsman" = "ombudsman"

[afleiden."Afhandeling"]
"Informeel" = { behandeling = "informeel" }
"Formeel - gegrond" = { behandeling = "formeel", oordeel = "gegrond" }
"Formeel - ongegrond" = { behandeling = "formeel", oordeel = "ongegrond" }
"" = { }

[afleiden."Verdaagd tot"]             # verlenging vastgelegd als nieuwe einddatum
"(ingevuld)" = { verdaagd = "ja" }
"(leeg)" = { verdaagd = "nee" }

[waarden.ombudsman]                  # het vinkje: J of leeg
"J" = "ja"

[standaard]
ombudsman = "nee"
"""


def test_decos_register_with_an_employee_as_team_is_refused_then_gives_every_figure(tmp_path):
    write(tmp_path, "klachtenregister.csv", DECOS)
    write(tmp_path, "klachten.toml", DECOS_TOML)
    with pytest.raises(DataError) as caught:
        load_data_folder(tmp_path, today=TODAY)
    (problem,) = caught.value.errors  # the employee's name never reaches the report
    assert (problem.row, problem.column) == (7, "team") and "lijkt een persoon" in problem.message
    write(tmp_path, "klachten.toml", DECOS_TOML + '\n[waarden.team]\n"mw. J. de Vries" = "Wonen"\n')
    _, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 7,
        "vorig_jaar": 3,
        "afgehandeld": 4,
        "niet_afgehandeld": 2,
        "redenen": {"Betrof een melding": 1, "Hoorde bij de provincie": 1},
        "in_behandeling": 1,
        "voorkomen": None,  # a Decos register does not record prevented complaints
        "teams": {"Wonen": 2, "Belastingen": 1, "Publiekszaken": 1},
        "informeel_formeel": (2, 2),
        "oordelen": {"gegrond": 1, "ongegrond": 1},
        "binnen_termijn": "3 van 4",  # 51 days unextended is late; 65 days extended is in time
        "mediaan_dagen": 29.0,
        "ombudsman": 1,
        "aard": {},
        "niet_vastgelegd": [
            "aard",
            "behoorlijkheidsnorm",
            "kanaal",
            "leerpunt",
            "ombudsman_uitkomst",
            "voorkomen",
        ],
        "jaren": [2023, 2024],
        "zinnen": [
            "Het aantal klachten is gestegen t.o.v. 2023 van 3 naar 7.",
            "2 klachten zijn afgebroken, ingetrokken, niet ontvankelijk verklaard of doorgestuurd. Redenen:",
            "Betrof een melding (1x);",
            "Hoorde bij de provincie (1x).",
            "1 klacht was bij het opstellen van dit overzicht nog in behandeling.",
            None,
        ],
    }


# ----------------------------------------------------------------------------- 2. two overlapping TOPdesk exports

TOPDESK_HEADER = [
    "Incidentnummer",
    "Aanmelddatum",
    "Soort melding",
    "Operatorgroep",
    "Status",
    "Afhandeling",
    "Afmelddatum",
    "Verlengd",
    "Aanmelder",
]
TOPDESK_A = [
    ["I2311-001", date(2023, 11, 20), "Klacht", "Publiekszaken", "Afgemeld", "Opgelost informeel", date(2023, 11, 24), False, "J. Klant"],
    ["I2312-002", date(2023, 12, 4), "Vraag", "Publiekszaken", "Afgemeld", None, date(2023, 12, 5), False, "P. Vraag"],
    ["I2401-003", date(2024, 1, 15), "Klacht", "Belastingen", "Afgemeld", "Gegrond", date(2024, 2, 20), True, "A. Boos"],
    ["I2402-004", date(2024, 2, 1), "Storing", "ICT", "Afgemeld", None, date(2024, 2, 1), False, "S. Toring"],
    ["I2405-005", date(2024, 5, 10), "Klacht", "Wonen", "In behandeling", None, None, False, "W. Oning"],
    ["I2406-006", date(2024, 6, 1), "Klacht", "Wonen", "Afgemeld", "Ingetrokken", date(2024, 6, 3), False, "I. Trek"],
]  # fmt: skip
TOPDESK_B = [
    ["I2405-005", date(2024, 5, 10), "Klacht", "Wonen", "Afgemeld", "Ongegrond", date(2024, 7, 1), False, "W. Oning"],
    ["I2406-006", date(2024, 6, 1), "Klacht", "Wonen", "Afgemeld", "Ingetrokken", date(2024, 6, 3), False, "I. Trek"],
    ["I2409-007", date(2024, 9, 2), "Klacht", "Publiekszaken", "Afgemeld", "Doorverwezen", date(2024, 9, 3), False, "D. Oor"],
    ["I2410-008", date(2024, 10, 7), "Klacht", "Belastingen", "In behandeling", None, None, False, "B. Last"],
    ["I2411-009", date(2024, 11, 11), "Vraag", "Belastingen", "Afgemeld", None, date(2024, 11, 12), False, "V. Raag"],
]  # fmt: skip
TOPDESK_TOML = """\
[bestand]
dubbel = "laatste"                   # de tweede export overlapt de eerste; de latere telt

[kolommen]
"Incidentnummer" = "klacht_id"
"Aanmelddatum" = "datum_ontvangst"
"Operatorgroep" = "team"
"Status" = "status"
"Afmelddatum" = "datum_afgehandeld"
"Verlengd" = "verdaagd"

[overslaan]
"Soort melding" = ["Vraag", "Storing"]

[waarden.status]
"Afgemeld" = "afgehandeld"

[afleiden."Afhandeling"]
"Opgelost informeel" = { behandeling = "informeel" }
"Gegrond" = { behandeling = "formeel", oordeel = "gegrond" }
"Ongegrond" = { behandeling = "formeel", oordeel = "ongegrond" }
"Ingetrokken" = { status = "ingetrokken", reden = "De klager trok de klacht in" }
"Doorverwezen" = { status = "doorgestuurd", reden = "De klacht hoorde bij een andere organisatie" }
"" = { }
"""


def write_topdesk(folder):
    for name, rows in (("a", TOPDESK_A), ("b", TOPDESK_B)):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Incidenten"
        for row in [TOPDESK_HEADER, *rows]:
            sheet.append(row)
        workbook.save(folder / f"klachtenregister-topdesk-{name}.xlsx")


def test_overlapping_topdesk_exports_with_status_in_two_columns_give_every_figure(tmp_path):
    write_topdesk(tmp_path)
    write(tmp_path, "klachten.toml", TOPDESK_TOML)
    with pytest.raises(DataError) as caught:  # Status says handled, Afhandeling withdrawn: never silent
        load_data_folder(tmp_path, today=TODAY)
    assert {p.klacht_id for p in caught.value.errors} == {"I2406-006", "I2409-007"}
    write(tmp_path, "klachten.toml", TOPDESK_TOML + '\n[voorrang]\nstatus = ["Afhandeling", "Status"]\n')
    folder, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 5,  # I2405-005 and I2406-006 are in both exports: counted once
        "vorig_jaar": None,  # 2023 holds one complaint from late November: no comparison
        "afgehandeld": 2,
        "niet_afgehandeld": 2,
        "redenen": {"De klacht hoorde bij een andere organisatie": 1, "De klager trok de klacht in": 1},
        "in_behandeling": 1,
        "voorkomen": None,
        "teams": {"Belastingen": 1, "Wonen": 1},
        "informeel_formeel": (0, 2),
        "oordelen": {"gegrond": 1, "ongegrond": 1},
        "binnen_termijn": "1 van 2",  # 36 days extended: in time; 52 days: late
        "mediaan_dagen": 44.0,
        "ombudsman": None,
        "aard": {},
        "niet_vastgelegd": [
            "aard",
            "behoorlijkheidsnorm",
            "kanaal",
            "leerpunt",
            "ombudsman",
            "ombudsman_uitkomst",
            "voorkomen",
        ],
        "jaren": [2024],
        "zinnen": [
            "In 2024 zijn 5 klachten ontvangen. Met 2023 wordt niet vergeleken: het register begint pas in de "
            "laatste weken van 2023; dat jaar is onvolledig.",
            "2 klachten zijn afgebroken, ingetrokken, niet ontvankelijk verklaard of doorgestuurd. Redenen:",
            "De klacht hoorde bij een andere organisatie (1x);",
            "De klager trok de klacht in (1x).",
            "1 klacht was bij het opstellen van dit overzicht nog in behandeling.",
            None,
        ],
    }
    assert folder.skipped == {'Soort melding = "Vraag"': 2, 'Soort melding = "Storing"': 1}
    overlap = [p for p in folder.warnings if "klacht_id's staan ook in" in p.message]
    assert len(overlap) == 1 and "I2405-005" in overlap[0].message
    assert "klachtenregister-topdesk-b.xlsx" in overlap[0].message


# ----------------------------------------------------------------------------- 3. report-style workbook


def write_report_workbook(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klachten 2024"
    rows = [
        ["Klachtenoverzicht 2024 per afdeling"],
        ["Klacht", None, None, "Afhandeling", None, None],
        ["Nr", "Datum", "Afdeling", "Datum", "Resultaat", "Verdaagd"],
        ["R-01", date(2024, 2, 1), "Publiekszaken", date(2024, 2, 8), "Informeel opgelost", "nee"],
        ["R-02", date(2024, 3, 4), "Publiekszaken", date(2024, 4, 30), "Gegrond", "ja"],
        ["Totaal", None, "Publiekszaken", None, 2, None],
        ["R-03", date(2024, 5, 6), "Openbare ruimte", date(2024, 5, 7), "Niet-ontvankelijk", "nee"],
        ["R-04", date(2024, 6, 3), "Openbare ruimte", None, None, None],
        ["Totaal", None, "Openbare ruimte", None, 2, None],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A2:C2")  # group headers over the columns
    sheet.merge_cells("D2:F2")
    prevented = workbook.create_sheet("Voorkomen klachten")
    for row in [
        ["Voorkomen klachten 2024"],
        [],
        ["Datum melding", "Afdeling", "Toelichting"],
        [date(2024, 4, 1), "Publiekszaken", "Teruggebeld"],
        [date(2024, 9, 9), "Openbare ruimte", "Melding doorgezet"],
    ]:
        prevented.append(row)
    workbook.create_sheet("Toelichting").append(["Dit overzicht wordt maandelijks bijgewerkt."])
    workbook.save(path)


REPORT_TOML = """\
[kolommen]
"Nr" = "klacht_id"
"Afdeling" = "team"
"Datum" = ["datum_ontvangst", "datum_afgehandeld"]   # twee kolommen heten Datum

[afleiden."Resultaat"]
"Informeel opgelost" = { status = "afgehandeld", behandeling = "informeel" }
"Gegrond" = { status = "afgehandeld", behandeling = "formeel", oordeel = "gegrond" }
"Niet-ontvankelijk" = { status = "niet-ontvankelijk", reden = "De klacht betrof een melding" }
"" = { status = "in behandeling" }

[overslaan]
"Nr" = ["Totaal"]

[tabblad."Voorkomen klachten"]
kopregel = 3
klacht_id = "regelnummer"
vast = { status = "voorkomen" }
kolommen = { "Datum melding" = "datum_ontvangst" }
"""


def test_report_style_workbook_with_group_headers_two_datum_columns_totals_and_a_prevented_sheet(tmp_path):
    write_report_workbook(tmp_path / "klachtenregister.xlsx")
    write(tmp_path, "klachten.toml", REPORT_TOML)
    folder, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 4,
        "vorig_jaar": None,
        "afgehandeld": 2,
        "niet_afgehandeld": 1,
        "redenen": {"De klacht betrof een melding": 1},
        "in_behandeling": 1,
        "voorkomen": 2,
        "teams": {"Publiekszaken": 2},
        "informeel_formeel": (1, 1),
        "oordelen": {"gegrond": 1},
        "binnen_termijn": "2 van 2",  # 57 days, extended
        "mediaan_dagen": 32.0,
        "ombudsman": None,
        "aard": {},
        "niet_vastgelegd": [
            "aard",
            "behoorlijkheidsnorm",
            "kanaal",
            "leerpunt",
            "ombudsman",
            "ombudsman_uitkomst",
        ],
        "jaren": [2024],
        "zinnen": [
            "In 2024 zijn 4 klachten ontvangen.",
            "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:",
            "De klacht betrof een melding (1x).",
            "1 klacht was bij het opstellen van dit overzicht nog in behandeling.",
            "In 2024 zijn 2 situaties geregistreerd waarin een klacht is voorkomen.",
        ],
    }
    assert folder.skipped == {'Nr = "Totaal"': 2}
    assert "'Toelichting' (niet gekozen in [bestand] tabbladen)" in folder.unread_sheets


# ----------------------------------------------------------------------------- 4. a status history

HISTORY = """\
Zaak-ID;Mutatiedatum;Datum ontvangst;Status;Team;Resultaat;Reden;Datum afgehandeld;Medewerker
H-1;02-10-2023;02-10-2023;Ontvangen;Wonen;;;;A. Jansen
H-1;20-10-2023;;Afgehandeld;;Informeel opgelost;;20-10-2023;A. Jansen
H-2;01-03-2024;01-03-2024;Ontvangen;Wonen;;;;A. Jansen
H-2;05-03-2024;;In behandeling;;;;;B. de Boer
H-2;10-04-2024;;Termijn verdaagd;;;;;B. de Boer
H-2;02-05-2024;;Afgehandeld;Wonen en bouwen;Gegrond;;02-05-2024;B. de Boer
H-3;03-03-2024;03-03-2024;Ontvangen;Afval;;;;C. Ali
H-3;04-03-2024;;In behandeling;;;;;C. Ali
H-4;11-06-2024;11-06-2024;Ontvangen;Afval;;;;C. Ali
H-4;20-06-2024;;Ingetrokken;;;De klager trok de klacht in;20-06-2024;C. Ali
H-5;01-07-2024;01-07-2024;Ontvangen;Wonen;;;;A. Jansen
H-5;03-07-2024;;Afgehandeld;;Informeel opgelost;;03-07-2024;A. Jansen
"""
HISTORY_TOML = """\
[bestand]
regels = "statushistorie"            # een regel per statuswijziging

[kolommen]
"Zaak-ID" = "klacht_id"

[afleiden."Status"]
"Ontvangen" = { status = "in behandeling" }
"In behandeling" = { status = "in behandeling" }
"Termijn verdaagd" = { verdaagd = "ja" }
"Afgehandeld" = { status = "afgehandeld" }
"Ingetrokken" = { status = "ingetrokken" }

[afleiden."Resultaat"]
"Gegrond" = { behandeling = "formeel", oordeel = "gegrond" }
"Informeel opgelost" = { behandeling = "informeel" }
"" = { }

[standaard]
verdaagd = "nee"
"""


def test_status_history_export_gives_every_figure(tmp_path):
    write(tmp_path, "klachtenregister.csv", HISTORY)
    write(tmp_path, "klachten.toml", HISTORY_TOML)
    _, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 4,
        "vorig_jaar": 1,
        "afgehandeld": 2,
        "niet_afgehandeld": 1,
        "redenen": {"De klager trok de klacht in": 1},
        "in_behandeling": 1,
        "voorkomen": None,
        "teams": {"Wonen": 1, "Wonen en bouwen": 1},  # the team of the last row that gives one
        "informeel_formeel": (1, 1),
        "oordelen": {"gegrond": 1},
        "binnen_termijn": "2 van 2",  # H-2: 62 days, extended by its "Termijn verdaagd" row
        "mediaan_dagen": 32.0,
        "ombudsman": None,
        "aard": {},
        "niet_vastgelegd": [
            "aard",
            "behoorlijkheidsnorm",
            "kanaal",
            "leerpunt",
            "ombudsman",
            "ombudsman_uitkomst",
            "voorkomen",
        ],
        "jaren": [2023, 2024],
        "zinnen": [
            "Het aantal klachten is gestegen t.o.v. 2023 van 1 naar 4.",
            "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:",
            "De klager trok de klacht in (1x).",
            "1 klacht was bij het opstellen van dit overzicht nog in behandeling.",
            None,
        ],
    }


# ----------------------------------------------------------------------------- 5. an English helpdesk export (.ods)

HELPDESK = [
    ["Ticket", "Opened", "Closed", "Status", "Team", "Category", "Channel", "Outcome", "Extended", "Customer", "Notes"],
    ["HD-1001", date(2024, 1, 8), date(2024, 1, 10), "Closed", "Service desk", "Waiting time", "Phone", "Resolved informally", False, "Mr. Brown", "Called back"],
    ["HD-1002", date(2024, 2, 12), date(2024, 4, 5), "Closed", "Permits", "Communication", "Email", "Founded", True, "Ms. Green", "Apology sent"],
    ["HD-1003", date(2024, 3, 18), date(2024, 3, 19), "Withdrawn", "Permits", "Communication", "Web form", "Withdrawn by customer", False, "Mr. White", ""],
    ["HD-1004", date(2024, 5, 21), None, "Open", "Service desk", "Waiting time", "Phone", None, False, "Ms. Black", ""],
    ["HD-1005", date(2024, 6, 3), date(2024, 6, 28), "Closed", "Service desk", "Waiting time", "Email", "Unfounded", False, "Mr. Grey", "Explained"],
]  # fmt: skip
HELPDESK_TOML = """\
[bestand]
niet_vastgelegd = ["voorkomen", "ombudsman"]

[kolommen]
"Ticket" = "klacht_id"
"Opened" = "datum_ontvangst"
"Closed" = "datum_afgehandeld"
"Category" = "aard"
"Channel" = "kanaal"
"Extended" = "verdaagd"

[waarden.status]
"Closed" = "afgehandeld"
"Withdrawn" = "ingetrokken"
"Open" = "in behandeling"

[waarden.kanaal]
"Phone" = "telefoon"
"Web form" = "webformulier"

[afleiden."Outcome"]
"Resolved informally" = { behandeling = "informeel" }
"Founded" = { behandeling = "formeel", oordeel = "gegrond" }
"Unfounded" = { behandeling = "formeel", oordeel = "ongegrond" }
"Withdrawn by customer" = { reden = "De klager trok de klacht in" }
"" = { }
"""


def test_english_helpdesk_export_saved_as_ods_gives_every_figure(tmp_path):
    write_ods(tmp_path / "klachtenregister-helpdesk.ods", {"Tickets": HELPDESK})
    write(tmp_path, "klachten.toml", HELPDESK_TOML)
    _, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 5,
        "vorig_jaar": None,
        "afgehandeld": 3,
        "niet_afgehandeld": 1,
        "redenen": {"De klager trok de klacht in": 1},
        "in_behandeling": 1,
        "voorkomen": None,
        "teams": {"Service desk": 2, "Permits": 1},
        "informeel_formeel": (1, 2),
        "oordelen": {"gegrond": 1, "ongegrond": 1},
        "binnen_termijn": "3 van 3",
        "mediaan_dagen": 25.0,
        "ombudsman": None,
        "aard": {"overig": 5},  # 3 and 2: fewer than [woo] minimum (5), so published together
        "niet_vastgelegd": [
            "behoorlijkheidsnorm",
            "leerpunt",
            "ombudsman",
            "ombudsman_uitkomst",
            "voorkomen",
        ],
        "jaren": [2024],
        "zinnen": [
            "In 2024 zijn 5 klachten ontvangen.",
            "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:",
            "De klager trok de klacht in (1x).",
            "1 klacht was bij het opstellen van dit overzicht nog in behandeling.",
            None,
        ],
    }
    assert dict(f.contacts_per_1000.itertuples(index=False, name=None)) == {}  # no contact volumes


# ----------------------------------------------------------------------------- 6. (ours) a Woo list with labels

WOO = """\
Nummer;Ontvangen;Afdeling;Tags;Reden
W-01;14-02-2024;Burgerzaken;formeel, gegrond, verdaagd;
W-02;20-02-2024;Burgerzaken;informeel;
W-03;04-04-2024;Belastingen;voorkomen;
W-04;09-05-2024;Belastingen;ingetrokken|pers;De klager trok de klacht in
W-05;15-07-2024;Burgerzaken;"formeel; ongegrond ; ombudsman";
W-06;01-10-2024;Belastingen;;
"""
WOO_TOML = """\
[kolommen]
"Nummer" = "klacht_id"
"Ontvangen" = "datum_ontvangst"
"Afdeling" = "team"
"Tags" = "labels"

[afleiden."Tags"]
"formeel" = { status = "afgehandeld", behandeling = "formeel" }
"informeel" = { status = "afgehandeld", behandeling = "informeel" }
"gegrond" = { oordeel = "gegrond" }
"ongegrond" = { oordeel = "ongegrond" }
"verdaagd" = { verdaagd = "ja" }
"ombudsman" = { ombudsman = "ja" }
"voorkomen" = { status = "voorkomen" }
"ingetrokken" = { status = "ingetrokken" }
"(leeg)" = { status = "in behandeling" }

[standaard]
verdaagd = "nee"
ombudsman = "nee"

[teams]
"Burgerzaken" = "Publiekszaken"
"""


def test_woo_list_with_a_labels_column_gives_every_figure(tmp_path):
    write(tmp_path, "klachtenregister.csv", WOO)
    write(tmp_path, "klachten.toml", WOO_TOML)
    folder, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 5,
        "vorig_jaar": None,
        "afgehandeld": 3,
        "niet_afgehandeld": 1,
        "redenen": {"De klager trok de klacht in": 1},
        "in_behandeling": 1,
        "voorkomen": 1,
        "teams": {"Publiekszaken": 3},
        "informeel_formeel": (1, 2),
        "oordelen": {"gegrond": 1, "ongegrond": 1},
        "binnen_termijn": None,  # no closing dates in a Woo list
        "mediaan_dagen": None,
        "ombudsman": 1,
        "aard": {},
        "niet_vastgelegd": [
            "aard",
            "behoorlijkheidsnorm",
            "datum_afgehandeld",
            "kanaal",
            "leerpunt",
            "ombudsman_uitkomst",
        ],
        "jaren": [2024],
        "zinnen": [
            "In 2024 zijn 5 klachten ontvangen.",
            "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:",
            "De klager trok de klacht in (1x).",
            "1 klacht was bij het opstellen van dit overzicht nog in behandeling.",
            "In 2024 is 1 situatie geregistreerd waarin een klacht is voorkomen.",
        ],
    }
    assert folder.unlisted_labels == {"Tags": {"pers": 1}}


# ----------------------------------------------------------------------------- 7. (ours) a migrated case system

MIGRATED = """\
Zaaknummer;Registratiedatum;Status;Afdeling;Reden;Einddatum;Verlengd;Kanaal;Behandelaar
M-01;15-03-2023;Afgesloten;burgerzaken;;20-03-2023;nee;balie;P. Smit
M-02;03-08-2023;afgehandeld;Burgerzaken;;10-08-2023;nee;balie;P. Smit
M-03;12-09-2023;afgehandeld;Sociaal domein;;30-10-2023;nee;e-mail;K. Bakker
M-04;05-02-2024;afgehandeld;SOCIAAL DOMEIN;;11-03-2024;nee;e-mail;K. Bakker
M-05;19-03-2024;afgebroken;Burgerzaken;De klager reageerde niet meer;;nee;telefoon;P. Smit
M-06;02-05-2024;afgehandeld;Publiekszaken;;29-05-2024;ja;brief;P. Smit
M-07;01-07-2024;afgehandeld;publiekszaken;;05-07-2024;nee;balie;P. Smit
"""
MIGRATED_TOML = """\
[bestand]
vanaf = 2023-07-01                   # overgezet uit het oude systeem: volledig vanaf 1 juli 2023
niet_vastgelegd = ["voorkomen"]

[kolommen]
"Zaaknummer" = "klacht_id"
"Registratiedatum" = "datum_ontvangst"
"Afdeling" = "team"
"Einddatum" = "datum_afgehandeld"
"Verlengd" = "verdaagd"

[teams]
"Burgerzaken" = "Publiekszaken"

[organisatie]
teams = ["Publiekszaken", "Sociaal Domein"]
"""


def test_migrated_case_system_complete_from_mid_2023_gives_every_figure(tmp_path):
    write(tmp_path, "klachtenregister.csv", MIGRATED)
    write(tmp_path, "klachten.toml", MIGRATED_TOML)
    folder, f = figures_2024(tmp_path)
    assert published(f) == {
        "ontvangen": 4,
        "vorig_jaar": None,
        "afgehandeld": 3,
        "niet_afgehandeld": 1,
        "redenen": {"De klager reageerde niet meer": 1},
        "in_behandeling": 0,
        "voorkomen": None,
        "teams": {"Publiekszaken": 2, "Sociaal Domein": 1},  # the spelling of [organisatie] teams
        "informeel_formeel": None,
        "oordelen": {},
        "binnen_termijn": "3 van 3",
        "mediaan_dagen": 27.0,
        "ombudsman": None,
        "aard": {},
        "niet_vastgelegd": [
            "aard",
            "behandeling",
            "behoorlijkheidsnorm",
            "leerpunt",
            "ombudsman",
            "ombudsman_uitkomst",
            "oordeel",
            "voorkomen",
        ],
        "jaren": [2024],
        "zinnen": [
            "In 2024 zijn 4 klachten ontvangen. Met 2023 wordt niet vergeleken: het register is pas volledig "
            "vanaf 1 juli 2023.",
            "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:",
            "De klager reageerde niet meer (1x).",
            None,
            None,
        ],
    }
    assert folder.skipped == {"datum_ontvangst vóór 2023-07-01 ([bestand] vanaf)": 1}
    assert text.left_out_years_sentence(f) == (
        "2023 staat niet in dit overzicht: het register is pas volledig vanaf 1 juli 2023."
    )
    result = CliRunner().invoke(app, ["validate", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (
        "Teams die in de verslagen komen (2, met het aantal klachten): Publiekszaken (4), Sociaal Domein (2)."
        in (result.stdout)
    )
