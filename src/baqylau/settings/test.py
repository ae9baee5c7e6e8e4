"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing, tests only
LANGUAGE_CODE = "en"  # assertions read in English; tests of other languages activate them explicitly
WHITENOISE_AUTOREFRESH = True  # no collected static files needed to run the suite
AXES_ENABLED = False  # the throttling test switches it on; elsewhere tests log in at will
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
