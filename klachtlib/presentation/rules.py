"""The "Rekenregels" annex: the rule behind every published figure, in plain Dutch.

A rekenkamer found a municipality that mixed up received and handled complaints and overstated
its share within the legal term for two years; a report that states each figure's rule cannot
make that mistake unseen. The rules are generated from the same definitions the figures use
(`vocab`, `classify`, `counts`) and from this municipality's `klachten.toml` (`Settings`), with
this report's counts, so they cannot drift from the figures. They name settings and counts,
never a value listed under `[waarden]`, `[afleiden]`, `[overslaan]` or `[teams]`: those may
hold a person's name.
"""

from __future__ import annotations

from klachtlib.domain.counts import PREVENTED_NOT_RECORDED, TREND_YEARS, UPHELD, YearFigures
from klachtlib.presentation.tables import bullets_html, heading_html, paragraph_html
from klachtlib.presentation.text import counted, format_date, format_number, listed
from klachtlib.reading import behoorlijkheid, vocab
from klachtlib.reading.settings import SETTINGS_FILE, Settings

HEADING = "Rekenregels"
INTRO = (
    "Zo zijn de cijfers in dit verslag berekend. De regels hieronder komen uit dezelfde definities en "
    f"instellingen ({SETTINGS_FILE}) als de cijfers zelf, met de aantallen van dit verslag."
)


def _listed(values: tuple[str, ...]) -> str:
    quoted = [f"'{v}'" for v in values]
    return listed(quoted, "or")


def _setting_counts(settings: Settings, skipped: dict[str, int]) -> list[str]:
    """What klachten.toml changes about reading the export: settings and counts, no values."""
    rules = []
    if skipped:
        rows = sum(skipped.values())
        rules.append(
            f"Niet meegeteld: {counted(rows, 'regel', 'regels')} van de export die volgens [overslaan] in "
            f"{SETTINGS_FILE} geen klacht {'is' if rows == 1 else 'zijn'} "
            f"({counted(len(skipped), 'regel', 'regels')} in [overslaan])."
        )
    aliased = {column: len(values) for column, values in settings.value_aliases.items() if values}
    if aliased:
        names = ", ".join(aliased)
        columns = f"de kolom {names}" if len(aliased) == 1 else f"de kolommen {names}"
        rules.append(
            f"{counted(sum(aliased.values()), 'waarde', 'waarden')} uit de export "
            f"{'wordt' if sum(aliased.values()) == 1 else 'worden'} gelezen als een standaardwaarde "
            f"([waarden] in {SETTINGS_FILE}, voor {columns})."
        )
    if settings.history:
        rules.append(
            f"De export heeft een regel per statuswijziging ([bestand] regels in {SETTINGS_FILE}): per "
            "klacht telt per kolom de laatste regel die een waarde geeft."
        )
    if settings.keep_last:
        rules.append(
            "Staat een klacht in meer exports met andere inhoud, dan telt die uit het laatste bestand "
            f"([bestand] dubbel in {SETTINGS_FILE})."
        )
    if settings.complete_from is not None:
        rules.append(
            f"Het register is volledig vanaf {format_date(settings.complete_from)} ([bestand] vanaf in "
            f"{SETTINGS_FILE}): eerder ontvangen klachten tellen niet mee en er wordt niet vergeleken met "
            "een jaar dat eerder begint."
        )
    if settings.priority:
        rules.append(
            f"Voor {', '.join(settings.priority)} vullen meer kolommen van de export dezelfde "
            f"standaardkolom; de eerste die een waarde geeft, telt ([voorrang] in {SETTINGS_FILE})."
        )
    if settings.defaults:
        rules.append(
            f"Waar de export niets invult, geldt een vaste waarde voor {', '.join(settings.defaults)} "
            f"([standaard] in {SETTINGS_FILE})."
        )
    if settings.teams:
        rules.append(
            f"Alleen de {counted(len(settings.teams), 'team', 'teams')} van [organisatie] teams in "
            f"{SETTINGS_FILE} komen als team in het verslag, in de schrijfwijze van die lijst."
        )
    filled = {c for d in settings.derivations.values() for c in d.columns}
    derived = [c for c in vocab.CANONICAL_COLUMNS if c in filled]
    if derived:
        names = ", ".join(derived)
        what = f"De kolom {names} wordt" if len(derived) == 1 else f"De kolommen {names} worden"
        rules.append(
            f"{what} afgeleid uit "
            f"{counted(len(settings.derivations), 'andere kolom', 'andere kolommen')} van de export "
            f"([afleiden] in {SETTINGS_FILE})."
        )
    return rules


