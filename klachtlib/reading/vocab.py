"""The domain's vocabulary: canonical columns and the values they may hold.

One place for these words, so the reader, the counting and the sentences can never
disagree about what `afgebroken` or `verdaagd` means (see shared/spec/register.md).
"""

from __future__ import annotations

# Canonical register columns, in the order the reader returns them. Nothing else survives
# reading: every other column may hold personal data or free text.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "klacht_id",
    "datum_ontvangst",
    "status",
    "team",
    "reden",
    "behandeling",
    "oordeel",
    "datum_afgehandeld",
    "verdaagd",
    "kanaal",
    "aard",
    "leerpunt",
    "ombudsman",
    "ombudsman_uitkomst",
    "behoorlijkheidsnorm",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("klacht_id", "datum_ontvangst", "status")
DATE_COLUMNS: tuple[str, ...] = ("datum_ontvangst", "datum_afgehandeld")
YES_NO_COLUMNS: tuple[str, ...] = ("verdaagd", "ombudsman")

# Status values.
HANDLED = "afgehandeld"
OPEN = "in behandeling"
PREVENTED = "voorkomen"
# Not handled on its merits: "afgebroken, ingetrokken of niet ontvankelijk verklaard".
NOT_HANDLED: tuple[str, ...] = ("ingetrokken", "niet-ontvankelijk", "afgebroken", "doorgestuurd")
STATUSES: tuple[str, ...] = (HANDLED, *NOT_HANDLED, OPEN, PREVENTED)

TREATMENTS: tuple[str, ...] = ("informeel", "formeel")
VERDICTS: tuple[str, ...] = ("gegrond", "deels gegrond", "ongegrond", "geen oordeel")
YES_NO: dict[str, bool] = {"ja": True, "nee": False}
CHANNELS: tuple[str, ...] = (
    "e-mail",
    "webformulier",
    "telefoon",
    "brief",
    "balie",
    "sociale media",
    "anders",
)

# What came of a complaint at the Nationale ombudsman.
OMBUDSMAN_OUTCOMES: tuple[str, ...] = (
    "niet in behandeling genomen",
    "bemiddeld",
    "behoorlijk",
    "niet behoorlijk",
)
# Open and multi-valued: `behoorlijkheidsnorm` holds one or more of the 22 norms (`behoorlijkheid`).
NORM_COLUMN = "behoorlijkheidsnorm"

# Closed categorical columns: unknown values are errors (with an alias hint).
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "behandeling": TREATMENTS,
    "oordeel": VERDICTS,
    "verdaagd": tuple(YES_NO),
    "ombudsman": tuple(YES_NO),
    "kanaal": CHANNELS,
    "ombudsman_uitkomst": OMBUDSMAN_OUTCOMES,
}

# Default handling terms (Awb 9:11): six weeks, four more when extended.
DEFAULT_TERM_WEEKS = 6
DEFAULT_EXTENSION_WEEKS = 4


def normalise_key(text: object) -> str:
    """Fold a header or category value: trimmed, lower-case, spaces, `-` and `_` alike."""
    folded = str(text).replace("\ufeff", "").strip().lower()
    for sep in ("-", "_"):
        folded = folded.replace(sep, " ")
    return " ".join(folded.split())


# Measures taken after learning points: `maatregelen.csv` (optional, in the data folder).
# `leerpunt` and `klacht_id` say which learning point a measure follows up (the complaint's own
# learning point, or one written out); `jaar` places a measure without a known complaint.
MEASURE_COLUMNS: tuple[str, ...] = (
    "team",
    "leerpunt",
    "klacht_id",
    "jaar",
    "maatregel",
    "eigenaar",
    "status",
    "datum_afgerond",
)
MEASURE_OPEN = "open"
MEASURE_IN_PROGRESS = "in uitvoering"
MEASURE_DONE = "afgerond"
MEASURE_STATUSES: tuple[str, ...] = (MEASURE_OPEN, MEASURE_IN_PROGRESS, MEASURE_DONE)
