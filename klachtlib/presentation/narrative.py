"""The coordinator's narrative made safe: a bounded template sandbox and an allow-list sanitiser.

`toelichting/<jaar>.md` is text the coordinator writes, but it ends up in a published page, so
it is treated as hostile input:

- Its placeholders are filled by `NarrativeEnvironment`, a jinja2 `SandboxedEnvironment` with
  limits: no `include`/`import`/`extends`, no macros, only a short list of filters and calls,
  arithmetic through `call_binop` that refuses numbers and texts that would explode, bounded
  `range`, a bounded output size and a time limit (`render_limited`). Every failure is a
  `NarrativeError` with a Dutch message; `failure` turns any exception into one with the line.
- Its Markdown becomes HTML (markdown-it-py, CommonMark with tables) that nh3 (ammonia) cleans
  with an allow-list: text, headings, lists, emphasis, tables and links to https: pages.
  Everything else (scripts, event handlers, images, styles with url(...), forms, frames, meta,
  base, ...) is removed, and `markdown_html` says what was removed on which line.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import jinja2
import nh3
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt

# --- template limits ---------------------------------------------------------------------

MAX_TEXT = 100_000  # characters in any one text value, and in one section's filled text
MAX_ITEMS = 1_000  # items in a range(...) or a list built by the template
MAX_NUMBER = 10**15  # largest whole number the template may compute
MAX_EXPONENT = 64
TIME_LIMIT = 5.0  # seconds for filling in the whole narrative file

# Filters that cannot make anything large or reach outside the template. Not `int`/`float`:
# the placeholders are Dutch text, and '1.234'|int would silently publish 1.
ALLOWED_FILTERS: tuple[str, ...] = (
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "e",
    "escape",
    "first",
    "last",
    "length",
    "list",
    "lower",
    "max",
    "min",
    "reverse",
    "round",
    "sort",
    "string",
    "sum",
    "title",
    "trim",
    "unique",
    "upper",
    "wordcount",
)
# Text methods that cannot make a text longer than it is.
SAFE_TEXT_METHODS = frozenset(
    {"capitalize", "lower", "upper", "title", "strip", "lstrip", "rstrip", "startswith", "endswith"}
)
_NOT_ALLOWED_STATEMENTS: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.Extends, "'{% extends %}'"),
    (nodes.Include, "'{% include %}'"),
    (nodes.Import, "'{% import %}'"),
    (nodes.FromImport, "'{% from ... import %}'"),
    (nodes.Macro, "een macro ('{% macro %}')"),
    (nodes.CallBlock, "'{% call %}'"),
    (nodes.Concat, "tekst aan elkaar plakken met '~'"),
)
_NUMBERS_ONLY = "rekenen kan alleen met getallen."
_ALLOWED_HINT = (
    "Gebruik in de toelichting alleen plaatshouders als {{ totaal }}, eventueel met "
    "{% if %} of {% for %}; laat de rest weg."
)


class NarrativeError(Exception):
    """Filling in the narrative failed; `message` is Dutch, `line` the template line if known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise NarrativeError(
            f"range(...) is te groot ({len(numbers)} getallen; hoogstens {MAX_ITEMS} zijn toegestaan)."
        )
    return numbers


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class NarrativeEnvironment(SandboxedEnvironment):
    """The sandbox the narrative's placeholders are filled in; every limit raises NarrativeError."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False)
        self.globals = {"range": _bounded_range}
        self.filters = {name: self.filters[name] for name in ALLOWED_FILTERS}

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        sizes = (_sized(left), _sized(right))
        if sizes != (None, None):
            return self._text_binop(operator, left, right, sizes)
        if not (_is_number(left) and _is_number(right)):
            operands = f"{_shown(left)} en {_shown(right)}"
            raise NarrativeError(f"'{operator}' kan niet met {operands}: {_NUMBERS_ONLY}")
        if operator == "**" and abs(left) > 1 and abs(right) > MAX_EXPONENT:
            raise NarrativeError(f"de macht {_shown(right)} is te groot (hoogstens {MAX_EXPONENT}).")
        try:
            result = super().call_binop(context, operator, left, right)
        except ZeroDivisionError:
            raise NarrativeError("delen door nul.") from None
        except OverflowError:
            raise NarrativeError("de uitkomst van een berekening is te groot.") from None
        return self._checked_number(result)

    def _text_binop(self, operator: str, left: Any, right: Any, sizes: tuple[int | None, int | None]) -> Any:
        """Texts and lists: only + with its own kind and * with a whole number, within MAX_TEXT."""
        same_kind = type(left) is type(right) or isinstance(left, str) and isinstance(right, str)
        if operator == "+" and same_kind:
            length = (sizes[0] or 0) + (sizes[1] or 0)
        elif operator == "*" and any(isinstance(v, int) and not isinstance(v, bool) for v in (left, right)):
            times = right if isinstance(right, int) else left
            length = (sizes[0] if sizes[0] is not None else sizes[1] or 0) * max(int(times), 0)
        else:
            raise NarrativeError(
                f"'{operator}' kan niet met {_shown(left)} en {_shown(right)}. De plaatshouders zijn "
                "opgemaakte tekst (zoals '1.234' of '94%'): met tekst kan niet gerekend worden."
            )
        if length > MAX_TEXT:
            raise NarrativeError(f"de tekst of lijst wordt te lang ({length} tekens of items).")
        return left + right if operator == "+" else left * right

    def call_unop(self, context: jinja2.runtime.Context, operator: str, arg: Any) -> Any:
        if not _is_number(arg):
            raise NarrativeError(f"'{operator}' kan niet met {_shown(arg)}: {_NUMBERS_ONLY}")
        return super().call_unop(context, operator, arg)

    def is_safe_callable(self, obj: Any) -> bool:
        if obj is _bounded_range:
            return True
        owner = getattr(obj, "__self__", None)
        return isinstance(owner, str) and getattr(obj, "__name__", "") in SAFE_TEXT_METHODS

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if not __self.is_safe_callable(__obj):
            name = getattr(__obj, "__name__", type(__obj).__name__)
            raise NarrativeError(f"'{name}(...)' aanroepen is in de toelichting niet toegestaan.")
        return super().call(__context, __obj, *args, **kwargs)

    @staticmethod
    def _checked_number(value: Any) -> Any:
        if isinstance(value, int) and abs(value) > MAX_NUMBER:
            raise NarrativeError("de uitkomst van een berekening is te groot.")
        return value


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"de tekst '{value[:20]}'" + ("..." if len(value) > 20 else "")
    if _is_number(value):
        return f"het getal {value}"
    if isinstance(value, jinja2.Undefined):
        return "een ontbrekende waarde"
    return f"een {type(value).__name__}"


def check_template(env: NarrativeEnvironment, tree: nodes.Template) -> list[NarrativeError]:
    """What the narrative may not use, each with its line: statements that reach other files
    or recurse, '~', and filters or tests the sandbox does not have."""
    problems: list[NarrativeError] = []
    for node_type, what in _NOT_ALLOWED_STATEMENTS:
        for node in tree.find_all(node_type):
            problems.append(
                NarrativeError(f"{what} is in de toelichting niet toegestaan. {_ALLOWED_HINT}", node.lineno)
            )
    defaults = jinja2.Environment()
    for node in tree.find_all(nodes.Filter):
        if node.name not in env.filters:
            known = "bestaat niet"
            if node.name in defaults.filters:
                known = "is in de toelichting niet toegestaan"
            allowed = ", ".join(ALLOWED_FILTERS)
            message = f"het filter '|{node.name}' {known}. Toegestane filters: {allowed}."
            problems.append(NarrativeError(message, node.lineno))
    for node in tree.find_all(nodes.Test):
        if node.name not in env.tests:
            problems.append(NarrativeError(f"de test 'is {node.name}' bestaat niet.", node.lineno))
    return sorted(problems, key=lambda p: p.line or 0)


@contextmanager
def time_limit(deadline: float) -> Iterator[None]:
    """Stop Python code running in this thread at `deadline` (time.monotonic()) with a
    NarrativeError: a trace function checks the clock on every line the template executes."""

    expired: list[bool] = []

    def trace(frame: Any, event: str, arg: Any) -> Callable | None:
        if expired:  # raised once; let jinja2 and the caller handle it untraced
            return None
        if time.monotonic() > deadline:
            expired.append(True)
            raise NarrativeError(
                f"het invullen duurde langer dan {TIME_LIMIT:g} seconden (een lus die te lang doorgaat?)."
            )
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)


def render_limited(
    env: NarrativeEnvironment, tree: nodes.Template, context: Mapping[str, str], deadline: float
) -> str:
    """Fill in a checked template; NarrativeError (or another exception, see `failure`) when
    it breaks a limit: output longer than MAX_TEXT, or still running at `deadline`."""
    template = env.from_string(tree)
    parts: list[str] = []
    size = 0
    with time_limit(deadline):
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_TEXT:
                raise NarrativeError(f"de ingevulde tekst wordt te lang (meer dan {MAX_TEXT} tekens).")
            parts.append(chunk)
    return "".join(parts)


def failure(exc: BaseException) -> NarrativeError:
    """Any exception from filling in the template as a Dutch NarrativeError with its template line."""
    line = _template_line(exc)
    if isinstance(exc, NarrativeError):
        return NarrativeError(exc.message, exc.line or line)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        detail = (exc.message or str(exc)).rstrip(".")
        return NarrativeError(f"fout in een plaatshouder: {detail}.", exc.lineno)
    if isinstance(exc, jinja2.exceptions.SecurityError):
        message = f"dit is in de toelichting niet toegestaan. {_ALLOWED_HINT}"
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"een waarde of eigenschap die niet bestaat. {_ALLOWED_HINT}"
    elif isinstance(exc, RecursionError):
        message = "de tekst roept zichzelf te vaak aan."
    elif isinstance(exc, MemoryError):
        message = "de tekst wordt te groot."
    elif isinstance(exc, ZeroDivisionError):
        message = "delen door nul."
    elif isinstance(exc, TypeError | ValueError | ArithmeticError | LookupError):
        message = f"een waarde past niet bij wat ermee wordt gedaan ({type(exc).__name__})."
    else:
        message = f"onverwachte fout bij het invullen ({type(exc).__name__})."
    return NarrativeError(message, line)


def _template_line(exc: BaseException) -> int | None:
    """The template line jinja2 put in the traceback for the failing expression."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# --- Markdown to sanitised HTML ------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "s", "del",
        "code", "pre", "blockquote", "ul", "ol", "li", "table", "caption", "thead", "tbody", "tr",
        "th", "td", "a", "abbr", "sub", "sup",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
}
URL_SCHEMES = frozenset({"https"})
# Removed with everything inside them (the others lose the tag and keep their text).
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "noscript", "template", "textarea",
     "select", "title", "xmp", "noembed", "noframes"}
)  # fmt: skip
_HINT_SANITISED = (
    "De toelichting mag tekst, kopjes, lijsten, nadruk (**vet**, *schuin*), tabellen en links naar "
    "https://-adressen bevatten; wat een pagina zou uitvoeren of van elders ophalen wordt weggelaten."
)


