"""The seed report's sentences, verbatim (shared/seed/cijfers-klachtenbehandeling-2024.txt).

Copied here so the tests read nothing outside the repository; one copy for every test file.
"""

SEED_TOTAL = "Het aantal klachten is gedaald t.o.v. 2023 van 83 naar 64."
SEED_NOT_HANDLED = "14 klachten zijn afgebroken, ingetrokken of niet ontvankelijk verklaard. Redenen:"
SEED_BULLETS = [
    "De klager reageerde niet meer tijdens de klachtbehandeling (4x);",
    "De klacht betrof een melding (3x);",
    "De klacht ging alleen over een opgelegde boete (3x);",
    "De klager trok de klacht in toen er toch een oplossing kwam (2x);",
    "De klacht werd meegenomen in het hoger beroep (1x);",
    "De klacht hoorde thuis bij een andere instantie (1x).",
]
SEED_PER_TEAM = "De 50 afgehandelde klachten hadden betrekking op de volgende teams:"
# The seed's last sentence, in the wording shared/spec/report.md fixes for the generated case.
NO_CONTACT_DATA = (
    "Over de baliecontacten, telefonische contacten en e-mailcontacten zijn geen gegevens bekend."
)
