"""The SQLite backend of ``core.sqlite`` (``ENGINE = "baqylau.core.sqlite"``)."""

import sqlite3

from django.db.backends.sqlite3 import base, features


def _variable_limit() -> int:
    probe = sqlite3.connect(":memory:")
    try:
        return probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    finally:
        probe.close()


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = _variable_limit()


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