def _markdown() -> MarkdownIt:
    """CommonMark with tables; raw HTML is parsed (then cleaned), so what is removed can be named."""
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def split_sections(source: str) -> tuple[str, list[tuple[str, int, str]]]:
    """(text before the first section, [(heading, 1-based line of the heading, body)]).

    A section starts at every top-level `## ` heading as markdown-it reads the file: not inside
    a fenced code block, a list or an HTML block, and not a setext heading (text underlined
    with `---`). The bodies are the file's own lines, so the template's lines stay the file's.
    """
    lines = source.splitlines()
    tokens = _markdown().parse(source)
    starts = [
        (token.map[0], tokens[index + 1].content.strip())
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0
        and token.markup == "##" and token.map
    ]  # fmt: skip
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    preamble = "\n".join(lines[: starts[0][0]] if starts else lines)
    return preamble, [
        (heading, start + 1, "\n".join(lines[start + 1 : end]))
        for (start, heading), end in zip(starts, ends, strict=True)
    ]


def sanitise(html: str) -> str:
    """`html` with only the allowed tags, attributes and https: links (nh3, ammonia's allow-list)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def markdown_html(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The Markdown `source` as sanitised HTML, and what was removed: (0-based line, Dutch list).

    Each top-level block (paragraph, list, table, HTML block) is rendered and cleaned on its
    own, so a removal is reported on the line its block starts.
    """
    md = _markdown()
    tokens = md.parse(source)
    html_parts: list[str] = []
    removed: list[tuple[int, str]] = []
    block: list = []
    for token in tokens:
        block.append(token)
        if token.level == 0 and token.nesting <= 0:
            raw = md.renderer.render(block, md.options, {})
            clean = sanitise(raw)
            html_parts.append(clean)
            lost = _removed(raw, clean)
            if lost:
                line = next((t.map[0] for t in block if t.map), 0)
                removed.append((line, ", ".join(lost)))
            block = []
    return "".join(html_parts).strip(), removed


