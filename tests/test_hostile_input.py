"""Hostile and clumsy input on the reading side (issue 10, findings 1 and 7, FIFOs, openpyxl's
warning): a shifted row never moves text into another column, nothing hangs, and what is read
instead of refused is said."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
import warnings
import zipfile
from datetime import date, datetime

import pytest
from conftest import write_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtlib.errors import DataError
from klachtlib.reading.register import load_data_folder, read_register

TODAY = date(2025, 1, 31)
HEADER = "klacht_id;datum_ontvangst;status;omschrijving;team;leerpunt"


def errors_of(path):
    with pytest.raises(DataError) as caught:
        load_data_folder(path, today=TODAY)
    return caught.value.errors


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


# ----------------------------------------------------------------------------- finding 1: CSV rows


def test_a_stray_quote_in_unquoted_free_text_keeps_the_field_count_check(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        f"{HEADER}\n"
        'K1;2024-03-05;afgehandeld;kapot 27" scherm;Burgerzaken;\n'
        "K2;2024-03-06;afgehandeld;te laat;medewerker J. de Vries reageerde te laat\n"  # one field short
        "K3;2024-03-07;afgehandeld;geen reactie;Belastingen;\n",
    )
    (problem,) = errors_of(tmp_path)
    assert problem.row == 3 and "5 velden, de kopregel 6" in problem.message
    assert "de Vries" not in str(problem)


def test_a_truncated_last_row_is_an_error(tmp_path):
    write(
        tmp_path / "klachtenregister.csv", f"{HEADER}\nK1;2024-03-05;afgehandeld;x;Burgerzaken;\nK2;2024-03-0"
    )
    (problem,) = errors_of(tmp_path)
    assert problem.row == 3 and "velden" in problem.message


def test_a_last_row_cut_off_inside_quotes_is_an_error(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        f"{HEADER}\nK1;2024-03-05;afgehandeld;x;Burgerzaken;\n"
        'K2;2024-03-06;afgehandeld;x;Wonen;"Leerpunt: bel',
    )
    (problem,) = errors_of(tmp_path)
    assert problem.row == 3 and "geen geldige CSV" in problem.message


FREE_TEXT = st.text(alphabet=st.sampled_from(list("ab ;,\"\n\r'x")), max_size=25)


@given(texts=st.lists(FREE_TEXT, min_size=3, max_size=3), quoted=st.booleans())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_free_text_with_quotes_separators_and_newlines_never_reaches_the_register(tmp_path, texts, quoted):
    """Either the reader refuses the file, or every row holds exactly what was written in its
    canonical columns: free text never lands in a column that is read. The texts are written
    quoted as a CSV writer would, or raw (a stray `"` in an unquoted cell)."""
    rows = [
        (f"K{i}", f"2024-03-0{i + 1}", "afgehandeld", text, f"Team{i}", f"Leerpunt{i}")
        for i, text in enumerate(texts)
    ]
    cell = (lambda t: '"' + t.replace('"', '""') + '"') if quoted else (lambda t: t)
    lines = [HEADER] + [";".join([*row[:3], cell(row[3]), *row[4:]]) for row in rows]
    write(tmp_path / "klachtenregister.csv", "\n".join(lines) + "\n")
    try:
        register = read_register(tmp_path, today=TODAY)
    except DataError:
        # refusing is always safe; a correctly quoted file is refused only when a text spans lines
        # in the pattern of a row joined to the next by a stray quote (tabular._swallows_a_row)
        assert not quoted or any("\n" in t or "\r" in t for t in texts)
        return
    got = register[["klacht_id", "team", "leerpunt"]].astype(object).values.tolist()
    if not any('"' in t for t in texts):
        assert got == [[r[0], r[4], r[5]] for r in rows]
    else:  # a stray quote may join rows (valid CSV), but never moves a value into another column
        assert all(
            value in {r[k] for r in rows} for row in got for value, k in zip(row, (0, 4, 5), strict=True)
        )


# ----------------------------------------------------------------------------- finding 7: sheets


def workbook_bytes(tmp_path, sheets, states):
    return write_workbook(tmp_path / "werkmap.xlsx", sheets, states).read_bytes()


GOOD = [["klacht_id", "datum_ontvangst", "status"], ["OK-1", datetime(2024, 3, 5), "voorkomen"]]
SECRET = [["klacht_id", "datum_ontvangst", "status"], ["GEHEIM-1", datetime(2024, 3, 5), "voorkomen"]]


@pytest.mark.parametrize(
    ("sheets", "states"),
    [
        ({"Verborgen": SECRET, "Blad1": GOOD}, {"Verborgen": "hidden"}),
        ({"Blad1": GOOD, "Klachten": SECRET}, {"Klachten": "veryHidden"}),
    ],
    ids=["hidden-first-sheet", "very-hidden-klachten-sheet"],
)
def test_hidden_sheets_are_never_read(tmp_path, sheets, states):
    write(tmp_path / "klachtenregister.xlsx", workbook_bytes(tmp_path, sheets, states))
    folder = load_data_folder(tmp_path, today=TODAY)
    assert folder.register["klacht_id"].tolist() == ["OK-1"]
    assert any("verborgen" in w.message for w in folder.warnings)


def test_openpyxl_english_warnings_are_silenced(tmp_path):
    data = workbook_bytes(tmp_path, {"Klachten": GOOD}, {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():  # without styles openpyxl warns "Workbook contains no default style"
            if item.filename != "xl/styles.xml":
                target.writestr(item, source.read(item.filename))
    write(tmp_path / "klachtenregister.xlsx", buffer.getvalue())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        register = read_register(tmp_path, today=TODAY)
    assert register["klacht_id"].tolist() == ["OK-1"]


# ----------------------------------------------------------------------------- finding 7: encoding


def test_stray_windows_1252_bytes_in_a_utf8_file_are_read_as_such_with_a_warning(tmp_path):
    text = (
        "klacht_id;datum_ontvangst;status;team;omschrijving\n"
        "K1;2024-03-05;afgehandeld;Publiekszaken – Burgerzaken;x\n"
    )
    data = text.encode("utf-8") + "K2;2024-03-06;afgehandeld;Publiekszaken – Burgerzaken;caf\xe9\n".encode(
        "cp1252"
    )
    write(tmp_path / "klachtenregister.csv", data)
    folder = load_data_folder(tmp_path, today=TODAY)
    assert folder.register["team"].tolist() == ["Publiekszaken – Burgerzaken"] * 2
    (warning,) = folder.warnings
    assert "regel 3" in warning.message and "Windows-1252" in warning.message


def test_a_windows_1252_file_stays_readable(tmp_path):
    text = (
        "klacht_id;datum_ontvangst;status;team\n"
        "K1;2024-03-05;afgehandeld;Dienstverlening – Balie\nK2;5-3-2024;afgehandeld;Café\n"
    )
    write(tmp_path / "klachtenregister.csv", text.encode("cp1252"))
    folder = load_data_folder(tmp_path, today=TODAY)
    assert folder.register["team"].tolist() == ["Dienstverlening – Balie", "Café"]
    assert folder.warnings == []


# ----------------------------------------------------------------------------- finding 7: values


def test_a_number_is_an_excel_serial_only_when_plausible(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        "klacht_id;datum_ontvangst;status\nK1;00001;voorkomen\nK2;12345;voorkomen\nK3;45356;voorkomen\n",
    )
    problems = errors_of(tmp_path)
    assert [(p.row, p.column) for p in problems] == [(2, "datum_ontvangst"), (3, "datum_ontvangst")]
    write(tmp_path / "klachtenregister.csv", "klacht_id;datum_ontvangst;status\nK3;45356;voorkomen\n")
    register = read_register(tmp_path, today=TODAY)
    assert register.at[0, "datum_ontvangst"] == datetime(2024, 3, 5)


def test_control_and_invisible_characters_are_removed_with_a_warning_count(tmp_path):
    padding = "".join(f"P{i};2024-03-05;voorkomen;;\n" for i in range(3000))  # past the first 64 KB
    write(
        tmp_path / "klachtenregister.csv",
        "klacht_id;datum_ontvangst;status;team;aard\n"
        + padding
        + "K1;2024-03-05;afgehandeld;Burgerzaken\u200b;geen oplossing\n"
        + "K2;2024-03-05;afgehandeld;\ufeffBurgerzaken;geen\x00 oplossing\x1b\x07\n"
        + "K3;2024-03-05;afgehandeld;Burgerzaken;geen oplossing\n",
    )
    assert len((tmp_path / "klachtenregister.csv").read_bytes()) > 65536
    folder = load_data_folder(tmp_path, today=TODAY)
    handled = folder.register[folder.register["status"] == "afgehandeld"]
    assert set(handled["team"]) == {"Burgerzaken"}
    assert set(handled["aard"]) == {"geen oplossing"}
    assert sorted((w.column, w.message.split(" ")[0]) for w in folder.warnings) == [
        ("aard", "1"),
        ("team", "2"),
    ]


def test_a_blank_header_is_an_error_when_its_column_holds_data(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        "klacht_id;datum_ontvangst;status;;team\nK1;2024-03-05;voorkomen;;\nK2;2024-03-05;voorkomen;ja;\n",
    )
    (problem,) = errors_of(tmp_path)
    assert (
        problem.row == 1 and "kolom 4 heeft geen kopnaam" in problem.message and "regel 3" in problem.message
    )


def test_a_blank_header_over_an_empty_column_is_fine(tmp_path):
    write(tmp_path / "klachtenregister.csv", "klacht_id;datum_ontvangst;status;\nK1;2024-03-05;voorkomen;\n")
    assert read_register(tmp_path, today=TODAY)["klacht_id"].tolist() == ["K1"]


def test_a_long_value_is_cut_with_a_warning(tmp_path):
    long_nature = "lange omschrijving " * 50_000  # about 1 MB
    write(
        tmp_path / "klachtenregister.csv",
        f"klacht_id;datum_ontvangst;status;team;aard\nK1;2024-03-05;afgehandeld;Wonen;{long_nature}\n",
    )
    folder = load_data_folder(tmp_path, today=TODAY)
    nature = folder.register.at[0, "aard"]
    assert len(nature) == 200 and nature.endswith("\u2026")
    (warning,) = folder.warnings
    assert warning.column == "aard" and "ingekort tot 200 tekens" in warning.message


# ----------------------------------------------------------------------------- only regular files


def test_a_folder_named_like_the_register_is_a_dutch_error(tmp_path):
    (tmp_path / "klachtenregister.csv").mkdir()
    (problem,) = errors_of(tmp_path)
    assert "dit is een map" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize(
    "name", ["klachtenregister.csv", "klantcontacten.csv", "klachten.toml", "toelichting/2024.md"]
)
def test_a_fifo_among_the_inputs_is_a_dutch_error_not_a_hang(tmp_path, name):
    write(
        tmp_path / "klachtenregister.csv",
        "klacht_id;datum_ontvangst;status;team\nK1;2024-03-05;afgehandeld;X\n",
    )
    target = tmp_path / name
    target.parent.mkdir(exist_ok=True)
    if target.exists():
        target.unlink()
    os.mkfifo(target)
    script = (
        "import sys; from datetime import date; from klachtlib.errors import DataError\n"
        "from klachtlib.reading.register import load_data_folder\n"
        "from klachtlib.presentation.text import render_narrative\n"
        "from klachtlib.domain import counts\n"
        "try:\n"
        "    f = load_data_folder(sys.argv[1], today=date(2025, 1, 31))\n"
        "    figures = counts.year_figures(f.register, f.contacts, f.settings, 2024)\n"
        "    render_narrative(sys.argv[1], 2024, figures)\n"
        "except DataError as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "geen gewoon bestand" in result.stdout and name.split("/")[-1] in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_register_is_a_dutch_error(tmp_path):
    path = write(
        tmp_path / "klachtenregister.csv", "klacht_id;datum_ontvangst;status\nK1;2024-03-05;voorkomen\n"
    )
    path.chmod(0)
    try:
        (problem,) = errors_of(tmp_path)
    finally:
        path.chmod(0o600)
    assert "kan niet worden gelezen" in problem.message


def test_the_separator_is_taken_from_outside_quoted_text(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        f'{HEADER}\nK1;2024-03-05;afgehandeld;",,,,,,,,";Wonen;\nK2;2024-03-05;afgehandeld;x;Wonen;\n',
    )
    assert read_register(tmp_path, today=TODAY)["klacht_id"].tolist() == ["K1", "K2"]


def test_a_stray_quote_that_joins_two_rows_of_the_right_length_is_an_error(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        f'{HEADER}\nK1;2024-03-05;afgehandeld;";Team1;geen\nK2;2024-03-06;afgehandeld;";Team2;J. de Vries\n',
    )
    (problem,) = errors_of(tmp_path)
    assert problem.row == 2 and "samengevoegd" in problem.message


@pytest.mark.parametrize("end", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_every_line_end_is_read_and_other_breaks_stay_inside_a_field(tmp_path, end):
    text = end.join(
        [
            "klacht_id;datum_ontvangst;status;omschrijving;team",
            'K1;2024-03-05;afgehandeld;"pagina\x85een\u2028twee";Wonen',
            "K2;2024-03-06;afgehandeld;x;Wonen",
            "",
        ]
    )
    write(tmp_path / "klachtenregister.csv", text)
    register = read_register(tmp_path, today=TODAY)
    assert register["klacht_id"].tolist() == ["K1", "K2"]
    assert register["team"].tolist() == ["Wonen", "Wonen"]


# --------------------------------------------------------------------------- sizes (issue 18, item 6)


def test_a_workbook_whose_rows_reach_column_xfd_is_read_by_its_real_cells(tmp_path):
    """Formatting to column XFD on every row (16,384 cells a row as a sheet claims them) costs
    what the data costs: the reader, validate and koppel read only up to the header's width."""
    import time

    import openpyxl
    from openpyxl.styles import Font

    from klachtlib.delivery.summary import check_folder
    from klachtlib.reading import tabular
    from klachtlib.reading.koppel import koppel

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Klachten"
    sheet.append(["Klacht ID", "Datum ontvangst", "Status", "Team"])
    for n in range(2000):
        sheet.append([f"K-{n}", "2024-03-05", "afgehandeld", "Wonen"])
        sheet.cell(row=n + 2, column=16384).font = Font(bold=True)  # an empty, formatted cell at XFD
    workbook.save(tmp_path / "klachtenregister.xlsx")
    source = tabular.file_sources(tmp_path / "klachtenregister.xlsx", None, [], [])[0]
    widths = [len(cells) for _, cells in itertools.islice(source.rows, 40)]
    assert max(widths) == 4  # the first rows are cut at their last filled cell
    start = time.monotonic()
    assert len(load_data_folder(tmp_path).register) == 2000
    assert not check_folder(tmp_path).errors
    assert any("2000 rijen met gegevens" in line for line in koppel(tmp_path).lines)
    assert time.monotonic() - start < 60  # unbounded, it took half an hour (and koppel a MemoryError)


def test_koppel_and_validate_cut_a_huge_cell_before_wrapping(tmp_path):
    """One 30 MB cell in a column koppel shows: cut to 200 characters before anything wraps it
    (linear time), never printed whole; the reader cuts it too, with a warning."""
    import time

    from klachtlib.delivery.summary import check_folder
    from klachtlib.reading.koppel import koppel

    huge = "lange doorlooptijd " * 1_600_000  # about 30 MB in one cell
    (tmp_path / "klachtenregister.csv").write_text(
        f"Klacht ID;Datum ontvangst;Status;Team;Aard\nK-1;05-03-2024;afgehandeld;Wonen;{huge}\n"
        "K-2;06-03-2024;afgehandeld;Wonen;geen oplossing\n",
        encoding="utf-8",
    )
    start = time.monotonic()
    lines = koppel(tmp_path).lines
    assert max(len(line) for line in lines) <= 110
    validation = check_folder(tmp_path)
    assert any("ingekort tot 200 tekens" in p.message for p in validation.problems)
    assert time.monotonic() - start < 60  # wrapping it whole was quadratic: 4 MB took 6.5 s
