"""The "unassigned" sphere and agency: where an import from an outside standard puts a measure whose file
leaves the sphere or the executing agency out (valid in IATI and OC4IDS), when the user named no default
(``--sphere``, ``--agency``). The import says so in a warning; the office reassigns the measure later."""

UNASSIGNED = "unassigned"
NAMES = {"name": "unassigned", "name_ru": "не указано", "name_kk": "көрсетілмеген"}
