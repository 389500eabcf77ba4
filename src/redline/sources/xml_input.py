"""Streaming XML input: entries are read one at a time so a 100 MB list file does not sit in memory twice.

Namespaces are dropped from the yielded elements (OFAC's `http://tempuri.org/sdnList.xsd` and the advanced
format's `http://www.un.org/sanctions/1.0` add nothing once the root has been checked), and a syntax error,
such as a truncated file, is reported with its line.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from redline.sources.loaded import fail


def local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1] if text.startswith("{") else text


def _inline_entities(element: etree._Element) -> None:
    """Entity references are never resolved (no XXE, no billion laughs); one the document leaves unresolved is kept
    as its literal text (`JOHN &x; SMITH`), not allowed to cut off the text after it (lxml holds that text in the
    reference's tail, which `.text` does not include)."""
    for entity in list(element.iter(etree.Entity)):
        parent = entity.getparent()
        if parent is None:
            continue
        text = (entity.text or "") + (entity.tail or "")
        previous = entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(entity)


def _strip_namespaces(element: etree._Element) -> None:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = local(node.tag)


def iter_elements(
    path: Path | str,
    data: bytes,
    root: str,
    wanted: set[str],
    root_attributes: dict[str, str] | None = None,
    depth: int | None = None,
) -> Iterator[etree._Element]:
    """Yield each element whose local name is in `wanted` (optionally only at `depth` below the root),
    after checking that the document's root is `root`."""
    parser = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
    )
    level = 0
    try:
        for event, element in parser:
            if event == "start":
                if level == 0:
                    name = local(element.tag)
                    if name != root:
                        raise fail(path, element.sourceline, f"the root element is <{name}>, expected <{root}>", name)
                    if root_attributes is not None:
                        root_attributes.update({local(k): str(v) for k, v in element.attrib.items()})
                level += 1
                continue
            level -= 1
            if local(element.tag) in wanted and (depth is None or level == depth):
                _strip_namespaces(element)
                _inline_entities(element)
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise fail(path, line, f"not well-formed XML (truncated or damaged file?): {exc.msg}") from None
