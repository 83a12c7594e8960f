"""Whether a rendered page may be published: nothing in it runs code or fetches anything.

The check works on the parsed document (the standard library's `html.parser`, and tinycss2
for CSS), never on the page's text: only elements, attributes and style sheets can run or
fetch something, so escaped text such as a team "Vergunningen (data=//intranet)" never
fails a page, while `<table background>`, `<svg><image href>`, CSS `u\\72l(...)`, `http:<TAB>//`,
`javascript:` links, `<meta http-equiv=refresh>`, `<base href>`, UNC paths and `srcset` do.

`findings(html)` lists what is wrong; `check_publishable(html)` refuses a page with any (a
Dutch `RenderError`), which the exporter does for every page it renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urlsplit

import tinycss2

from klachtlib.errors import RenderError

# nbconvert's own alt text for an <img> without one (it adds it after the template ran).
NBCONVERT_PLACEHOLDER_ALT = "No description has been provided for this image"

# Elements that run code or load a document, style sheet or base address.
RUNNING_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal"})
LOADING_TAGS = frozenset({"link", "base"})
# SVG animation can set an attribute (a link's href) to anything, and foreignObject embeds HTML.
SVG_TRICKS = frozenset({"animate", "set", "animatemotion", "animatetransform", "foreignobject", "handler"})
# Attributes whose value a browser fetches (href and xlink:href everywhere but on <a>/<area>).
LOADING_ATTRIBUTES = frozenset(
    {
        "src", "srcset", "imagesrcset", "background", "poster", "data", "lowsrc", "dynsrc", "ping",
        "manifest", "codebase", "archive", "longdesc", "action", "formaction", "icon", "profile",
        "href", "xlink:href",
    }
)  # fmt: skip
LINK_TAGS = frozenset({"a", "area"})
LINK_SCHEMES = frozenset({"https", "http", "mailto"})
# Images embedded in the page itself (the charts) are fine.
EMBEDDED_IMAGE_PREFIXES = tuple(f"data:image/{kind}" for kind in ("png", "jpeg", "gif", "webp", "svg+xml"))
CSS_LOADING_FUNCTIONS = frozenset(
    {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "element", "expression"}
)


@dataclass(frozen=True)
class Finding:
    """One thing that keeps a page from being published; `kind` says what sort."""

    kind: Literal["runs", "loads", "alt"]
    where: str  # the element and attribute, e.g. '<img src="http://...">'


def findings(html: str) -> list[Finding]:
    """Everything in the page that would run code, fetch from elsewhere, or lacks a text alternative."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.findings


def check_publishable(html: str) -> None:
    """Refuse a page that would run code, load something from elsewhere, or has an image
    without alt text (`findings`, on the parsed page: escaped text never fails).

    The template and the preprocessor already prevent this for outputs; this catches what an
    author writes as raw HTML or Markdown in a text cell (e.g. an image from a website).
    """
    found = findings(html)
    if not found:
        return
    first = found[0]
    if first.kind == "alt":
        raise RenderError(
            "Het rapport is niet gemaakt: een tekstcel bevat een afbeelding zonder tekstalternatief "
            "(alt). Geef de afbeelding een beschrijving, bijvoorbeeld ![Beschrijving](...) "
            'of <img alt="...">.'
        )
    what = (
        "iets laden (script, stijl of afbeelding) van buiten het bestand"
        if first.kind == "loads"
        else "code uitvoeren (script, event-handler of javascript:-link)"
    )
    raise RenderError(
        f"Het rapport is niet gemaakt: de pagina zou {what}, bij: {first.where!r}. "
        "Neem het op in het notebook of laat het weg."
    )


_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what browsers strip from both ends of a URL


def _url(value: str | None) -> str:
    """The URL as a browser reads it: tabs and newlines anywhere dropped, control characters and
    spaces at either end too, \\ read as /."""
    text = "".join(ch for ch in (value or "") if ch not in "\t\n\r").strip(_C0_AND_SPACE)
    return text.replace("\\", "/")


