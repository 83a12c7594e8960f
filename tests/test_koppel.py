"""`klachten koppel`: the mapping assistant on exports written by the tests.

The draft, saved as klachten.toml, must give the right figures where the mapping is
unambiguous (also with `[afleiden]` and `[bestand]`); personal-data canaries in columns koppel
does not read never appear in what it prints or writes.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klachtlib.delivery.cli import app
from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.reading.koppel import koppel
from klachtlib.reading.register import load_data_folder

NAME_CANARY = "Canary Jansen-Qx7"
BSN_CANARY = "999990019"
TEXT_CANARY = "CANARY-omschrijving-zk4"
CANARIES = (NAME_CANARY, BSN_CANARY, TEXT_CANARY)


def zaaksysteem_export() -> str:
    """A case-system export: its own header names and spellings, and three personal columns."""
    header = (
        "Zaaknummer;Registratiedatum;Einddatum;Afdeling;Status;Behandelwijze;Beoordeling;Verlengd;"
        "Kanaal;Categorie;Naam klager;BSN;Omschrijving"
    )
    rows = [
        # 2024: 6 handled (4 informal, 2 formal), 1 withdrawn, 1 open
        "Z-1;05-03-2024;12-03-2024;Publiekszaken;Afgerond;Informeel;;Nee;Email;geen oplossing",
        "Z-2;06-03-2024;20-03-2024;Publiekszaken;Afgerond;Informeel;;Nee;Telefonisch;geen oplossing",
        "Z-3;07-03-2024;21-03-2024;Belastingen;Afgerond;Informeel;;Nee;Website;lange doorlooptijd",
        "Z-4;08-03-2024;22-03-2024;Belastingen;Afgerond;Informeel;;Nee;Email;lange doorlooptijd",
        "Z-5;01-02-2024;10-04-2024;Belastingen;Afgerond;Formeel;Gegrond;Ja;Post;geen of late reactie",
        "Z-6;01-02-2024;30-04-2024;Wonen;Afgerond;Formeel;Ongegrond;Nee;Email;geen of late reactie",
        "Z-7;09-03-2024;;Wonen;Ingetrokken;;;Nee;Email;geen oplossing",
        "Z-8;10-03-2024;;Wonen;Lopend;;;Nee;Telefonisch;geen oplossing",
    ]
    personal = f";{NAME_CANARY};{BSN_CANARY};{TEXT_CANARY}"
    return "\n".join([header, *(row + personal for row in rows)]) + "\n"


def write(folder: Path, content: str, name: str = "klachtenregister.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def apply_draft(folder: Path, draft: Path) -> None:
    (folder / "klachten.toml").write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")


# --------------------------------------------------------------------------- a zaaksysteem export


def test_draft_for_a_zaaksysteem_export_gives_the_right_figures(tmp_path):
    write(tmp_path, zaaksysteem_export())
    result = koppel(tmp_path)
    assert result.draft == tmp_path / "klachten.voorstel.toml"
    apply_draft(tmp_path, result.draft)
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.not_handled, f.still_open) == (8, 6, 1, 1)
    assert (f.informal, f.formal) == (4, 2)
    assert f.verdicts.set_index("oordeel")["aantal"].to_dict() == {
        "gegrond": 1,
        "deels gegrond": 0,
        "ongegrond": 1,
        "geen oordeel": 0,
    }
    # Z-5: 69 days, extended (10 weeks): in time; Z-6: 89 days, not extended: late.
    assert (f.closed_count, f.within_term_count) == (6, 5)
    assert dict(f.handled_per_team.itertuples(index=False, name=None)) == {
        "Belastingen": 3,
        "Publiekszaken": 2,
        "Wonen": 1,
    }
    per_channel = folder.register["kanaal"].value_counts().to_dict()
    assert per_channel == {"e-mail": 4, "telefoon": 2, "webformulier": 1, "brief": 1}
    # The withdrawn complaint has no reason column: counted as not recorded, with a warning.
    assert f.not_handled_by_reason["reden"].tolist() == ["Reden niet vastgelegd"]


def test_draft_maps_the_usual_column_names(tmp_path):
    write(tmp_path, zaaksysteem_export())
    draft = koppel(tmp_path).draft.read_text(encoding="utf-8")
    for line in (
        '"Zaaknummer" = "klacht_id"',
        '"Registratiedatum" = "datum_ontvangst"',
        '"Einddatum" = "datum_afgehandeld"',
        '"Afdeling" = "team"',
        '"Behandelwijze" = "behandeling"',
        '"Beoordeling" = "oordeel"',
        '"Verlengd" = "verdaagd"',
        '"Categorie" = "aard"',
        '"Afgerond" = "afgehandeld"',
        '"Lopend" = "in behandeling"',
        '"Telefonisch" = "telefoon"',
        '"Website" = "webformulier"',
        '"Post" = "brief"',
    ):
        assert line in draft, line
    assert '"Email"' not in draft  # the reader matches 'Email' to e-mail by itself


def test_canaries_in_unread_columns_never_appear_in_output_or_draft(tmp_path):
    write(tmp_path, zaaksysteem_export())
    result = CliRunner().invoke(app, ["koppel", "--data-dir", os.fspath(tmp_path)], prog_name="klachten")
    assert result.exit_code == 0, result.output
    draft = Path(result.stdout.splitlines()[-1]).read_text(encoding="utf-8")
    for canary in CANARIES:
        assert canary not in result.output
        assert canary not in draft
    # The columns themselves are named, as not read.
    assert "Naam klager" in result.stdout and "wordt niet gelezen" in result.stdout


def test_values_of_read_columns_are_shown_with_counts(tmp_path):
    write(tmp_path, zaaksysteem_export())
    lines = koppel(tmp_path).lines
    status = next(line for line in lines if line.strip().startswith("Status:"))
    assert "Afgerond 6x" in status and "Ingetrokken 1x" in status and "Lopend 1x" in status


def test_koppel_never_overwrites_klachten_toml_or_an_earlier_draft(tmp_path):
    write(tmp_path, zaaksysteem_export())
    (tmp_path / "klachten.toml").write_text("# mijn instellingen\n", encoding="utf-8")
    first = koppel(tmp_path).draft
    first.write_text("# bewerkt\n", encoding="utf-8")
    second = koppel(tmp_path).draft
    assert (first.name, second.name) == ("klachten.voorstel.toml", "klachten.voorstel-2.toml")
    assert (tmp_path / "klachten.toml").read_text(encoding="utf-8") == "# mijn instellingen\n"
    assert first.read_text(encoding="utf-8") == "# bewerkt\n"


def test_the_draft_is_toml_also_with_quotes_and_backslashes_in_headers_and_values(tmp_path):
    write(tmp_path, 'Zaak "nr";Registratiedatum;Status;Afdeling\nZ-1;05-03-2024;Lopend;Team \\ "Noord"\n')
    text = koppel(tmp_path).draft.read_text(encoding="utf-8")
    assert tomllib.loads(text)["kolommen"]['Zaak "nr"'] == "klacht_id"
    assert '# teams = ["Team \\\\ \\"Noord\\""]' in text  # the commented line is TOML too


def test_koppel_without_export_is_a_dutch_error_exit_1(tmp_path):
    with pytest.raises(DataError, match="geen export gevonden"):
        koppel(tmp_path)
    result = CliRunner().invoke(app, ["koppel", "--data-dir", os.fspath(tmp_path)], prog_name="klachten")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_a_second_candidate_column_is_named_but_not_read(tmp_path):
    write(
        tmp_path,
        "Zaaknummer,Datum ontvangst,Registratiedatum,Status,Team\nZ-1,2024-03-05,2024-03-01,afgehandeld,A\n",
    )
    lines = koppel(tmp_path).lines
    assert any("Registratiedatum" in line and "wordt niet gelezen" in line for line in lines)
    assert not any("2024-03-01" in line for line in lines)  # never a value of a column not read


# --------------------------------------------------------------------------- a Woo overview: Resultaat


def woo_export() -> str:
    header = "Kenmerk,Datum ontvangst,Datum afgehandeld,Afdeling,Resultaat,Naam"
    rows = [
        "W-1,2024-03-01,2024-03-20,Wonen,Gegrond",
        "W-2,2024-03-02,2024-03-21,Wonen,Ongegrond",
        "W-3,2024-03-03,2024-03-10,Afval,Informeel opgelost",
        "W-4,2024-03-04,2024-03-11,Afval,Informeel opgelost",
        "W-5,2024-03-05,,Afval,",
    ]
    return "\n".join([header, *(f"{row},{NAME_CANARY}" for row in rows)]) + "\n"


def test_a_result_column_becomes_afleiden_in_the_draft(tmp_path):
    write(tmp_path, woo_export())
    draft = koppel(tmp_path).draft.read_text(encoding="utf-8")
    assert '[afleiden."Resultaat"]' in draft
    assert '"Gegrond" = { status = "afgehandeld", behandeling = "formeel", oordeel = "gegrond" }' in draft
    assert '"Informeel opgelost" = { status = "afgehandeld", behandeling = "informeel" }' in draft
    assert '"" = { status = "in behandeling" }' in draft
    assert NAME_CANARY not in draft


def test_draft_with_afleiden_gives_the_right_figures(tmp_path):
    write(tmp_path, woo_export())
    apply_draft(tmp_path, koppel(tmp_path).draft)
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.still_open, f.informal, f.formal) == (5, 4, 1, 2, 2)


# --------------------------------------------------------------------------- a hand-kept register


def hand_kept_export() -> str:
    return (
        "Klachtenregister gemeente Voorbeeld\n"
        "Bijgewerkt door de klachtencoördinator\n"
        "\n"
        "Nr;Datum binnenkomst;Status;Team;Reden;Klager\n"
        f"1;5-3-2024;afgehandeld;Wonen;;{NAME_CANARY}\n"
        f"2;6-3-2024;ingetrokken;Wonen;De klacht betrof een melding;{NAME_CANARY}\n"
        "Totaal;;;;;\n"
    )


def test_header_below_a_preamble_is_found_and_totals_rows_are_skipped_in_the_draft(tmp_path):
    write(tmp_path, hand_kept_export())
    result = koppel(tmp_path)
    assert any("kopregel op rij 4" in line for line in result.lines)
    draft = result.draft.read_text(encoding="utf-8")
    assert "kopregel = 4" in draft
    assert '"Nr" = ["Totaal"]' in draft
    assert NAME_CANARY not in draft and not any(NAME_CANARY in line for line in result.lines)
    assert "Klachtenregister gemeente Voorbeeld" not in "\n".join(result.lines)  # preamble is not data


def test_draft_for_a_hand_kept_register_gives_the_right_figures(tmp_path):
    write(tmp_path, hand_kept_export())
    apply_draft(tmp_path, koppel(tmp_path).draft)
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.not_handled) == (2, 1, 1)


def test_a_header_the_reader_would_not_match_gets_a_kolommen_line(tmp_path):
    write(tmp_path, "Klacht ID.,Datum ontvangst,Status,Team\nK-1,2024-03-05,afgehandeld,Wonen\n")
    draft = koppel(tmp_path).draft
    assert '"Klacht ID." = "klacht_id"' in draft.read_text(encoding="utf-8")
    apply_draft(tmp_path, draft)
    assert load_data_folder(tmp_path).register["klacht_id"].tolist() == ["K-1"]


def test_an_xlsx_with_one_sheet_per_year_gets_tabbladen_alle(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for year in (2023, 2024):
        sheet = book.create_sheet(str(year))
        sheet.append(["Zaaknummer", "Registratiedatum", "Status", "Afdeling", "BSN"])
        sheet.append([f"Z-{year}", f"{year}-03-05", "Afgerond", "Wonen", BSN_CANARY])
    book.save(tmp_path / "klachtenregister.xlsx")
    result = koppel(tmp_path)
    draft = result.draft.read_text(encoding="utf-8")
    assert 'tabbladen = "alle"' in draft
    assert '"Registratiedatum" = "datum_ontvangst"' in draft
    assert BSN_CANARY not in draft and not any(BSN_CANARY in line for line in result.lines)
    assert any("tabblad '2024'" in line for line in result.lines)


def test_values_of_every_sheet_reach_the_draft(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for year, status in ((2023, "Afgerond"), (2024, "Lopend")):
        sheet = book.create_sheet(str(year))
        sheet.append(["Zaaknummer", "Registratiedatum", "Status", "Afdeling"])
        sheet.append([f"Z-{year}", f"{year}-03-05", status, "Wonen"])
    book.save(tmp_path / "klachtenregister.xlsx")
    draft = koppel(tmp_path).draft.read_text(encoding="utf-8")
    assert '"Afgerond" = "afgehandeld"' in draft and '"Lopend" = "in behandeling"' in draft


def test_us_dates_and_a_missing_identifier_are_proposed_in_bestand(tmp_path):
    write(tmp_path, "Registratiedatum,Status,Afdeling\n4/13/2024,Afgerond,Wonen\n3/2/2024,Afgerond,Wonen\n")
    draft = koppel(tmp_path).draft.read_text(encoding="utf-8")
    assert 'datumvolgorde = "maand-dag"' in draft
    assert 'klacht_id = "regelnummer"' in draft


def test_dutch_slash_dates_need_no_datumvolgorde(tmp_path):
    write(tmp_path, "Zaaknummer,Registratiedatum,Status\nZ-1,13/4/2024,Afgerond\n")
    assert "datumvolgorde" not in koppel(tmp_path).draft.read_text(encoding="utf-8")


def mixed_result_export() -> str:
    """Status says only 'Afgesloten'; Resultaat says withdrawn/forwarded and the verdicts."""
    return (
        "Zaaknummer;Zaaktype;Registratiedatum;Status;Resultaat;Team;Naam klager\n"
        f"Z-1;Klacht;05-03-2024;Afgesloten;Gegrond;Balie;{NAME_CANARY}\n"
        f"Z-2;Klacht;06-03-2024;Afgesloten;informeel OPGELOST;WOZ;{NAME_CANARY}\n"
        f"Z-3;Compliment;07-03-2024;Afgesloten;;Balie;{NAME_CANARY}\n"
        f"Z-4;Klacht;08-03-2024;Afgesloten;Doorgezonden;WOZ;{NAME_CANARY}\n"
        f"Z-5;Klacht;09-03-2024;In behandeling;;WOZ;{NAME_CANARY}\n"
        f"Z-6;Klacht;10-03-2024;Afgesloten;Ongegrond;WOZ;{NAME_CANARY}\n"
    )


def test_a_result_column_mixing_statuses_and_verdicts_fills_status_too(tmp_path):
    write(tmp_path, mixed_result_export())
    result = koppel(tmp_path)
    draft = result.draft.read_text(encoding="utf-8")
    assert '"Doorgezonden" = { status = "doorgestuurd" }' in draft
    assert '# "Zaaktype" = ["???"]' in draft  # named, never with its values
    # Status says afgesloten/in behandeling where Resultaat is empty: both are read, Resultaat first,
    # so a closed complaint without a result is never counted as open.
    assert 'status = ["Resultaat", "Status"]' in draft and '"Status" = "status"' in draft
    # The analyst fills in the one thing koppel cannot know: which Zaaktype is no complaint.
    filled = draft.replace('# "Zaaktype" = ["???"]', '"Zaaktype" = ["Compliment"]')
    (tmp_path / "klachten.toml").write_text(filled, encoding="utf-8")
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.not_handled, f.still_open, f.informal, f.formal) == (5, 3, 1, 1, 1, 2)
    assert sum(folder.skipped.values()) == 1


# --------------------------------------------------------------------------- read as the reader reads


def test_koppel_never_reads_a_hidden_sheet(tmp_path):
    from conftest import write_workbook

    header = ["Zaaknummer", "Registratiedatum", "Status", "Afdeling"]
    write_workbook(
        tmp_path / "klachtenregister.xlsx",
        {
            "Verborgen": [header, ["H-1", "2024-03-05", NAME_CANARY, "Wonen"]],
            "Klachten": [header, ["Z-1", "2024-03-05", "Afgerond", "Wonen"]],
        },
        states={"Verborgen": "hidden"},
    )
    result = koppel(tmp_path)
    shown = "\n".join(result.lines) + result.draft.read_text(encoding="utf-8")
    assert "Afgerond" in shown and NAME_CANARY not in shown and "Verborgen" not in shown


def test_koppel_refuses_a_fifo_instead_of_waiting_for_it(tmp_path):
    from test_cli import run_klachten

    os.mkfifo(tmp_path / "klachtenregister.csv")
    done = run_klachten("koppel", "--data-dir", str(tmp_path), cwd=tmp_path)  # times out if it waits
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "klachtenregister.csv" in done.stderr and "Fout" in done.stderr


# --------------------------------------------------------------------------- any export (issue 19)


def koppel_output(folder) -> tuple[list[str], str]:
    result = koppel(folder)
    return result.lines, result.draft.read_text(encoding="utf-8")


def test_overlapping_incident_exports_get_their_identifier_dubbel_and_voorrang_never_regelnummer(tmp_path):
    from test_export_shapes import write_topdesk

    write_topdesk(tmp_path)
    lines, draft = koppel_output(tmp_path)
    assert '"Incidentnummer" = "klacht_id"' in draft and "regelnummer" not in draft
    assert 'dubbel = "laatste"' in draft and 'status = ["Afhandeling", "Status"]' in draft
    filled = draft.replace('# "Soort melding" = ["???"]', '"Soort melding" = ["Vraag", "Storing"]')
    (tmp_path / "klachten.toml").write_text(filled, encoding="utf-8")
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.not_handled, f.still_open, f.formal) == (5, 2, 2, 1, 2)
    assert not any("J. Klant" in line or "A. Boos" in line for line in lines)  # Aanmelder is not read


def test_a_column_unique_per_row_with_code_values_is_proposed_as_identifier(tmp_path):
    write(
        tmp_path,
        "Code;Datum ontvangst;Status;Team;Omschrijving\n"
        "KL/24/0001;05-03-2024;afgehandeld;Wonen;Lang gewacht op antwoord\n"
        "KL/24/0002;06-03-2024;afgehandeld;Wonen;Lang gewacht op antwoord\n",
    )
    lines, draft = koppel_output(tmp_path)
    assert '"Code" = "klacht_id"' in draft and "regelnummer" not in draft


def test_english_and_system_headers_are_recognised_in_an_ods_export(tmp_path):
    from conftest import write_ods
    from test_export_shapes import HELPDESK

    write_ods(tmp_path / "klachtenregister.ods", {"Tickets": HELPDESK})
    lines, draft = koppel_output(tmp_path)
    for line in (
        '"Ticket" = "klacht_id"',
        '"Opened" = "datum_ontvangst"',
        '"Closed" = "datum_afgehandeld"',
        '"Category" = "aard"',
        '"Channel" = "kanaal"',
        '"Extended" = "verdaagd"',
        '"Phone" = "telefoon"',
        '"Founded" = { behandeling = "formeel", oordeel = "gegrond" }',
    ):
        assert line in draft, line
    assert not any("Mr. Brown" in line or "Apology" in line for line in lines)  # Customer, Notes


def test_a_free_text_column_named_like_a_canonical_one_is_not_proposed_and_never_shown(tmp_path):
    conclusions = [
        "De klager is uitgebreid te woord gestaan en krijgt excuses van de afdeling",
        "Na overleg met de teamleider is besloten het bezwaar alsnog te behandelen",
        "Het gesprek verliep goed; de inwoner voelde zich gehoord door de medewerker",
    ]
    rows = [f"Z-{n};0{n}-03-2024;afgehandeld;Wonen;{text}" for n, text in enumerate(conclusions, 1)]
    write(tmp_path, "Zaaknummer;Datum ontvangst;Status;Team;Conclusie\n" + "\n".join(rows) + "\n")
    lines, draft = koppel_output(tmp_path)
    assert '"Conclusie" = "oordeel"' not in draft
    assert any("Conclusie" in line and "wordt niet gelezen" in line and "passen" in line for line in lines)
    assert not any(text[:20] in line for text in conclusions for line in lines)


def test_a_header_that_occurs_twice_is_named_and_proposed_as_a_list(tmp_path):
    write(
        tmp_path,
        "Nr;Datum;Team;Status;Datum\nR-1;05-03-2024;Wonen;afgehandeld;20-03-2024\n"
        "R-2;06-03-2024;Wonen;afgehandeld;21-03-2024\n",
    )
    lines, draft = koppel_output(tmp_path)
    assert any("De kopnaam 'Datum' komt 2 keer voor" in line for line in lines)
    assert '"Datum" = ["datum_ontvangst", "datum_afgehandeld"]' in draft
    (tmp_path / "klachten.toml").write_text(draft, encoding="utf-8")
    register = load_data_folder(tmp_path).register.set_index("klacht_id")
    assert str(register.at["R-1", "datum_afgehandeld"].date()) == "2024-03-20"


def test_without_a_known_header_name_the_header_is_found_by_its_shape_and_said(tmp_path):
    write(
        tmp_path,
        "Overzicht 2024\n\nVolg;Binnen;Toestand;Groep\n"
        "A1;05-03-2024;afgehandeld;Wonen\nA2;06-03-2024;afgehandeld;Afval\nA3;07-03-2024;afgehandeld;Afval\n",
    )
    lines, draft = koppel_output(tmp_path)
    assert any("Geen bekende kopnaam gevonden: rij 3 lijkt de kopregel" in line for line in lines)
    assert "kopregel = 3" in draft


def test_a_status_history_is_recognised_and_its_draft_gives_one_row_per_complaint(tmp_path):
    from test_export_shapes import HISTORY

    write(tmp_path, HISTORY)
    lines, draft = koppel_output(tmp_path)
    assert 'regels = "statushistorie"' in draft and '"Termijn verdaagd" = { verdaagd = "ja" }' in draft
    (tmp_path / "klachten.toml").write_text(draft, encoding="utf-8")
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.not_handled, f.still_open, f.within_term_count) == (4, 2, 1, 1, 2)
    assert not any("A. Jansen" in line for line in lines)  # Medewerker is not read


def test_team_values_are_listed_with_counts_the_largest_forty(tmp_path):
    rows = [f"Z-{n};05-03-2024;afgehandeld;Team {n % 50:02d}" for n in range(1, 201)]
    write(tmp_path, "Zaaknummer;Datum ontvangst;Status;Team\n" + "\n".join(rows) + "\n")
    lines, draft = koppel_output(tmp_path)
    shown = " ".join(lines)
    assert "Team (de 40 grootste): Team 00 4x, Team 01 4x" in shown and "en nog 10 andere" in shown
    assert '# teams = ["Team 00", "Team 01"' in draft


def test_a_published_value_that_also_occurs_in_a_dropped_column_is_flagged_never_shown_there(tmp_path):
    write(
        tmp_path,
        "Zaaknummer;Datum ontvangst;Status;Afdeling;Behandelaar\n"
        f"Z-1;05-03-2024;afgehandeld;Wonen;{NAME_CANARY}\nZ-2;06-03-2024;afgehandeld;Bakker;Bakker\n"
        "Z-3;06-03-2024;afgehandeld;mw. J. de Vries;X\n",
    )
    lines, draft = koppel_output(tmp_path)
    assert "  Afdeling: 'Bakker' staat ook in de kolom 'Behandelaar', die niet wordt gelezen" in lines
    assert "  Afdeling: 'mw. J. de Vries' lijkt een persoon" in lines
    assert '# "Bakker" = "???"' in draft
    assert NAME_CANARY not in "\n".join(lines) + draft


def test_a_sheet_of_prevented_complaints_gets_its_own_tabblad_section_and_the_draft_reads_it(tmp_path):
    from test_export_shapes import write_report_workbook

    write_report_workbook(tmp_path / "klachtenregister.xlsx")
    lines, draft = koppel_output(tmp_path)
    assert '[tabblad."Voorkomen klachten"]' in draft and 'vast = { status = "voorkomen" }' in draft
    assert '"Datum" = ["datum_ontvangst", "datum_afgehandeld"]' in draft and '"Nr" = ["Totaal"]' in draft
    (tmp_path / "klachten.toml").write_text(draft, encoding="utf-8")
    folder = load_data_folder(tmp_path)
    f = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert (f.total, f.handled, f.not_handled, f.still_open, f.prevented) == (4, 2, 1, 1, 2)
    assert not any("Teruggebeld" in line for line in lines)  # Toelichting is not read
