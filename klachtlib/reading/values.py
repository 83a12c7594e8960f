"""Values of the register, one distinct value at a time: trimming, cleaning, canonical spellings.

Registers repeat a lot (a few teams, seven statuses, a few thousand days), so every step here
works on the distinct values of a column and maps the result back: `distinct` gives codes and
distinct values, `from_distinct` converts the distinct values and rebuilds the column. The CSV
and Excel readers hand over coded text (pandas categoricals) and it stays coded until the
register is typed. Shared by `register` (the complaints) and `contacts` (contact volumes).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from klachtlib.reading.settings import SETTINGS_FILE
from klachtlib.reading.tabular import TEXT
from klachtlib.reading.vocab import normalise_key


def trimmed(values: pd.Series) -> pd.Series:
    """Stripped text, NA for empty; computed once per distinct value (registers repeat a lot)."""
    return trimmed_and_present(values)[0]


def trimmed_and_present(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`_trimmed`, and where it is not NA.

    Categories (as the CSV reader makes them) are stripped once per category; other text
    (an identifier column, where every value differs) is stripped directly.
    """
    if is_coded(values):
        codes, categories = values.cat.codes.to_numpy(), values.cat.categories
        return from_distinct(codes, categories, strip_or_na, values.index, coded=True)
    stripped = values.astype(TEXT).str.strip()
    stripped = stripped.mask(stripped == "")
    return stripped, stripped.notna().to_numpy()


# Control characters and invisible format characters (zero-width spaces, BOMs, direction marks,
# soft hyphens): removed from every value, so they cannot make look-alike categories or reach a page.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_BREAKS = re.compile(r"[\t\r\n]+")
LONGEST = 200  # characters of a value that reach a chart or table
LONGEST_BY_COLUMN = {"leerpunt": 2000, "behoorlijkheidsnorm": 1000}  # several norms, each by name


def cleaned(values: pd.Series, longest: int) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Values without control or invisible characters, line breaks as spaces, trimmed, NA when
    empty, cut to `longest` characters; with masks: present, had invisible characters, was cut."""
    codes, uniques = distinct(values)
    texts = uniques.tolist() if is_coded(values) else [str(u) for u in uniques]  # coded: text already
    invisible = np.zeros(len(texts) + 1, dtype=bool)
    cut = np.zeros(len(texts) + 1, dtype=bool)
    # Most columns have no such characters and no long values: one scan of all distinct values
    # at once decides, and only then is each value looked at.
    together = "\n".join(texts)
    if _holds_a_character_to_replace(together) or together.count("\n") >= len(texts):
        for i in _needing_cleaning(texts, together):
            visible = _INVISIBLE.sub("", texts[i])
            invisible[i] = visible != texts[i]
            texts[i] = _BREAKS.sub(" ", visible)
    elif is_coded(values) and _already_clean(texts, longest):
        # Nothing to change (a column of a million identifiers, usually): the coded column as it is.
        return values, values.cat.codes.to_numpy() != -1, _per_row(invisible, codes), _per_row(cut, codes)
    stripped = [t.strip() for t in texts]
    if max(map(len, stripped), default=0) > longest:
        cut[:-1] = [len(t) > longest for t in stripped]
        stripped = [t if len(t) <= longest else t[: longest - 1].rstrip() + "\u2026" for t in stripped]
    final = np.array([t or np.nan for t in stripped], dtype=object)
    result, present = from_distinct(codes, uniques, lambda _: final, values.index, coded=is_coded(values))
    return result, present, _per_row(invisible, codes), _per_row(cut, codes)


def _holds_a_character_to_replace(together: str) -> bool:
    """Whether `together` holds a character `cleaned` removes or turns into a space ("\n"
    aside). ASCII text (the usual export) is looked at as bytes: below 0x20 or DEL; a regular
    expression takes several times as long over a million identifiers."""
    if not together.isascii():
        return bool(_NOT_PLAIN.search(together))
    codes = np.frombuffer(together.encode("ascii"), dtype=np.uint8)
    return bool(np.any((codes < 0x20) & (codes != 0x0A)) or np.any(codes == 0x7F))


def _per_row(flags: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A flag per distinct value (and one for NA, last) as a flag per row."""
    return flags[codes] if flags.any() else np.zeros(len(codes), dtype=bool)


