"""Regenerate the fictitious sample data folder `data/`.

The script is the source of truth; `data/` is its committed output. A fixed random seed
makes every run write identical bytes. The figures reproduce the municipality's 2024
complaints section (shared/seed): 83 complaints in 2023, 64 in 2024 of which 50 handled
and 14 not handled on their merits (six catalogue reasons), and 15 prevented complaints.

Usage: `.venv/bin/python scripts/make_sample_data.py [--data-dir DIR]`
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SEED = 20240328
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Complaints received in a year must be closed by this date (mid-January of the next year).
CLOSE_LIMIT = {2023: date(2024, 1, 15), 2024: date(2025, 1, 15)}

HEADER = (
    "Zaaknummer",
    "Datum ontvangst",
    "Status",
    "Team",
    "Reden",
    "Behandeling",
    "Oordeel",
    "Datum afgehandeld",
    "Verdaagd",
    "Kanaal",
    "Aard",
    "Leerpunt",
    "Ombudsman",
    "Ombudsman uitkomst",
    "Behoorlijkheidsnorm",
    "Omschrijving",
)

# Reason catalogue: the seed's six sentences in the seed's order first (ties follow it).
R_NO_RESPONSE = "De klager reageerde niet meer tijdens de klachtbehandeling"
R_REPORT = "De klacht betrof een melding"
R_FINE = "De klacht ging alleen over een opgelegde boete"
R_WITHDRAWN = "De klager trok de klacht in toen er toch een oplossing kwam"
R_APPEAL = "De klacht werd meegenomen in het hoger beroep"
R_ELSEWHERE = "De klacht hoorde thuis bij een andere instantie"
R_OBJECTION = "De klacht ging over een besluit waartegen bezwaar openstond"
R_LATE = "De klacht werd meer dan een jaar na de gebeurtenis ingediend"
R_REPEAT = "De klacht was eerder al behandeld"
R_POLICY = "De klacht ging over vastgesteld beleid of regelgeving"
REASON_CATALOGUE = (
    R_NO_RESPONSE,
    R_REPORT,
    R_FINE,
    R_WITHDRAWN,
    R_APPEAL,
    R_ELSEWHERE,
    R_OBJECTION,
    R_LATE,
    R_REPEAT,
    R_POLICY,
)

# Handled complaints per team (unequal, no tie at the top). Burgerzaken was renamed to
# Publiekszaken in 2024; klachten.toml maps the old name.
HANDLED_PER_TEAM = {
    2023: {
        "Burgerzaken": 13,
        "Openbare ruimte": 11,
        "Belastingen": 10,
        "Werk en inkomen": 8,
        "Vergunningen": 7,
        "Afval en reiniging": 6,
        "Toezicht en handhaving": 5,
        "Zorg en jeugd": 4,
        "Klantcontactcentrum": 2,
    },
    2024: {
        "Publiekszaken": 10,
        "Belastingen": 8,
        "Openbare ruimte": 7,
        "Werk en inkomen": 6,
        "Vergunningen": 5,
        "Toezicht en handhaving": 4,
        "Zorg en jeugd": 4,
        "Afval en reiniging": 3,
        "Klantcontactcentrum": 3,
    },
}

# Not handled on its merits: (reason, status, count).
NOT_HANDLED = {
    2023: (
        (R_NO_RESPONSE, "Afgebroken", 5),
        (R_REPORT, "Niet-ontvankelijk", 4),
        (R_FINE, "Niet-ontvankelijk", 3),
        (R_WITHDRAWN, "Ingetrokken", 2),
        (R_ELSEWHERE, "Doorgestuurd", 2),
        (R_OBJECTION, "Niet-ontvankelijk", 1),
    ),
    2024: (
        (R_NO_RESPONSE, "Afgebroken", 4),
        (R_REPORT, "Niet-ontvankelijk", 3),
        (R_FINE, "Niet-ontvankelijk", 3),
        (R_WITHDRAWN, "Ingetrokken", 2),
        (R_APPEAL, "Niet-ontvankelijk", 1),
        # Not forwarded but declared inadmissible: the seed counts it among "afgebroken, ingetrokken
        # of niet ontvankelijk verklaard" (a forwarded one would make the sentence say so).
        (R_ELSEWHERE, "Niet-ontvankelijk", 1),
    ),
}

# Team a not-handled complaint was about (None: no team recorded).
REASON_TEAMS = {
    R_NO_RESPONSE: ("Openbare ruimte", "Werk en inkomen", "Belastingen", "Zorg en jeugd", None),
    R_REPORT: ("Openbare ruimte", "Afval en reiniging"),
    R_FINE: ("Toezicht en handhaving",),
    R_WITHDRAWN: ("Vergunningen", "Belastingen", "Zorg en jeugd"),
    R_APPEAL: ("Werk en inkomen",),
    R_ELSEWHERE: (None,),
    R_OBJECTION: ("Belastingen",),
}

PREVENTED = {2023: 9, 2024: 15}

# Formal complaints among the handled ones, with their verdicts (the rest is informal).
FORMAL_VERDICTS = {
    2023: {"gegrond": 6, "deels gegrond": 5, "ongegrond": 8, "geen oordeel": 1},
    2024: {"gegrond": 4, "deels gegrond": 4, "ongegrond": 6, "geen oordeel": 1},
}

# Handling-time profiles among handled complaints: extended within term, over term
# without extension, over the extended term.
TIMING = {
    2023: {"verdaagd": 6, "te laat": 4, "verdaagd te laat": 1},
    2024: {"verdaagd": 5, "te laat": 2, "verdaagd te laat": 1},
}

OMBUDSMAN = {2023: 2, 2024: 1}
# What came of them at the Nationale ombudsman, in order of receipt (issue 22).
OMBUDSMAN_OUTCOMES = {2023: ("niet in behandeling genomen", "behoorlijk"), 2024: ("bemiddeld",)}

# Behoorlijkheidsnormen named for (partly) upheld complaints, by name or number as coordinators
# type them (issue 22), with how often each is named. Drawn with their own random generator, so
# the columns the seed's figures rest on are the same bytes as before.
NORM_SEED = SEED + 22
NORMS_NAMED = {
    "Voortvarendheid": 6,
    "Goede informatieverstrekking": 5,
    "Fatsoenlijke bejegening": 3,
    "Luisteren naar de burger": 2,
    "Betrouwbaarheid": 2,
    "Goede organisatie": 2,
    "Maatwerk": 1,
    "Goede motivering": 1,
}
NORM_NUMBERS = {
    "Voortvarendheid": 14,
    "Goede informatieverstrekking": 2,
    "Fatsoenlijke bejegening": 7,
    "Luisteren naar de burger": 3,
    "Betrouwbaarheid": 17,
    "Goede organisatie": 21,
    "Maatwerk": 11,
    "Goede motivering": 4,
}

# The summer rise in late replies at one team that the 2024 narrative mentions.
SUMMER_LATE_REPLIES = {2024: ("Werk en inkomen", 4)}

CHANNELS = {
    "webformulier": 34,
    "e-mail": 30,
    "telefoon": 15,
    "brief": 10,
    "balie": 7,
    "sociale media": 4,
}
PREVENTED_CHANNELS = {"telefoon": 45, "e-mail": 35, "webformulier": 10, "balie": 10}

NATURES = {
    "geen oplossing": 24,
    "lange doorlooptijd": 20,
    "onduidelijk wat er met verzoek is gebeurd": 16,
    "geen of late reactie": 22,
    "communicatie en bejegening": 18,
}

LEARNING_POINTS = (
    "Terugbelverzoeken binnen twee werkdagen afhandelen",
    "Ontvangstbevestiging sturen met de verwachte behandelduur",
    "Bij vertraging de inwoner vooraf informeren",
    "Standaardbrief herschrijven in eenvoudige taal",
    "Doorverwijzing tussen teams vastleggen in het zaaksysteem",
    "Vervanging regelen bij afwezigheid van de behandelaar",
    "Uitleg over de aanslag aanvullen op de website",
    "Meldingen pas afsluiten na terugkoppeling aan de melder",
    "Afspraken uit het gesprek schriftelijk bevestigen",
    "Telefonische bereikbaarheid in de zomer beter inroosteren",
    "Vaste contactpersoon noemen bij langlopende aanvragen",
    "Controle op volledigheid direct na ontvangst uitvoeren",
)

# Bland subjects per team for the free-text column (no names, no addresses).
SUBJECTS = {
    "Burgerzaken": ("een afspraak voor een reisdocument", "een verhuizing in de basisregistratie"),
    "Publiekszaken": ("een afspraak voor een reisdocument", "een verhuizing in de basisregistratie"),
    "Belastingen": ("de aanslag gemeentelijke belastingen", "de vastgestelde WOZ-waarde"),
    "Openbare ruimte": ("losliggende tegels op de stoep", "het onderhoud van een speelplaats"),
    "Werk en inkomen": ("een aanvraag voor een uitkering", "een aanvraag bijzondere bijstand"),
    "Vergunningen": ("een aanvraag omgevingsvergunning", "een aanvraag evenementenvergunning"),
    "Toezicht en handhaving": ("een verzoek om handhaving", "een parkeercontrole"),
    "Zorg en jeugd": ("een aanvraag voor een Wmo-voorziening", "een aanvraag jeugdhulp"),
    "Afval en reiniging": ("het legen van de container", "het ophalen van grofvuil"),
    "Klantcontactcentrum": ("een terugbelverzoek", "de telefonische bereikbaarheid"),
    None: ("een brief van de gemeente", "een afspraak bij de gemeente"),
}
NATURE_TEXT = {
    "geen oplossing": "Geen oplossing gekregen voor een probleem met {s}.",
    "lange doorlooptijd": "De afhandeling van {s} duurde langer dan verwacht.",
    "onduidelijk wat er met verzoek is gebeurd": "Onduidelijk wat er met {s} is gebeurd.",
    "geen of late reactie": "Geen reactie ontvangen op een vraag over {s}.",
    "communicatie en bejegening": "Ontevreden over de communicatie rond {s}.",
}
REASON_TEXT = {
    R_NO_RESPONSE: "Klacht over {s}; geen reactie meer op vragen van de coördinator.",
    R_REPORT: "Bericht over {s}; doorgezet als melding.",
    R_FINE: "Bezwaar tegen een boete na {s}.",
    R_WITHDRAWN: "Klacht over {s}; na contact alsnog opgelost.",
    R_APPEAL: "Klacht over {s}, die ook in het hoger beroep aan de orde is.",
    R_ELSEWHERE: "Klacht over {s}; betreft een andere organisatie.",
    R_OBJECTION: "Klacht over {s}; bezwaar was de juiste weg.",
}
PREVENTED_TEXT = "Vraag over {s} na contact met de klachtencoördinator direct beantwoord."

# Receipt weights per month (January..December): a little busier around summer.
MONTH_WEIGHTS = (8, 8, 9, 8, 8, 9, 11, 10, 9, 9, 8, 5)
HOLIDAYS = {(1, 1), (12, 25), (12, 26)}

DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

CONTACTS = (
    # jaar, kanaal, aantal (None: no data known)
    (2023, "webformulier", 5870),
    (2023, "brief", 2315),
    (2023, "balie", None),
    (2023, "telefoon", None),
    (2023, "e-mail", None),
    (2024, "webformulier", 6412),
    (2024, "brief", 2104),
    (2024, "balie", None),
    (2024, "telefoon", None),
    (2024, "e-mail", None),
)

TOML = """\
# Instellingen voor de fictieve voorbeeldgegevens in deze map.
# Gemaakt door scripts/make_sample_data.py: pas het script aan, niet dit bestand.

