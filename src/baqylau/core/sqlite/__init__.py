"""Django's SQLite backend with the library's own limit on query parameters.

Django 5.2 assumes 999 parameters per statement, the limit of SQLite before 3.32 (2020); the SQLite
that Python ships today allows 250,000 (Django 6.0 reads the real limit the same way). With 999, a bulk
write of a hundred rows of fourteen columns (a report's indicator values with their history) splits
into several statements, so its query count grows with the number of values.
"""