def _already_clean(texts: list[str], longest: int) -> bool:
    """Whether `cleaned` would keep every value as it is: none empty, too long, or starting or
    ending with whitespace (what `str.strip` removes); the values hold no character to remove."""
    lengths = list(map(len, texts))
    if not texts or min(lengths) == 0 or max(lengths) > longest:
        return False
    joined = "\x00".join(texts)  # no value holds a NUL here
    if joined.split() == [joined]:  # no whitespace at all: the usual column of identifiers
        return True
    return not any(t[0].isspace() or t[-1].isspace() for t in texts)


_NOT_PLAIN = re.compile(_INVISIBLE.pattern[:-1] + "\t\r]")  # any character `cleaned` changes but "\n"


def _needing_cleaning(texts: list[str], together: str) -> set[int]:
    """Positions of the values (joined by "\n" in `together`) holding a character to remove or
    a line break: found in the joined text, so a column of a million identifiers with one odd
    value is not cleaned value by value."""
    joins = np.cumsum([len(t) + 1 for t in texts]) - 1  # where each "\n" of the join is
    found = {int(np.searchsorted(joins, m.start())) for m in _NOT_PLAIN.finditer(together)}
    if together.count("\n") >= len(texts):
        found |= {i for i, t in enumerate(texts) if "\n" in t}
    return found


def strip_or_na(uniques: np.ndarray) -> np.ndarray:
    stripped = pd.Series(uniques, dtype=TEXT).str.strip()
    return stripped.mask(stripped == "").to_numpy(dtype=object, na_value=np.nan)


def is_coded(values: pd.Series) -> bool:
    """Coded text: a categorical of strings, as the CSV reader makes it.

    The register's text columns stay coded from the reader to `_typed_register`, so every
    step works on the distinct values and a million cells are turned into strings once.
    """
    return isinstance(values.dtype, pd.CategoricalDtype)


def as_text(values: pd.Series) -> pd.Series:
    """`values` as plain text ("str"); coded text is taken from its distinct values, so a million
    cells are not converted and checked one by one."""
    if not is_coded(values):
        return values.astype(TEXT)
    categories = pd.array(values.cat.categories, dtype=TEXT)
    return pd.Series(categories.take(values.cat.codes.to_numpy(), allow_fill=True), index=values.index)


def each_once(values: pd.Series) -> bool:
    """Whether no value occurs more than once (NA aside), read from the codes of coded text
    (a million identifiers are not hashed again); False for text that is not coded."""
    if not is_coded(values):
        return False
    codes = values.cat.codes.to_numpy()
    present = codes[codes >= 0]
    return not len(present) or int(np.bincount(present).max()) <= 1


def distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for NA) and the distinct non-NA values, as objects."""
    if is_coded(values):
        return values.cat.codes.to_numpy(), values.cat.categories.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values)
    return codes, np.asarray(uniques, dtype=object)


def from_distinct(
    codes: np.ndarray, uniques, convert, index: pd.Index, *, coded: bool
) -> tuple[pd.Series, np.ndarray]:
    """`convert` (object array -> object array, NaN for NA) on the distinct values, mapped back:
    coded text (values that become equal or NA are merged), or plain text if not `coded`."""
    converted = convert(np.asarray(uniques, dtype=object))
    if coded:
        recoded, categories = pd.factorize(converted)  # NA -> -1
        new_codes = np.append(recoded, -1)[codes]
        values = pd.Categorical.from_codes(
            new_codes, dtype=pd.CategoricalDtype(pd.Index(categories, dtype=TEXT))
        )
        return pd.Series(values, index=index), new_codes != -1
    text = pd.array(converted, dtype=TEXT)
    known = np.append(~text.isna(), False)
    # A take from the distinct values: no per-cell conversion or check of a million strings.
    return pd.Series(text.take(codes, allow_fill=True), index=index), known[codes]


def map_distinct(values: pd.Series, mapping: Callable[[Any], object]) -> pd.Series:
    """`values.map(mapping)` as text, computed once per distinct value; NA stays NA."""
    codes, uniques = distinct(values)
    convert = lambda distinct: np.array([mapping(v) for v in distinct], dtype=object)  # noqa: E731
    return from_distinct(codes, uniques, convert, values.index, coded=is_coded(values))[0]


def present_values(values: pd.Series) -> set:
    """The distinct non-NA values that occur."""
    if is_coded(values):
        codes = values.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
        return set(values.cat.categories[used])
    return set(values.dropna().unique())


def _compact(key: str) -> str:
    return key.replace(" ", "")


def reason_key(text: str) -> str:
    return normalise_key(text).rstrip(".;").rstrip()


def _canonical_map(
    uniques, allowed: tuple[str, ...], aliases: dict[str, str], key=normalise_key
) -> dict[str, object]:
    """Each distinct spelling -> its canonical value; unknown spellings map to themselves.

    Matching folds case, spaces, `-` and `_` (and also ignores spaces, so `email` finds
    `e-mail`); a toml alias is looked up first and its target is matched the same way.
    """
    lookup: dict[str, str] = {}
    for value in allowed:
        lookup.setdefault(_compact(key(value)), value)
        lookup[key(value)] = value
    mapping: dict[str, object] = {}  # NaN: not recorded
    for value in uniques:
        folded = normalise_key(value)
        if aliases.get(folded) == "":  # mapped to "": not recorded
            mapping[value] = np.nan
            continue
        target = key(aliases[folded]) if folded in aliases else key(value)
        mapping[value] = lookup.get(target) or lookup.get(_compact(target)) or value
    return mapping


def canonical_values(
    values: pd.Series, allowed: tuple[str, ...], aliases: dict[str, str] | None = None, key=normalise_key
) -> pd.Series:
    """Known spellings to canonical values; unknown ones stay as written so checks can name them."""
    codes, uniques = distinct(values)
    mapping = _canonical_map(uniques, allowed, aliases or {}, key)
    return from_distinct(
        codes,
        uniques,
        lambda u: np.array([mapping[v] for v in u], dtype=object),
        values.index,
        coded=is_coded(values),
    )[0]


def aliased(values: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """Open columns: a toml value alias replaces the value, anything else is kept as written."""
    if not aliases:
        return values
    return map_distinct(values, lambda v: aliases.get(normalise_key(v), v) or np.nan)  # "": not recorded


def renamed_teams(teams: pd.Series, renames: dict[str, str]) -> pd.Series:
    """Old team names to their current name, following chains (A -> B -> C)."""
    if not renames:
        return teams
    folded = {normalise_key(old): new for old, new in renames.items()}

    def renamed(team: str) -> str:
        current, seen = team, set()
        while normalise_key(current) in folded and normalise_key(current) not in seen:
            seen.add(normalise_key(current))
            current = folded[normalise_key(current)]
        return current

    return map_distinct(teams, renamed)


def team_key(team: object) -> str:
    """How team names are compared: Unicode NFC, case folded, spaces collapsed (`Café` in either
    Unicode form, `Zorg` and `ZORG` are one team)."""
    return " ".join(unicodedata.normalize("NFC", str(team)).casefold().split())


def listed_teams(teams: pd.Series, listed: tuple[str, ...]) -> pd.Series:
    """Teams on `[organisatie] teams` take the list's spelling; others are kept (and reported)."""
    if not listed:
        return teams
    spelling = {team_key(t): t for t in listed}
    return map_distinct(teams, lambda team: spelling.get(team_key(team), team))


def unified_teams(teams: pd.Series) -> pd.Series:
    """One spelling per team (`team_key`): the first one seen in the register (file order)."""
    codes, uniques = pd.factorize(teams.astype(object))  # in order of first appearance
    first: dict[str, str] = {}
    spelled = np.array([first.setdefault(team_key(u), u) for u in uniques] + [np.nan], dtype=object)
    return pd.Series(pd.array(spelled[codes], dtype=TEXT), index=teams.index)


def with_default(values: pd.Series, default: str) -> pd.Series:
    """`values` with `default` where they are missing (`[standaard]`); coded text stays coded."""
    if is_coded(values):
        if default not in values.cat.categories:
            values = values.cat.add_categories([default])
        return values.fillna(default)
    return values.astype(TEXT).fillna(default)


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def suggestion(value: str, allowed: tuple[str, ...], key=normalise_key) -> str | None:
    """The allowed value a spelling most likely means; None rather than a risky guess."""
    folded = key(value)
    contained = [a for a in allowed if re.search(rf"\b{re.escape(key(a))}\b", folded)]
    if len(contained) == 1:
        return contained[0]
    prefixed = [a for a in allowed if folded and key(a).startswith(folded)]
    if len(prefixed) == 1:
        return prefixed[0]
    keys = {key(a): a for a in allowed}
    close = difflib.get_close_matches(folded, list(keys), n=1, cutoff=0.8)
    return keys[close[0]] if close else None


def alias_hint(column: str, value: str, allowed: tuple[str, ...], key=normalise_key) -> str:
    target = suggestion(value, allowed, key) or "<toegestane waarde>"
    line = f"{toml_string(value)} = {toml_string(target)}"
    return f"Voeg anders in {SETTINGS_FILE} onder [waarden.{column}] toe: {line}"