# Kopnamen in de export die anders heten dan de standaardkolommen (kopnaam = kolom).
# De andere kopnamen van de voorbeeldexport ("Datum ontvangst", "Status", ...) worden vanzelf
# herkend; het kenmerk heet in dit zaaksysteem "Zaaknummer".
[kolommen]
"Zaaknummer" = "klacht_id"

# Waarden in de export die anders gespeld zijn dan de toegestane waarden (waarde = standaard).
[waarden.status]
"Ingetrokken door klager" = "ingetrokken"

# Vaste zinnen voor de reden waarom een klacht niet inhoudelijk is behandeld.
# De volgorde telt: bij een gelijk aantal staat de eerder genoemde reden eerst in het verslag.
[redenen]
catalogus = [
@CATALOGUE@]

# Teams die een andere naam kregen (oude naam = nieuwe naam), zodat jaren vergelijkbaar blijven.
[teams]
"Burgerzaken" = "Publiekszaken"

# Behandeltermijn in weken (Awb 9:11): zes weken, vier weken extra bij verdaging.
[termijnen]
behandeltermijn_weken = 6
verdaging_weken = 4

# Aantal inwoners per jaar, voor het aantal klachten per 10.000 inwoners.
[inwoners]
2023 = 34221
2024 = 34512
"""

# Fictitious peer municipalities (vergelijking.csv): gemeente, jaar, klachten, inwoners, bron.
PEER_SOURCE = "Jaarverslag klachtbehandeling {year} van de gemeente (fictief voorbeeld)"
PEERS = (
    ("Noordwaard", 2023, 45, 28650),
    ("Noordwaard", 2024, 41, 28730),
    ("Oosterbroek", 2023, 60, 31800),
    ("Oosterbroek", 2024, 52, 31870),
    ("Zuiderveld", 2023, 79, 44980),
    ("Zuiderveld", 2024, 88, 45120),
)

NARRATIVE_2024 = """\
## Wijze van klachtbehandeling

