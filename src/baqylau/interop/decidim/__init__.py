"""Decidim accountability: import a results CSV export as measures with accepted progress reports.

Public API::

    import_decidim(data, *, plan_code, agency_code, sphere_code=None, as_of=None, prefix="DEC-")
        -> DecidimImport
    DecidimRefused, plain_text

See docs/interop.md ("Decidim accountability") for the mapping and the choices behind it.
"""

from .importer import DecidimImport, DecidimRefused, import_decidim, plain_text

__all__ = ["DecidimImport", "DecidimRefused", "import_decidim", "plain_text"]