def _catalogue(settings: Settings) -> str:
    if not settings.reason_catalogue:
        return "."
    reasons = counted(len(settings.reason_catalogue), "reden", "redenen")
    return (
        f"; de reden komt uit de redenencatalogus van {reasons} in [redenen] in {SETTINGS_FILE}, en bij "
        "een gelijk aantal staat de eerder genoemde reden eerst."
    )


def rules(f: YearFigures, settings: Settings, skipped: dict[str, int] | None = None) -> list[str]:
    """One plain-Dutch rule per figure this report publishes, with its counts; a figure the
    register does not record (so the report does not publish it) has no rule either."""
    when, span, missing = f.when, f.bounds, f.not_recorded
    unit = "het jaar" if f.period is None else "de periode"
    complaint_statuses = tuple(s for s in vocab.STATUSES if s != vocab.PREVENTED)
    found = [
        f"Periode: een klacht telt mee in {unit} waarin hij is ontvangen (de datum van ontvangst), ook "
        f"als hij later is afgehandeld. Dit verslag gaat over {format_date(span.start)} tot en met "
        f"{format_date(span.end)} en vergelijkt met {f.previous_when}, op dezelfde manier geteld.",
        f"Ontvangen klachten: elke regel van het register met status {_listed(complaint_statuses)} "
        f"(in {when}: {format_number(f.total)}).",
        f"Voorkomen klachten (status '{vocab.PREVENTED}') zijn geen klachten: ze tellen in geen enkel "
        "cijfer over klachten mee, ook niet in de telling van openstaande klachten, en worden apart genoemd"
        + (
            " als de export ze vastlegt (deze export legt ze niet vast)."
            if PREVENTED_NOT_RECORDED in missing
            else f" (in {when}: {format_number(f.prevented)})."
        ),
        f"Inhoudelijk afgehandeld: status '{vocab.HANDLED}', informeel of formeel behandeld "
        f"(in {when}: {format_number(f.handled)}).",
        f"Afgebroken, ingetrokken of niet ontvankelijk verklaard: status {_listed(vocab.NOT_HANDLED)}, "
        f"elk met een reden (in {when}: {format_number(f.not_handled)}){_catalogue(settings)}",
        f"Nog in behandeling: status '{vocab.OPEN}' op het moment van de export "
        f"(in {when}: {format_number(f.still_open)}).",
        f"Verschil met {'het jaar ervoor' if f.period is None else 'een jaar eerder'} (Kerncijfers): het "
        f"verschil in ontvangen klachten met {f.previous_when}, als percentage van het aantal toen.",
    ]
    if "behandeling" not in missing:
        found.append(
            "Informeel behandeld (Kerncijfers): de informeel behandelde klachten gedeeld door de "
            "afgehandelde klachten waarbij de wijze van behandeling is vastgelegd."
        )
    if "oordeel" not in missing:
        found.append(
            "Oordeel: alleen formeel behandelde klachten krijgen een oordeel. Het deel (deels) gegrond is "
            f"het aantal met oordeel {' of '.join(UPHELD)}, gedeeld door de gegeven formele oordelen "
            "(zonder 'geen oordeel': dat is geen oordeel); per team net zo, over de formele oordelen van "
            "dat team."
        )
    if f.closed_count:
        found += [_term_rule(f, settings), _duration_rule()]
    found.append(
        "Per team: het team uit het register. Een team dat een andere naam kreeg, telt onder de nieuwe "
        f"naam, ook in het jaar ervoor ({counted(len(settings.team_renames), 'hernoeming', 'hernoemingen')} "
        f"in [teams] in {SETTINGS_FILE})."
    )
    if f.balance is not None:
        found.append(_balance_rule(f, unit))
    if not {"oordeel", "behoorlijkheidsnorm"} & missing:
        found.append(
            f"Behoorlijkheidsnormen: alleen klachten met oordeel {' of '.join(UPHELD)} (in {when}: "
            f"{format_number(f.upheld)}). Per cluster telt een klacht één keer als hij minstens één norm van "
            "dat cluster raakt; per norm telt elke klacht die de norm noemt. Een klacht kan meer normen "
            f"raken, dus de aantallen tellen niet op tot het totaal. De {len(behoorlijkheid.NORMS)} normen "
            f"en {len(behoorlijkheid.CLUSTERS)} clusters zijn die van de Nationale ombudsman."
        )
    if "ombudsman" not in missing:
        outcome = ", met de uitkomst zoals vastgelegd (ombudsman_uitkomst)"
        outcome = "" if "ombudsman_uitkomst" in missing else outcome
        found.append(
            f"Nationale ombudsman: klachten uit {when} die later aan de ombudsman zijn voorgelegd "
            f"(ombudsman = ja){outcome}."
        )
    if f.inhabitants:
        found.append(
            "Klachten per 10.000 inwoners: de ontvangen klachten gedeeld door het aantal inwoners in "
            f"{f.year} ({format_number(f.inhabitants)}, uit [inwoners] in {SETTINGS_FILE}), maal 10.000, "
            "afgerond op één decimaal; voor andere gemeenten net zo, met hun cijfers uit vergelijking.csv en "
            "de bron erbij."
        )
    if f.period is None and "kanaal" not in missing:
        found.append(
            "Klachten per 1.000 klantcontacten: de klachten die via een kanaal binnenkwamen, gedeeld door "
            "het aantal klantcontacten via dat kanaal uit klantcontacten.csv, maal 1.000; alleen waar dat "
            "aantal bekend is."
        )
    found.append(
        f"Kerncijfers en verloop over de jaren: de laatste {TREND_YEARS} jaren die het register bevat, tot "
        f"en met {f.year}, elk jaar op dezelfde manier geteld"
        + ("." if f.period is None else f", steeds over {f.period.part_in_text} van dat jaar.")
    )
    found.append(
        f"Niet vastgelegd: een kolom die bij geen enkele klacht uit {unit} is ingevuld, geldt als niet "
        "vastgelegd. Het verslag noemt dan geen aantal en zegt dat het niet bekend is; het telt zo'n kolom "
        "nooit als nul of 'geen'."
    )
    return found + _setting_counts(settings, skipped or {})