De procedure klachtbehandeling is opnieuw vastgesteld (Raadsbesluit 28 maart 2024). Samengevat \
verloopt het proces als volgt: na ontvangst van de klacht maakt de klachtencoördinator met de klager \
een beoordeling of de klacht informeel of formeel kan worden behandeld. In het geval van informele \
behandeling gaat de klachtencoördinator na welke stappen en van wie nodig zijn om de klacht \
zorgvuldig af te handelen. De klager heeft altijd de mogelijkheid om zijn/haar klacht alsnog formeel \
te laten behandelen. In het geval van formele klachtbehandeling wijst de klachtencoördinator de \
klacht toe aan een klachtbehandelaar. Hij/zij voert samen met de klachtencoördinator het \
klachtonderzoek uit. Tot slot adviseert de klachtencoördinator de klachtbehandelaar over de \
beoordeling van de klacht en ontvangt de klager en betrokken medewerker een klachtafhandelingsbrief \
namens de klachtbehandelaar/het college.

## Algemeen beeld klachten

De ontvangen klachten zijn zeer uiteenlopend van aard. Een deel vloeit voort uit het feit dat een \
inwoner geen oplossing heeft gekregen voor een probleem. Een proces duurt lang of het is onduidelijk \
wat er met een verzoek/vraag is gebeurd. Een reactie blijft (te lang) uit. Er is onvrede over het \
contact/de wijze van communiceren. Soms is er geen klik in de communicatie met een medewerker en \
ontstaat er over en weer onbegrip.

