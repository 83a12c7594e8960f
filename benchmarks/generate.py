"""Generate realistic, fictitious data folders for the benchmarks (fixed seed: reproducible).

A register as a case system's `;`-separated export: Dutch and ISO dates mixed with written
months, value spellings as people type them (`Afgehandeld`, `afgehandeld`, `Niet ontvankelijk`),
and a free-text column whose quoted text may hold the separator, `""` and line breaks.
The settings, contact volumes and one narrative are copied from the sample folder `data/`.

Usage: `python benchmarks/generate.py DIR --rows 2000 --years 2020-2024`
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

import numpy as np

SEED = 6
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data"

HEADER = (
    "Zaaknummer;Datum ontvangst;Status;Team;Reden;Behandeling;Oordeel;Datum afgehandeld;Verdaagd;"
    "Kanaal;Aard;Leerpunt;Ombudsman;Omschrijving"
)
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
TEAMS = (
    "Publiekszaken", "Burgerzaken", "Belastingen", "Openbare ruimte", "Werk en inkomen",
    "Vergunningen", "Afval en reiniging", "Toezicht en handhaving", "Zorg en jeugd",
    "Klantcontactcentrum",
)  # fmt: skip
TEAM_WEIGHTS = (12, 6, 14, 14, 12, 10, 9, 8, 9, 6)
# More departments, for a large municipality's register (`--teams 40`), each weighing 8.
MORE_TEAMS = (
    "Wijkteam Noord", "Wijkteam Zuid", "Wijkteam Oost", "Wijkteam West", "Parkeren",
    "Belastingen en WOZ", "Omgevingsvergunningen", "Schuldhulpverlening", "Leerlingenvervoer",
    "Wmo en hulpmiddelen", "Jeugdhulp", "Inburgering", "Sport en recreatie", "Cultuur",
    "Onderwijshuisvesting", "Economische zaken", "Evenementen", "Groenbeheer", "Riolering",
    "Verkeer en vervoer", "Bouwtoezicht", "Milieu", "Burgerlijke stand", "Reisdocumenten",
    "Gemeentearchief", "Begraafplaatsen", "Markten", "Bijzondere bijstand", "Participatie",
    "Communicatie", "Griffie", "Facilitaire zaken",
)  # fmt: skip
REASONS = (
    "De klager reageerde niet meer tijdens de klachtbehandeling",
    "De klacht betrof een melding",
    "De klacht ging alleen over een opgelegde boete",
    "De klager trok de klacht in toen er toch een oplossing kwam",
    "De klacht werd meegenomen in het hoger beroep",
    "De klacht hoorde thuis bij een andere instantie",
)
# (spelling as typed, canonical status, weight)
STATUSES = (
    ("Afgehandeld", "afgehandeld", 45),
    ("afgehandeld", "afgehandeld", 25),
    ("Niet ontvankelijk", "niet-ontvankelijk", 5),
    ("niet-ontvankelijk", "niet-ontvankelijk", 3),
    ("Ingetrokken", "ingetrokken", 3),
    ("Ingetrokken door klager", "ingetrokken", 1),
    ("Afgebroken", "afgebroken", 4),
    ("Doorgestuurd", "doorgestuurd", 2),
    ("Voorkomen", "voorkomen", 10),
    ("In behandeling", "in behandeling", 2),
)
CHANNELS = ("E-mail", "e-mail", "email", "webformulier", "Webformulier", "telefoon", "brief", "balie")
CHANNEL_WEIGHTS = (10, 15, 5, 30, 5, 15, 10, 10)
NATURES = (
    "geen oplossing",
    "Lange doorlooptijd",
    "onduidelijk wat er met verzoek is gebeurd",
    "geen of late reactie",
    "communicatie en bejegening",
)
LEARNING = (
    "",
    "",
    "",
    "Bij vertraging de inwoner vooraf informeren",
    "Vervanging regelen bij afwezigheid van de behandelaar",
    "Brieven in eenvoudige taal",
)
DESCRIPTIONS = (
    "Ontevreden over de communicatie rond een aanvraag.",
    "Geen reactie ontvangen op een vraag over de aanslag.",
    '"Klager schrijft: ""al weken geen antwoord""; wil een gesprek."',
    '"Melding over de straatverlichting; lamp brandt niet, gebeld op 3 maart."',
    '"Eerste regel van de brief.\nTweede regel: geen oplossing; boos."',
    "Wachttijd aan de balie was te lang.",
    "",
)
DESCRIPTION_WEIGHTS = (30, 25, 10, 10, 2, 20, 3)


def _choice(rng: np.random.Generator, values, n: int, weights=None) -> np.ndarray:
    values = np.asarray(values, dtype=object)
    p = None if weights is None else np.asarray(weights, dtype=float) / sum(weights)
    return values[rng.choice(len(values), size=n, p=p)]


def _format_dates(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """Day numbers to text: 60% 05-03-2024, 25% 2024-03-05, 15% 5 maart 2024."""
    uniques, codes = np.unique(days, return_inverse=True)
    spelled = np.empty((3, len(uniques)), dtype=object)
    for i, day in enumerate(uniques.astype("datetime64[D]").tolist()):
        spelled[0, i] = f"{day.day:02d}-{day.month:02d}-{day.year}"
        spelled[1, i] = day.isoformat()
        spelled[2, i] = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    kind = rng.choice(3, size=len(days), p=(0.6, 0.25, 0.15))
    return spelled[kind, codes]


def register_lines(
    rows: int, first_year: int, last_year: int, teams: int = len(TEAMS), seed: int = SEED
) -> list[str]:
    """The lines of a valid register (header first) with `rows` rows spread over the years.

    `teams` is the number of teams (the first ones of `TEAMS` and then `MORE_TEAMS`, up to 42;
    Publiekszaken, formerly Burgerzaken, counts as one).
    """
    rng = np.random.default_rng(seed)
    start = np.datetime64(date(first_year, 1, 1), "D").astype(int)
    end = np.datetime64(date(last_year, 12, 31), "D").astype(int)
    received = np.sort(rng.integers(start, end + 1, size=rows))
    years = received.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    pick = rng.choice(len(STATUSES), size=rows, p=np.array([s[2] for s in STATUSES]) / 100)
    typed = np.array([s[0] for s in STATUSES], dtype=object)[pick]
    status = np.array([s[1] for s in STATUSES], dtype=object)[pick]
    handled = status == "afgehandeld"
    not_handled = np.isin(status, ["niet-ontvankelijk", "ingetrokken", "afgebroken", "doorgestuurd"])
    still_open = status == "in behandeling"
    everyone = TEAMS + MORE_TEAMS
    names = everyone[: teams + 1] if teams > 1 else everyone[:1]
    team = _choice(rng, names, rows, (TEAM_WEIGHTS + (8,) * len(MORE_TEAMS))[: len(names)])
    # Burgerzaken was renamed to Publiekszaken (klachten.toml): the old name until 2021.
    team = np.where((team == "Publiekszaken") & (years <= 2021), "Burgerzaken", team)
    team = np.where((team == "Burgerzaken") & (years > 2021), "Publiekszaken", team)
    team = np.where(handled | (rng.random(rows) < 0.6), team, "")
    reason = np.where(not_handled, _choice(rng, REASONS, rows), "")
    formal = handled & (rng.random(rows) < 0.3)
    treatment = np.where(
        handled, np.where(formal, "formeel", _choice(rng, ("informeel", "Informeel"), rows)), ""
    )
    verdict = np.where(
        formal, _choice(rng, ("gegrond", "deels gegrond", "Ongegrond", "geen oordeel"), rows), ""
    )
    closed_days = received + rng.integers(0, 70, size=rows)
    closed = np.where(still_open, "", _format_dates(rng, closed_days))
    extended = np.where(handled, _choice(rng, ("nee", "Nee", "ja"), rows, (70, 20, 10)), "")
    channel = _choice(rng, CHANNELS, rows, CHANNEL_WEIGHTS)
    nature = np.where(handled, _choice(rng, NATURES, rows), "")
    learning = np.where(handled, _choice(rng, LEARNING, rows), "")
    ombudsman = np.where(handled, _choice(rng, ("nee", "ja"), rows, (97, 3)), "")
    description = _choice(rng, DESCRIPTIONS, rows, DESCRIPTION_WEIGHTS)
    ids = [f"KL-{y}-{i:07d}" for i, y in enumerate(years.tolist(), start=1)]
    columns = (
        ids,
        _format_dates(rng, received),
        typed,
        team,
        reason,
        treatment,
        verdict,
        closed,
        extended,
        channel,
        nature,
        learning,
        ombudsman,
        description,
    )
    return [HEADER, *(";".join(fields) for fields in zip(*columns, strict=True))]


def make_data_folder(
    directory: Path, rows: int, first_year: int, last_year: int, teams: int = len(TEAMS)
) -> Path:
    """A data folder: generated register plus the sample's settings, contacts and narrative."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("klachten.toml", "klantcontacten.csv"):
        shutil.copy(SAMPLE_DIR / name, directory / name)
    shutil.copytree(SAMPLE_DIR / "toelichting", directory / "toelichting", dirs_exist_ok=True)
    text = "\n".join(register_lines(rows, first_year, last_year, teams)) + "\n"
    (directory / "klachtenregister.csv").write_text(text, encoding="utf-8")
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--years", default="2020-2024")
    parser.add_argument("--teams", type=int, default=len(TEAMS) - 1)
    args = parser.parse_args()
    first, _, last = args.years.partition("-")
    make_data_folder(args.directory, args.rows, int(first), int(last or first), args.teams)


if __name__ == "__main__":
    main()