def _term_rule(f: YearFigures, settings: Settings) -> str:
    """Within the legal term: the terms of [termijnen] and the denominator, with this report's counts."""
    return (
        f"Binnen de wettelijke termijn (Awb 9:11): afgehandeld binnen {format_number(f.term_weeks)} weken "
        f"na ontvangst, of binnen {format_number(f.extended_term_weeks)} weken als de behandeling is "
        f"verdaagd (verdaagd = ja); volgens [termijnen] in {SETTINGS_FILE}: behandeltermijn_weken = "
        f"{settings.term_weeks}, verdaging_weken = {settings.extension_weeks} (zonder [termijnen]: "
        f"{vocab.DEFAULT_TERM_WEEKS} en {vocab.DEFAULT_EXTENSION_WEEKS}). Het percentage is het aantal "
        "klachten binnen de termijn gedeeld door de afgehandelde klachten met een datum van afhandeling "
        f"(in {f.when}: {format_number(f.within_term_count)} van {format_number(f.closed_count)}); niet "
        "inhoudelijk afgehandelde klachten tellen niet mee."
    )


def _duration_rule() -> str:
    return (
        "Behandelduur: de mediaan van het aantal kalenderdagen van ontvangst tot afhandeling, over de "
        "afgehandelde klachten met een datum van afhandeling."
    )


def _balance_rule(f: YearFigures, unit: str) -> str:
    """Open on the first day, closed, open on the last day: the definitions of report.md."""
    stock = f.balance
    assert stock is not None
    first, last = format_date(stock.start), format_date(stock.end)
    return (
        f"Openstaande klachten: open op {first} zijn de klachten die vóór die dag zijn ontvangen en toen "
        f"nog niet waren afgesloten; afgesloten in {f.when} zijn de klachten met een datum van afhandeling "
        f"in {unit}, welke status ze ook hebben; open op {last} zijn de klachten die tot en met die dag "
        "zijn ontvangen en toen nog niet waren afgesloten. Een klacht die is afgesloten zonder datum van "
        f"afhandeling kan de telling niet plaatsen: die staat apart, in {unit} waarin hij is ontvangen "
        f"(in {f.when}: {format_number(stock.unplaceable)})."
    )


def section_html(f: YearFigures, settings: Settings, skipped: dict[str, int] | None = None) -> str:
    """The annex as one HTML fragment: heading, what it is, the rules as a list."""
    return heading_html(HEADING) + paragraph_html(INTRO) + bullets_html(rules(f, settings, skipped))