## Daling aantal klachten

Het aantal klachten is gedaald. In de eerste plaats komt dat omdat afdelingen continu bezig zijn met \
het verbeteren van processen. Verder is de daling mogelijk te verklaren door {{ voorkomen }} \
geregistreerde situaties waarin een klacht is voorkomen. Een inwoner legde contact met de \
klachtencoördinator en is door een medewerker van een antwoord/reactie voorzien. Tot slot is \
tussentijds met een afdeling waar in de zomerperiode een stijging van klachten ontstond door niet \
tijdig reageren gereflecteerd. Daarna is weer tijdig gereageerd.

## Reflectie op klachten

Bij klachtbehandeling wordt ook onderzocht wat de gemeente anders had kunnen doen. De uitkomsten \
worden meegenomen in de verbetering van de dienstverlening en processen. De klachtencoördinator houdt \
een overzicht bij van leerpunten vanuit klachtbehandeling. In het eerste kwartaal van het jaar \
ontvangen de teammanagers een overzicht van behandelde klachten in zijn/haar team, inclusief het \
overzicht van de leerpunten. Als het nodig is, vindt een reflecterend gesprek plaats tussen de \
teammanager/het team en de klachtencoördinator.

## Ervaringen klachtbehandeling

Over het algemeen voelen inwoners zich bij klachtbehandeling gehoord. Ze ervaren de \
klachtbehandeling als zorgvuldig en duidelijk, en vinden het fijn wanneer de gemeente er ook iets van \
leert. In sommige gevallen is een inwoner niet tevreden. Dit is meestal wanneer het beleid niet \
verandert door de klachtbehandeling. In een geval gaf de inwoner aan niet blij te zijn met de \
uitkomst, maar wel heel tevreden over de tactvolle klachtbehandeling.
"""

README = """\
# Voorbeeldgegevens

