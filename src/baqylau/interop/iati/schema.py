"""Reading IATI XML safely and checking it against the official 2.03 schema bundled with the product.

Validation is offline: the XSD and the files it includes and imports (``iati-common.xsd``, ``xml.xsd``)
are read from ``baqylau/interop/standards/iati-2.03`` with a parser that never touches the network.
Input is parsed without entity expansion, without DTD loading, without network access and without
lxml's huge-tree mode; a document that declares a DOCTYPE is refused outright (IATI never uses one,
and it is the door for XXE and "billion laughs" attacks).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from baqylau.interop.refusal import InputRefused

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "standards" / "iati-2.03"
ACTIVITIES_XSD = SCHEMA_DIR / "iati-activities-schema.xsd"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class IatiRefused(InputRefused):
    """The file is not acceptable IATI 2.03; nothing was written.

    ``summary`` is one line for the user; ``problems`` lists each problem (``line N: message`` where
    the schema or the parser gives a line).
    """


def safe_parser() -> etree.XMLParser:
    """An lxml parser that expands no entities, loads no DTD, opens no network and keeps size limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


@functools.cache
def activities_schema() -> etree.XMLSchema:
    """The IATI 2.03 activities schema, compiled once from the bundled files (no network)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(ACTIVITIES_XSD), parser))


DOCTYPE_REFUSED = (
    "The file declares a DOCTYPE; IATI files never do, and DTDs and entities are not accepted "
    "(they are the door to XXE and entity-expansion attacks)."
)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _declares_doctype(data: bytes) -> bool:
    """A DOCTYPE before the first element (checked before parsing, so no entity is ever declared to
    the parser); files in UTF-16 are decoded first. The parsed tree is checked again afterwards."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data[:65536].decode("utf-16", errors="ignore").encode("utf-8")
    first = _FIRST_ELEMENT.search(data)
    return bool(_DOCTYPE.search(data, 0, first.start() if first else len(data)))


def _max_bytes() -> int:
    return int(getattr(settings, "BAQYLAU_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def parse(data: bytes) -> etree._ElementTree:
    """Parse untrusted bytes as XML, or refuse them with the reason (not XML, DOCTYPE, too large)."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("parse() takes bytes")
    if len(data) > _max_bytes():
        raise IatiRefused(
            _("The file is %(size)s bytes; the largest file accepted is %(limit)s bytes.")
            % {"size": len(data), "limit": _max_bytes()}
        )
    if not data.strip():
        raise IatiRefused(_("The file is empty: it is not IATI XML."))
    if _declares_doctype(bytes(data)):
        raise IatiRefused(DOCTYPE_REFUSED)
    try:
        root = etree.fromstring(bytes(data), safe_parser())
    except etree.XMLSyntaxError as exc:
        line = f"line {exc.lineno}: " if exc.lineno else ""
        raise IatiRefused(
            _("The file is not well-formed XML, so it cannot be IATI."), [f"{line}{exc.msg}"]
        ) from None
    if root is None:
        raise IatiRefused(_("The file is not well-formed XML, so it cannot be IATI."))
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise IatiRefused(DOCTYPE_REFUSED)
    return tree


def schema_problems(tree: etree._ElementTree) -> list[str]:
    """Every XSD violation as ``line N: message``; empty when the document is valid IATI 2.03."""
    schema = activities_schema()
    if schema.validate(tree):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def check(tree: etree._ElementTree, consequence: str = "nothing was imported") -> None:
    """Refuse a document that is not valid against the IATI 2.03 activities schema."""
    root = tree.getroot()
    if root.tag != "iati-activities":
        raise IatiRefused(
            _("The root element is <%(tag)s>, not <iati-activities>: this is not an IATI activity file.")
            % {"tag": root.tag}
        )
    problems = schema_problems(tree)
    if problems:
        raise IatiRefused(
            _("Not valid IATI 2.03 (%(count)s schema errors); %(consequence)s. The first: %(first)s")
            % {"count": len(problems), "consequence": consequence, "first": problems[0]},
            problems,
        )
    version = root.get("version", "")
    if not version.startswith("2."):
        raise IatiRefused(
            _("The file declares IATI version %(version)s; only version 2 files (2.03) are accepted.")
            % {"version": version or "?"}
        )


def validate_bytes(data: bytes) -> etree._ElementTree:
    """Parse and validate; the tree of a valid file, or :class:`IatiRefused`."""
    tree = parse(data)
    check(tree)
    return tree
