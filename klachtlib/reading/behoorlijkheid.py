"""The Nationale ombudsman's behoorlijkheidsnormen: 22 norms in four clusters, and reading a cell.

A municipality tests every (partly) upheld complaint against the ombudsman's own frame
(shared/spec/report.md, "Beyond the seed"). The register's optional column `behoorlijkheidsnorm`
names one or more norms per complaint, separated by `;`, by name (`Voortvarendheid`) or number
(`14`, `14.`, `norm 14`, `14 Voortvarendheid`), or through a `[waarden.behoorlijkheidsnorm]`
alias in klachten.toml. The reader keeps the canonical names joined by `; ` in the ombudsman's
order, so counting only splits that text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from klachtlib.reading.vocab import normalise_key

OPEN = "open en duidelijk"
RESPECTFUL = "respectvol"
INVOLVED = "betrokken en oplossingsgericht"
FAIR = "eerlijk en betrouwbaar"
CLUSTERS: tuple[str, ...] = (OPEN, RESPECTFUL, INVOLVED, FAIR)
SEPARATOR = ";"
JOINER = "; "


@dataclass(frozen=True)
class Norm:
    number: int
    name: str
    cluster: str

    @property
    def label(self) -> str:
        """'14 Voortvarendheid': how a table or chart names the norm."""
        return f"{self.number} {self.name}"


NORMS: tuple[Norm, ...] = tuple(
    Norm(number, name, cluster)
    for number, (name, cluster) in enumerate(
        (
            ("Transparant", OPEN),
            ("Goede informatieverstrekking", OPEN),
            ("Luisteren naar de burger", OPEN),
            ("Goede motivering", OPEN),
            ("Respecteren van grondrechten", RESPECTFUL),
            ("Bevorderen van actieve deelname door de burger", RESPECTFUL),
            ("Fatsoenlijke bejegening", RESPECTFUL),
            ("Fair play", RESPECTFUL),
            ("Evenredigheid", RESPECTFUL),
            ("Bijzondere zorg", RESPECTFUL),
            ("Maatwerk", INVOLVED),
            ("Samenwerking", INVOLVED),
            ("Coulante opstelling", INVOLVED),
            ("Voortvarendheid", INVOLVED),
            ("De-escalatie", INVOLVED),
            ("Integriteit", FAIR),
            ("Betrouwbaarheid", FAIR),
            ("Onpartijdigheid", FAIR),
            ("Redelijkheid", FAIR),
            ("Goede voorbereiding", FAIR),
            ("Goede organisatie", FAIR),
            ("Professionaliteit", FAIR),
        ),
        start=1,
    )
)
_BY_NUMBER = {n.number: n for n in NORMS}
_BY_NAME = {normalise_key(n.name): n for n in NORMS}
_NUMBERED = re.compile(r"(?:norm\s*)?(?P<number>\d{1,2})\.?(?:\s+(?P<name>.*))?", re.IGNORECASE)


def allowed_text() -> str:
    """The 22 norms per cluster, for an error message: what may be written."""
    parts = []
    for cluster in CLUSTERS:
        names = ", ".join(n.label for n in NORMS if n.cluster == cluster)
        parts.append(f"{cluster}: {names}")
    return "; ".join(parts)


def norm_of(text: str) -> Norm | None:
    """One norm by name or number ('Voortvarendheid', '14', '14.', 'norm 14', '14 Voortvarendheid')."""
    key = normalise_key(text)
    if key in _BY_NAME:
        return _BY_NAME[key]
    match = _NUMBERED.fullmatch(text.strip())
    if not match:
        return None
    norm = _BY_NUMBER.get(int(match["number"]))
    if norm is not None and match["name"] and normalise_key(match["name"]) != normalise_key(norm.name):
        return None  # '14 Fair play': number and name disagree
    return norm


def read_cell(cell: str, aliases: dict[str, str] | None = None) -> tuple[tuple[Norm, ...], tuple[str, ...]]:
    """The norms a cell names (ombudsman order, each once) and the parts that name none.

    A `[waarden.behoorlijkheidsnorm]` alias (keys folded) may map the whole cell or one part to
    a name, a number, several separated by `;`, or "" (not recorded).
    """
    aliases = aliases or {}
    found: set[Norm] = set()
    unknown: list[str] = []
    whole = aliases.get(normalise_key(cell))
    for part in (whole if whole is not None else cell).split(SEPARATOR):
        part = part.strip()
        if not part:
            continue
        target = aliases.get(normalise_key(part), part)
        for piece in (p.strip() for p in target.split(SEPARATOR)):
            if piece and (norm := norm_of(piece)) is not None:
                found.add(norm)
            elif piece:
                unknown.append(part)
    return tuple(sorted(found, key=lambda n: n.number)), tuple(dict.fromkeys(unknown))


def canonical_cell(norms: tuple[Norm, ...]) -> str:
    """'Goede informatieverstrekking; Voortvarendheid': the register's canonical spelling."""
    return JOINER.join(n.name for n in norms)


def norms_in(cell: str) -> tuple[Norm, ...]:
    """The norms of a checked cell (the reader's canonical names; a number is read too)."""
    norms, unknown = read_cell(cell)
    if unknown:
        raise ValueError(f"norms_in: geen behoorlijkheidsnorm: {', '.join(unknown)}")
    return norms