Deze map bevat **fictieve** voorbeeldgegevens van een gemeentelijk klachtenregister. Alle \
nummers, teams, data en teksten zijn verzonnen; er staan geen persoonsgegevens in. De cijfers \
komen overeen met het klachtenverslag 2024 van de gemeente, zodat het voorbeeldverslag daarop lijkt.

| bestand | inhoud |
|---|---|
| `klachtenregister.csv` | het register: één regel per klacht of voorkomen klacht (2023 en 2024), \
puntkomma als scheidingsteken, zoals een Excel-export, met de optionele kolommen \
`Ombudsman uitkomst` en `Behoorlijkheidsnorm` (naam of nummer van de norm, meerdere gescheiden \
door `;`). De kolom `Omschrijving` is vrije tekst en wordt bij het inlezen weggelaten. |
| `klantcontacten.csv` | aantallen klantcontacten per jaar en kanaal; een leeg aantal betekent dat \
er geen gegevens bekend zijn. |
| `vergelijking.csv` | klachten en inwoners van drie verzonnen andere gemeenten, met de bron van elk \
cijfer, voor de vergelijking per 10.000 inwoners. |
| `klachten.toml` | instellingen: kopnamen en waarden die anders gespeld zijn, de lijst met redenen \
(de volgorde bepaalt de volgorde bij een gelijk aantal), hernoemde teams, de behandeltermijnen en het \
aantal inwoners per jaar. |
| `toelichting/2024.md` | de toelichting van de klachtencoördinator per onderdeel van het verslag; \
cijfers staan erin als `{{ voorkomen }}` en worden uit het register ingevuld. |
| `maatregelen.csv` | de maatregelen bij de leerpunten: per maatregel het team, het leerpunt (of de \
klacht waar het bij hoort), wat er gebeurt, de eigenaar (hier een functie, geen naam), de status en \
de datum van afronding. Intern: het openbare verslag noemt alleen aantallen. |

De code leest deze map alleen; ze schrijft of wijzigt hier niets. Voor een eigen verslag zet u de \
eigen bestanden in een andere map en geeft u die op met `--data-dir`.

De bestanden zijn gemaakt met `scripts/make_sample_data.py` (vaste startwaarde, dus steeds dezelfde \
uitkomst). Wilt u iets aanpassen, wijzig dan het script en draai het opnieuw:

