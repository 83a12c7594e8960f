"""PDF/UA-1 checks that pikepdf can make (the machine-checkable part of the Matterhorn protocol
this workbook can break): untagged content, XMP identification, document title, figures' alt
text, table headers' scope, Creator/Producer."""

from __future__ import annotations

import io

import pikepdf

PAINTING = frozenset(
    {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"}
)


def untagged_content(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(page number, operator) of everything painted outside any marked-content sequence (neither
    tagged nor an artifact: Matterhorn 01-005)."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        depth = 0
        for _, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                depth += 1
            elif name == "EMC":
                depth -= 1
            elif depth == 0 and name in PAINTING:
                found.append((number, name))
    return found


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    seen: set = set()
    elements: list = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, pikepdf.Dictionary):
            return
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        if "/S" in node:
            elements.append(node)
        if "/K" in node:
            walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return elements


def _scope(element: pikepdf.Dictionary) -> str | None:
    attributes = element.get("/A")
    for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(attribute, pikepdf.Dictionary) and "/Scope" in attribute:
            return str(attribute.Scope)
    return None


def findings(data: bytes) -> list[str]:
    """Every PDF/UA-1 rule above that the PDF breaks, in words; [] when it keeps them all."""
    problems = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        untagged = untagged_content(pdf)
        if untagged:
            problems.append(f"{len(untagged)} items neither tagged nor an artifact, first {untagged[:3]}")
        meta = pdf.open_metadata()
        title = str(pdf.docinfo.get("/Title", ""))
        if not title or meta.get("dc:title") != title:
            problems.append(f"dc:title {meta.get('dc:title')!r} is not the document title {title!r}")
        if meta.get("pdfuaid:part") != "1":
            problems.append("no pdfuaid:part = 1 in the XMP metadata")
        if not meta.get("dc:language") or str(pdf.Root.get("/Lang", "")) not in meta.get("dc:language"):
            problems.append("no dc:language matching /Lang")
        if not pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
            problems.append("DisplayDocTitle is not set")
        if not pdf.Root.get("/MarkInfo", {}).get("/Marked"):
            problems.append("not marked as tagged")
        elements = structure_elements(pdf)
        for figure in (e for e in elements if e.S == "/Figure"):
            if not str(figure.get("/Alt", "")).strip():
                problems.append("a figure without alt text")
        if not any(e.S == "/TH" for e in elements) and any(e.S == "/Table" for e in elements):
            problems.append("tables without header cells")
        for header in (e for e in elements if e.S == "/TH"):
            if _scope(header) not in ("/Column", "/Row", "/Both"):
                problems.append("a table header cell without scope")
        for key in ("/Creator", "/Producer"):
            if "klachtlib" not in str(pdf.docinfo.get(key, "")):
                problems.append(f"{key} does not name the workbook")
    return problems