def srcset_urls(value: str | None) -> list[str]:
    """The URLs of a srcset as a browser splits it (HTML's "parse a srcset attribute"): a URL runs
    to the next whitespace (so the comma inside a data: URL is part of it), trailing commas end a
    candidate, and a descriptor runs to the next comma. No candidate at all counts as a URL ""
    that is not embedded, so an odd srcset is never waved through."""
    text, urls, position = value or "", [], 0
    while position < len(text):
        while position < len(text) and (text[position].isspace() or text[position] == ","):
            position += 1
        start = position
        while position < len(text) and not text[position].isspace():
            position += 1
        url = text[start:position]
        if not url:
            break
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0  # skip the descriptors ("1x", "360w") up to the next comma outside parentheses
        while position < len(text) and (text[position] != "," or depth):
            depth += {"(": 1, ")": -1}.get(text[position], 0)
            position += 1
    return urls or ["-"]


def _is_embedded(value: str | None) -> bool:
    url = _url(value)
    return url == "" or url.startswith("#") or url.lower().startswith(EMBEDDED_IMAGE_PREFIXES)


def _link_allowed(value: str | None) -> bool:
    """A link someone may click: https/http/mailto, or relative within the published folder."""
    url = _url(value)
    if url.startswith("//"):  # another host without a scheme, or a UNC path (\\server\share)
        return False
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES or scheme == ""


def css_loads(css: str) -> str | None:
    """The first thing in `css` that would fetch or run (url(), @import, image-set(), ...), or None."""
    return _css_tokens_load(tinycss2.parse_component_value_list(css, skip_comments=True))


def _css_tokens_load(tokens: list) -> str | None:
    for token in tokens:
        if token.type == "url" and not _is_embedded(token.value):
            return f"url({token.value})"
        if token.type == "at-keyword" and token.lower_value == "import":
            return "@import"
        if token.type == "function":
            if token.lower_name in CSS_LOADING_FUNCTIONS and not _css_embedded(token.arguments):
                return f"{token.lower_name}(...)"
            found = _css_tokens_load(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            found = _css_tokens_load(token.content)
        else:
            found = None
        if found:
            return found
    return None


def _css_embedded(arguments: list) -> bool:
    """url("data:image/png;...") written as a function (quoted): embedded, so fine."""
    values = [t for t in arguments if t.type not in ("whitespace", "comment")]
    return len(values) == 1 and values[0].type == "string" and _is_embedded(values[0].value)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self._style: list[str] | None = None

    def _add(self, kind: Literal["runs", "loads", "alt"], tag: str, name: str = "", value: str = "") -> None:
        shown = " ".join(value.split())
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        where = f'<{tag} {name}="{shown}">' if name else f"<{tag}>"
        self.findings.append(Finding(kind, where))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in RUNNING_TAGS:
            self._add("loads" if values.get("src") or values.get("data") else "runs", tag)
        elif tag in LOADING_TAGS or tag in SVG_TRICKS:
            self._add("loads" if tag in LOADING_TAGS else "runs", tag)
        elif tag == "meta" and "http-equiv" in values:
            self._add("loads", tag, "http-equiv", values["http-equiv"])
        for name, value in values.items():
            if name.startswith("on"):
                self._add("runs", tag, name, value)
            elif name == "style" and (found := css_loads(value)):
                self._add("loads", tag, name, found)
            elif tag in LINK_TAGS and name == "href":
                if not _link_allowed(value):
                    self._add("runs", tag, name, value)
            elif name in ("srcset", "imagesrcset"):
                if not all(_is_embedded(url) for url in srcset_urls(value)):
                    self._add("loads", tag, name, value)
            elif name in LOADING_ATTRIBUTES and not _is_embedded(value):
                self._add("loads", tag, name, value)
        if tag == "img" and values.get("alt", NBCONVERT_PLACEHOLDER_ALT) == NBCONVERT_PLACEHOLDER_ALT:
            self._add("alt", tag)
        if tag == "style":
            self._style = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._style = None

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self._style.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._style is not None:
            if found := css_loads("".join(self._style)):
                self.findings.append(Finding("loads", f"<style> {found}"))
            self._style = None