```
.venv/bin/python scripts/make_sample_data.py
```
"""


# What a team does after each learning point (maatregelen.csv); fictitious, no names.
MEASURES = {
    "Terugbelverzoeken binnen twee werkdagen afhandelen":
        "Terugbelverzoeken dagelijks verdelen in het teamoverleg",
    "Ontvangstbevestiging sturen met de verwachte behandelduur":
        "Standaardbevestiging met behandelduur in het zaaksysteem",
    "Bij vertraging de inwoner vooraf informeren":
        "Signaal in het zaaksysteem een week voor de termijn",
    "Standaardbrief herschrijven in eenvoudige taal":
        "Brief laten herschrijven op taalniveau B1",
    "Doorverwijzing tussen teams vastleggen in het zaaksysteem":
        "Veld voor doorverwijzing toevoegen aan het zaaktype",
    "Vervanging regelen bij afwezigheid van de behandelaar":
        "Vaste vervanger per behandelaar in het rooster",
    "Uitleg over de aanslag aanvullen op de website":
        "Veelgestelde vragen over de aanslag op de website",
    "Meldingen pas afsluiten na terugkoppeling aan de melder":
        "Terugkoppeling verplicht maken voor het afsluiten",
    "Afspraken uit het gesprek schriftelijk bevestigen":
        "Sjabloon voor een bevestigingsmail na elk gesprek",
    "Telefonische bereikbaarheid in de zomer beter inroosteren":
        "Zomerrooster met minimale bezetting per dagdeel",
    "Vaste contactpersoon noemen bij langlopende aanvragen":
        "Contactpersoon vermelden in elke brief over de aanvraag",
    "Controle op volledigheid direct na ontvangst uitvoeren":
        "Controlelijst volledigheid bij de intake",
}  # fmt: skip
MEASURE_HEADER = (
    "Team", "Leerpunt", "Klacht ID", "Jaar", "Maatregel", "Eigenaar", "Status", "Datum afgerond",
)  # fmt: skip
# 2024: a measure per learning point, the first six done, two in progress, one open.
STATUSES_2024 = ("Afgerond",) * 6 + ("In uitvoering", "In uitvoering", "Open")


@dataclass
class LearningPoint:
    """A register row with a learning point, as measures refer to it."""

    klacht_id: str
    year: int
    team: str
    received: date
    leerpunt: str


@dataclass
class Row:
    """One register row before ids and formatting are assigned."""

    year: int
    status: str
    team: str | None = None
    reden: str | None = None
    behandeling: str | None = None
    oordeel: str | None = None
    timing: str | None = None  # None: normal; else a key of TIMING
    aard: str | None = None
    leerpunt: str | None = None
    ombudsman: bool = False
    months: tuple[int, ...] = tuple(range(1, 13))
    received: date | None = None
    closed: date | None = None
    verdaagd: bool = False


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    """Pick one key of `weights` with probability proportional to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def working_day(rng: random.Random, year: int, months: tuple[int, ...]) -> date:
    """A random working day in one of `months` of `year`, months weighted by MONTH_WEIGHTS."""
    month = rng.choices(months, weights=[MONTH_WEIGHTS[m - 1] for m in months])[0]
    day = date(year, month, 1)
    days = []
    while day.month == month:
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS:
            days.append(day)
        day += timedelta(days=1)
    return rng.choice(days)


def duration(rng: random.Random, row: Row) -> int:
    """Days from receipt to closing, by status, handling and timing profile."""
    if row.timing == "verdaagd":
        return rng.randint(44, 70)
    if row.timing == "te laat":
        return rng.randint(45, 58)
    if row.timing == "verdaagd te laat":
        return rng.randint(73, 86)
    if row.status == "Afgehandeld":
        if row.behandeling == "formeel":
            return round(rng.triangular(14, 42, 32))
        return round(rng.triangular(1, 38, 9))
    low, high = {
        "Afgebroken": (21, 42),
        "Niet-ontvankelijk": (2, 12),
        "Ingetrokken": (4, 20),
        "Doorgestuurd": (1, 4),
    }[row.status]
    return rng.randint(low, high)


