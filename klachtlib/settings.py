"""Local settings from `klachten.toml`: aliases, reason catalogue, team renames, terms.

Every municipality's case system spells things its own way; the toml file lets the
coordinator map those spellings onto the canonical ones without touching the export.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from klachtlib.errors import DataError, Problem
from klachtlib.vocab import (
    CANONICAL_COLUMNS,
    DEFAULT_EXTENSION_WEEKS,
    DEFAULT_TERM_WEEKS,
    normalise_key,
)

SETTINGS_FILE = "klachten.toml"

EXAMPLE_TOML = """\
[kolommen]                     # kopnaam in de export = canonieke kolom
"Zaaknummer" = "klacht_id"

[waarden.status]               # waarde in de export = canonieke waarde
"Ingetrokken door klager" = "ingetrokken"

[redenen]
catalogus = ["De klacht betrof een melding"]

[teams]                        # oude teamnaam = nieuwe teamnaam
"Burgerzaken" = "Publiekszaken"

[termijnen]
behandeltermijn_weken = 6
verdaging_weken = 4
"""


@dataclass(frozen=True)
class Settings:
    """Parsed `klachten.toml`; keys of the alias maps are folded with `normalise_key`."""

    header_aliases: dict[str, str] = field(default_factory=dict)
    value_aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    reason_catalogue: tuple[str, ...] = ()
    team_renames: dict[str, str] = field(default_factory=dict)
    term_weeks: int = DEFAULT_TERM_WEEKS
    extension_weeks: int = DEFAULT_EXTENSION_WEEKS
    # [normen]: binnen_termijn_procent, informeel_procent, gegrond_procent_max (only those set).
    norms: dict[str, float] = field(default_factory=dict)
    # [woo] (agreed names; issue-11 parses the section): show klacht_id in the Woo overview, and
    # the minimum number of rows a (team, aard) combination needs before its aard is shown.
    woo_show_id: bool = False
    woo_minimum: int = 1

    def reason_rank(self, reason: str) -> int:
        """Position in the catalogue (ties in reason lists follow it); unknown last."""
        keys = [normalise_key(r) for r in self.reason_catalogue]
        key = normalise_key(reason)
        return keys.index(key) if key in keys else len(keys)


def load_settings(data_dir: Path) -> Settings:
    """Read `<data_dir>/klachten.toml`; defaults when absent; DataError when malformed."""
    path = Path(data_dir) / SETTINGS_FILE
    if not path.exists():
        return Settings()
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(
            [
                Problem(
                    name,
                    f"het bestand is geen geldige TOML ({exc}).",
                    "Controleer aanhalingstekens en [kopjes]; zie de README voor een voorbeeld.",
                )
            ]
        ) from None

    problems: list[Problem] = []

    def table(key: str) -> dict:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            problems.append(Problem(name, f"[{key}] moet een tabel zijn.", f"Voorbeeld:\n{EXAMPLE_TOML}"))
            return {}
        return value

    header_aliases: dict[str, str] = {}
    for alias, canonical in table("kolommen").items():
        if canonical not in CANONICAL_COLUMNS:
            problems.append(
                Problem(
                    name,
                    f"alias '{alias}' verwijst naar onbekende kolom '{canonical}'.",
                    f"Toegestane kolommen: {', '.join(CANONICAL_COLUMNS)}.",
                    column="kolommen",
                )
            )
            continue
        header_aliases[normalise_key(alias)] = canonical

    value_aliases: dict[str, dict[str, str]] = {}
    for column, mapping in table("waarden").items():
        if column not in CANONICAL_COLUMNS or not isinstance(mapping, dict):
            problems.append(
                Problem(
                    name,
                    f"[waarden.{column}] hoort bij geen canonieke kolom.",
                    f"Gebruik een van: {', '.join(CANONICAL_COLUMNS)}.",
                    column="waarden",
                )
            )
            continue
        value_aliases[column] = {normalise_key(k): str(v) for k, v in mapping.items()}

    catalogue = table("redenen").get("catalogus", [])
    if not isinstance(catalogue, list) or not all(isinstance(r, str) for r in catalogue):
        problems.append(
            Problem(
                name,
                "[redenen] catalogus moet een lijst met zinnen zijn.",
                'Voorbeeld: catalogus = ["De klacht betrof een melding"]',
            )
        )
        catalogue = []

    team_renames = {str(old).strip(): str(new).strip() for old, new in table("teams").items()}

    terms = table("termijnen")
    term_weeks, extension_weeks = DEFAULT_TERM_WEEKS, DEFAULT_EXTENSION_WEEKS
    for key, default in (
        ("behandeltermijn_weken", DEFAULT_TERM_WEEKS),
        ("verdaging_weken", DEFAULT_EXTENSION_WEEKS),
    ):
        value = terms.get(key, default)
        if not isinstance(value, int) or value < 0:
            problems.append(
                Problem(
                    name,
                    f"[termijnen] {key} moet een heel aantal weken zijn, niet '{value}'.",
                    f"Bijvoorbeeld: {key} = {default}",
                )
            )
            value = default
        if key == "behandeltermijn_weken":
            term_weeks = value
        else:
            extension_weeks = value

    if problems:
        raise DataError(problems)
    return Settings(
        header_aliases=header_aliases,
        value_aliases=value_aliases,
        reason_catalogue=tuple(r.strip() for r in catalogue),
        team_renames=team_renames,
        term_weeks=term_weeks,
        extension_weeks=extension_weeks,
    )
