"""The CSV reader by columns (pyarrow's CSV reader, `tabular._columnar_cells`): the same register,
problems and notes as the record-by-record reader, and never a column that is not read in the
first frame it builds (shared/spec/register.md: personal columns are dropped when read)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow.csv
import pytest

from klachtlib.errors import DataError
from klachtlib.reading import register as reader
from klachtlib.reading import tabular

TODAY = date(2025, 1, 31)
HEADER = "klacht_id;datum_ontvangst;status;team;reden;Naam;E-mail;;Toelichting;Zaaktype"
CANARIES = ("Jansen-canary", "jansen.canary@example.nl", "Kerkstraat 1 canary")


def _rows(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


# A title line above the header, CRLF and a lone CR as line ends, a quoted field over two lines
# (also in a column that is not read), blank rows (empty, only separators, only spaces), a
# skipped row ([overslaan]), and rows with too many and too few fields.
TRICKY = (
    _rows(
        "Export klachtenregister",
        HEADER,
        f'K1;2024-01-05;afgehandeld;Burgerzaken;;{CANARIES[0]};{CANARIES[1]};;"regel een\nregel twee";klacht',
        ";;;;;;;;;",
        "   ",
        "",
        'K2;2024-02-05;ingetrokken;"Publiekszaken";De klacht betrof een melding;x;y;;z;klacht',
        "K3;2024-03-05;afgehandeld;Belastingen;;a;b;;c;compliment",
        "K4;2024-03-06;afgehandeld;Belastingen;;a;b;;c;klacht;te veel",
        "K5;2024-03-07;afgehandeld",
    )
    + f"K6;2024-04-01;afgehandeld;Wonen;;{CANARIES[2]};;;;klacht\rK7;2024-04-02;voorkomen;;;;;;;klacht\r\n"
)

SETTINGS = '[overslaan]\n"Zaaktype" = ["compliment"]\n'


def _folder(tmp_path, text: str = TRICKY):
    (tmp_path / "klachtenregister.csv").write_bytes(text.encode("utf-8"))
    (tmp_path / "klachten.toml").write_text(SETTINGS, encoding="utf-8")
    return tmp_path


def _outcome(folder):
    """What reading the folder gives: every problem, or the register and the reader's notes."""
    try:
        read = reader.load_data_folder(folder, today=TODAY)
    except DataError as error:
        return [str(p) for p in error.problems]
    return read.register, [str(p) for p in read.warnings], read.skipped, read.unread_columns


def _by_records(monkeypatch, folder):
    monkeypatch.setattr(tabular, "_columnar_cells", lambda *args: None)
    return _outcome(folder)


def _clean(text: str) -> str:
    """TRICKY without the rows whose field count is wrong."""
    return "\r\n".join(line for line in text.split("\r\n") if not line.startswith(("K4", "K5")))


def test_the_columnar_reader_reports_what_the_record_by_record_reader_reports(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    results = []
    columnar = tabular._columnar_cells
    monkeypatch.setattr(
        tabular, "_columnar_cells", lambda *args: results.append(columnar(*args)) or results[-1]
    )
    by_columns = _outcome(folder)
    assert results and results[0] is not None  # read by columns, not handed to the other reader
    assert len(by_columns) == 2
    assert "regel 10: deze regel heeft 11 velden, de kopregel 10" in by_columns[0]
    assert "regel 11: deze regel heeft 3 velden, de kopregel 10" in by_columns[1]
    assert _by_records(monkeypatch, folder) == by_columns


def test_the_columnar_reader_gives_the_register_the_record_by_record_reader_gives(tmp_path, monkeypatch):
    folder = _folder(tmp_path, _clean(TRICKY))
    register, warnings, skipped, unread = _outcome(folder)
    assert register["klacht_id"].tolist() == ["K1", "K2", "K6", "K7"]
    assert register["team"].tolist()[:3] == ["Burgerzaken", "Publiekszaken", "Wonen"]
    assert skipped == {'Zaaktype = "compliment"': 1}
    assert unread == ("Naam", "E-mail", "Toelichting")
    records = _by_records(monkeypatch, folder)
    pd.testing.assert_frame_equal(records[0], register)
    assert records[1:] == (warnings, skipped, unread)


def test_the_reader_never_puts_an_unread_column_in_its_first_frame(tmp_path, monkeypatch):
    """Personal columns (Naam, E-mail, Toelichting) are not read into the frame the reader builds
    first: pyarrow's CSV reader converts only the columns that are read."""
    folder = _folder(tmp_path, _clean(TRICKY))
    tables = []
    read_csv = pyarrow.csv.read_csv
    monkeypatch.setattr(
        pyarrow.csv, "read_csv", lambda *a, **k: tables.append(read_csv(*a, **k)) or tables[-1]
    )
    frames = []
    collect = reader.collect_cells
    monkeypatch.setattr(
        reader, "collect_cells", lambda *a, **k: frames.append(collect(*a, **k)) or frames[-1]
    )
    register = reader.read_register(folder, today=TODAY)
    assert len(register) == 4
    first_table, first_frame = tables[0].to_pydict(), frames[0].frame
    cells = [str(v) for column in first_table.values() for v in column]
    cells += [str(v) for column in first_frame.columns for v in first_frame[column]]
    assert not [c for c in cells if any(canary in c for canary in CANARIES)]
    assert len(first_table) == len(first_frame.columns) + 2  # and Zaaktype ([overslaan]), the blank header


@pytest.mark.parametrize("suffix", [".xlsx"])
def test_a_workbook_reader_never_puts_an_unread_column_in_its_first_frame(tmp_path, monkeypatch, suffix):
    from conftest import write_workbook

    header = HEADER.split(";")
    rows = [
        [
            "K1",
            date(2024, 1, 5),
            "afgehandeld",
            "Burgerzaken",
            "",
            CANARIES[0],
            CANARIES[1],
            "",
            "x",
            "klacht",
        ],
        ["K2", date(2024, 2, 5), "afgehandeld", "Wonen", "", "a", CANARIES[1], "", CANARIES[2], "klacht"],
    ]
    write_workbook(tmp_path / f"klachtenregister{suffix}", {"Klachten": [header, *rows]})
    frames = []
    collect = reader.collect_cells
    monkeypatch.setattr(
        reader, "collect_cells", lambda *a, **k: frames.append(collect(*a, **k)) or frames[-1]
    )
    assert len(reader.read_register(tmp_path, today=TODAY)) == 2
    frame = frames[0].frame
    cells = [str(v) for column in frame.columns for v in frame[column]]
    assert not [c for c in cells if any(canary in c for canary in CANARIES)]


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 20])
def test_an_ascii_file_is_split_into_lines_as_its_text_is(block):
    """An ASCII file is read as text a block at a time (its bytes are never decoded whole): the
    same lines, line ends and other breaks inside a field as the decoded text gives."""
    text = TRICKY + 'K8;2024-05-01;afgehandeld;Wonen;;a\x0bb;c\x0cd;;"e\r\nf";klacht\r\n\n\rlast'
    data = text.encode("ascii")
    assert list(tabular._physical_lines(data, block)) == list(tabular._physical_lines(text, block))
    assert "".join(tabular._physical_lines(data, block)) == text


def test_an_ascii_file_without_a_line_feed_is_split_as_its_text_is():
    text = "klacht_id;status\rK1;afgehandeld\rK2;voorkomen"
    assert list(tabular._physical_lines(text.encode("ascii"))) == list(tabular._physical_lines(text))