def complaints_of_year(rng: random.Random, year: int) -> list[Row]:
    """All rows of one year: handled, not handled and prevented."""
    handled = [
        Row(year, "Afgehandeld", team=team)
        for team, count in HANDLED_PER_TEAM[year].items()
        for _ in range(count)
    ]
    rng.shuffle(handled)

    verdicts = [v for v, count in FORMAL_VERDICTS[year].items() for _ in range(count)]
    rng.shuffle(verdicts)
    formal = rng.sample(range(len(handled)), len(verdicts))
    for index, verdict in zip(formal, verdicts, strict=True):
        handled[index].behandeling, handled[index].oordeel = "formeel", verdict
    for row in handled:
        row.behandeling = row.behandeling or "informeel"
        row.aard = weighted(rng, NATURES)
        if rng.random() < 0.3:
            row.leerpunt = rng.choice(LEARNING_POINTS)

    # Extensions and late closings mostly in formal complaints, a few in informal ones.
    profiles = [p for p, count in TIMING[year].items() for _ in range(count)]
    formal_rows = [handled[i] for i in sorted(formal)]
    informal_rows = [r for r in handled if r.behandeling == "informeel"]
    n_formal = len(profiles) * 2 // 3
    slow = rng.sample(formal_rows, n_formal) + rng.sample(informal_rows, len(profiles) - n_formal)
    for row, profile in zip(slow, profiles, strict=True):
        row.timing = profile
        row.months = tuple(range(1, 10))  # long handling: received before October

    candidates = [r for r in formal_rows if r.oordeel == "ongegrond"]
    for row in rng.sample(candidates, OMBUDSMAN[year]):
        row.ombudsman = True

    if year in SUMMER_LATE_REPLIES:
        team, count = SUMMER_LATE_REPLIES[year]
        team_rows = [r for r in handled if r.team == team and r.timing is None]
        for row in team_rows[:count]:
            row.aard, row.months = "geen of late reactie", (6, 7, 8)

    not_handled = [
        Row(year, status, team=rng.choice(REASON_TEAMS[reason]), reden=reason)
        for reason, status, count in NOT_HANDLED[year]
        for _ in range(count)
    ]
    teams = list(HANDLED_PER_TEAM[year])
    prevented = [
        Row(year, "Voorkomen", team=rng.choice(teams) if rng.random() < 0.6 else None)
        for _ in range(PREVENTED[year])
    ]

    rows = handled + not_handled + prevented
    for row in rows:
        row.received = working_day(rng, year, row.months)
        if row.status == "Voorkomen":
            continue
        row.verdaagd = row.timing in ("verdaagd", "verdaagd te laat")
        closed = row.received + timedelta(days=duration(rng, row))
        closed = min(closed, CLOSE_LIMIT[year])
        while closed.weekday() >= 5 or (closed.month, closed.day) in HOLIDAYS:
            closed -= timedelta(days=1)
        row.closed = max(closed, row.received)
    return rows


def format_date(rng: random.Random, day: date | None) -> str:
    """Mostly `05-03-2024`, some ISO, a few `5 maart 2024`, as typed by different people."""
    if day is None:
        return ""
    draw = rng.random()
    if draw < 0.8:
        return day.strftime("%d-%m-%Y")
    if draw < 0.93:
        return day.isoformat()
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def description(rng: random.Random, row: Row) -> str:
    """Bland invented free text: present in the export, dropped by the reader."""
    subject = rng.choice(SUBJECTS[row.team])
    if row.status == "Voorkomen":
        return PREVENTED_TEXT.format(s=subject)
    if row.reden:
        return REASON_TEXT[row.reden].format(s=subject)
    return NATURE_TEXT[row.aard].format(s=subject)


def norms_cell(rng: random.Random, row: Row) -> str:
    """One or two norms for a (partly) upheld complaint, by name or number; now and then none
    recorded. Any other row: empty."""
    if row.oordeel not in ("gegrond", "deels gegrond") or rng.random() < 0.12:
        return ""
    named = {weighted(rng, NORMS_NAMED) for _ in range(1 if rng.random() < 0.6 else 2)}
    parts = [str(NORM_NUMBERS[n]) if rng.random() < 0.3 else n for n in sorted(named)]
    return ";".join(parts)