class _Elements(HTMLParser):
    """Every start tag in a fragment, with its attributes (values unescaped)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _removed(raw: str, clean: str) -> list[str]:
    """What `sanitise` took out of `raw`, in Dutch: tags, attributes, links."""
    before, after = _Elements(raw).elements, _Elements(clean).elements
    tags = Counter(tag for tag, _ in before) - Counter(tag for tag, _ in after)
    kept = Counter((tag, name, value) for tag, attrs in after for name, value in attrs)
    lost: list[str] = [f"<{tag}>" for tag in sorted(tags)]
    for tag, attrs in before:
        if tag in tags:
            continue
        for name, value in attrs:
            if kept[(tag, name, value)] > 0:
                kept[(tag, name, value)] -= 1
                continue
            if name == "style" and any(a == "style" for t, at in after if t == tag for a, _ in at):
                continue  # normalised (text-align kept), not removed
            if name == "href":
                lost.append(f"de link naar '{_short(value)}'")
            else:
                lost.append(f'het attribuut {name}="{_short(value)}" van <{tag}>')
    return list(dict.fromkeys(lost))


def _short(value: str | None, limit: int = 60) -> str:
    text = " ".join((value or "").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def removal_message(what: str) -> tuple[str, str]:
    """(message, hint) of the warning for something removed from the narrative."""
    return (
        f"de toelichting bevat iets dat niet in een openbare pagina mag ({what}); dat is weggelaten.",
        _HINT_SANITISED,
    )