def register_rows(rng: random.Random, points: list[LearningPoint] | None = None) -> list[list[str]]:
    """All register rows, ids numbered per year in order of receipt; rows with a learning point
    are also added to `points` (for maatregelen.csv)."""
    out: list[list[str]] = []
    norm_rng = random.Random(NORM_SEED)
    for year in (2023, 2024):
        rows = complaints_of_year(rng, year)
        order = sorted(range(len(rows)), key=lambda i: (rows[i].received, i))
        outcomes = iter(OMBUDSMAN_OUTCOMES[year])
        for number, index in enumerate(order, start=1):
            row = rows[index]
            complaint = row.status != "Voorkomen"
            channels = CHANNELS if complaint else PREVENTED_CHANNELS
            if points is not None and row.leerpunt and row.team and row.received:
                point = LearningPoint(f"KL-{year}-{number:03d}", year, row.team, row.received, row.leerpunt)
                points.append(point)
            out.append(
                [
                    f"KL-{year}-{number:03d}",
                    format_date(rng, row.received),
                    row.status,
                    row.team or "",
                    row.reden or "",
                    row.behandeling or "",
                    row.oordeel or "",
                    format_date(rng, row.closed),
                    ("ja" if row.verdaagd else "nee") if complaint else "",
                    weighted(rng, channels),
                    row.aard or "",
                    row.leerpunt or "",
                    ("ja" if row.ombudsman else "nee") if complaint else "",
                    next(outcomes) if row.ombudsman else "",
                    norms_cell(norm_rng, row),
                    description(rng, row),
                ]
            )
    return out


def measure_rows(points: list[LearningPoint]) -> list[list[str]]:
    """maatregelen.csv without randomness (the register's random stream stays as it was).

    Every 2024 learning point gets a measure by its complaint (six done, three running). Four
    of 2023: one done in 2023, two carried over and done in 2024 (one written by its learning
    point, year and old team name), one still in progress.
    """

    def day(value: date | None) -> str:
        return "" if value is None else value.strftime("%d-%m-%Y")

    def row(p: LearningPoint, status: str, done: date | None, by_point: bool = False) -> list[str]:
        # by its complaint, or written out: the learning point, its year, the team's name then
        reference = [p.team, p.leerpunt, "", str(p.year)] if by_point else [p.team, "", p.klacht_id, ""]
        return [*reference, MEASURES[p.leerpunt], f"Teammanager {p.team}", status, day(done)]

    rows = []
    earlier = [p for p in points if p.year == 2023][:4]
    rows.append(row(earlier[0], "Afgerond", earlier[0].received + timedelta(days=35)))
    rows.append(row(earlier[1], "Afgerond", date(2024, 3, 15)))
    rows.append(row(earlier[2], "Afgerond", date(2024, 6, 3), by_point=True))
    rows.append(row(earlier[3], "In uitvoering", None))
    for p, status in zip([p for p in points if p.year == 2024], STATUSES_2024, strict=True):
        rows.append(row(p, status, p.received + timedelta(days=60) if status == "Afgerond" else None))
    return rows


def csv_text(header: tuple[str, ...], rows: list[list[str]], delimiter: str) -> str:
    """CSV as text with `\\n` line endings (stable bytes on every platform)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write(path: Path, text: str) -> None:
    """Write UTF-8 text with `\\n` line endings, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main(data_dir: Path = DEFAULT_DATA_DIR) -> None:
    """Write every file of the sample data folder."""
    rng = random.Random(SEED)
    points: list[LearningPoint] = []
    write(data_dir / "klachtenregister.csv", csv_text(HEADER, register_rows(rng, points), ";"))
    write(data_dir / "maatregelen.csv", csv_text(MEASURE_HEADER, measure_rows(points), ";"))
    contacts = [[str(year), channel, "" if n is None else str(n)] for year, channel, n in CONTACTS]
    write(data_dir / "klantcontacten.csv", csv_text(("jaar", "kanaal", "aantal"), contacts, ","))
    catalogue = "".join(f'    "{reason}",\n' for reason in REASON_CATALOGUE)
    write(data_dir / "klachten.toml", TOML.replace("@CATALOGUE@", catalogue))
    peers = [
        [f"Gemeente {name}", str(year), str(n), str(people), PEER_SOURCE.format(year=year)]
        for name, year, n, people in PEERS
    ]
    header = ("gemeente", "jaar", "klachten", "inwoners", "bron")
    write(data_dir / "vergelijking.csv", csv_text(header, peers, ","))
    write(data_dir / "toelichting" / "2024.md", NARRATIVE_2024)
    write(data_dir / "README.md", README)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    main(parser.parse_args().data_dir)
