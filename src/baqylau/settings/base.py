"""Settings shared by every environment. Values that differ per deployment come from the environment."""

import os
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parent.parent
# The checkout (or the working directory when installed elsewhere) holds var/ with the SQLite database.
PROJECT_DIR = Path(os.environ.get("BAQYLAU_HOME", Path.cwd()))
VAR_DIR = PROJECT_DIR / "var"

SECRET_KEY = os.environ.get("BAQYLAU_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("BAQYLAU_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "baqylau.core",
    "baqylau.reference",
    "baqylau.plans",
    "baqylau.indicators",
    "baqylau.instructions",
    "baqylau.reports",
    "baqylau.accounts",
    "baqylau.interop",
    "baqylau.waterbalance",
    "baqylau.assessment",
    "baqylau.web",
    "baqylau.briefings",
    "baqylau.notifications",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our own static files
    "baqylau.api",
    "django_tasks",
    "django_tasks_db",
    "baqylau.demo",
    "baqylau.synthetic",
]

MIDDLEWARE = [
    "baqylau.core.logs.RequestReferenceMiddleware",  # first: every log line of a request carries its ref
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page needs a login unless marked
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "baqylau.core.interface.InterfaceMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "baqylau.urls"
WSGI_APPLICATION = "baqylau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "baqylau.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'baqylau.sqlite3'}",
        conn_max_age=int(os.environ.get("BAQYLAU_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "baqylau.core.sqlite"  # the library's parameter limit, not 999
    # Concurrent writers on the embedded database: readers never block the writer (WAL), a writer waits
    # for the one before it (the busy timeout) instead of failing, and a transaction takes the write lock
    # when it begins (IMMEDIATE), so two transactions that read and then write cannot deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("BAQYLAU_SQLITE_BUSY_TIMEOUT", "30")),  # seconds
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Aqtau"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("BAQYLAU_STATIC_ROOT", VAR_DIR / "static"))  # built by collectstatic
MEDIA_ROOT = Path(os.environ.get("BAQYLAU_MEDIA_ROOT", VAR_DIR / "media"))  # uploads: shared storage
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CSRF_FAILURE_VIEW = "baqylau.web.views.errors.csrf_failure"  # the product's 403 page, not Django's
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Content security policy: scripts and styles only from the product itself; the map's background tiles
# are the one outside resource, and the map still shows the outlines and facilities without them.
# BAQYLAU_MAP_TILES=off (or empty): no tiles at all, for an intranet; the outlines are shipped.
MAP_TILE_ORIGIN = os.environ.get("BAQYLAU_MAP_TILES", "https://tile.openstreetmap.org").strip()
if MAP_TILE_ORIGIN.lower() in ("", "off", "none"):
    MAP_TILE_ORIGIN = ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account or address is locked out
    "rules.permissions.ObjectPermissionBackend",  # roles and object rules: baqylau/accounts/rules.py
    "django.contrib.auth.backends.ModelBackend",
]

# The open-data licence the public pages and downloads of a published plan state.
BAQYLAU_OPEN_DATA_LICENCE = os.environ.get(
    "BAQYLAU_OPEN_DATA_LICENCE", "Creative Commons Attribution 4.0 International (CC BY 4.0)"
)
BAQYLAU_OPEN_DATA_LICENCE_URL = os.environ.get(
    "BAQYLAU_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)

# Interchange limits (plan workbook import); a file larger than this is refused before it is read.
BAQYLAU_IMPORT_MAX_BYTES = int(os.environ.get("BAQYLAU_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# What a workbook may unpack to (a zip or .xlsx), and how many rows and cells it may hold: refused beyond.
BAQYLAU_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("BAQYLAU_IMPORT_MAX_UNPACKED_BYTES", str(250 * 1024 * 1024))
)
BAQYLAU_IMPORT_MAX_ROWS = int(os.environ.get("BAQYLAU_IMPORT_MAX_ROWS", "100000"))
BAQYLAU_IMPORT_MAX_CELLS = int(os.environ.get("BAQYLAU_IMPORT_MAX_CELLS", "2000000"))
BAQYLAU_ATTACHMENT_MAX_BYTES = int(os.environ.get("BAQYLAU_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# API request bodies: larger or deeper is a 400 before any parsing recursion (docs/api.md).
BAQYLAU_API_MAX_BODY_BYTES = int(os.environ.get("BAQYLAU_API_MAX_BODY_BYTES", str(1024 * 1024)))
BAQYLAU_API_MAX_JSON_DEPTH = int(os.environ.get("BAQYLAU_API_MAX_JSON_DEPTH", "32"))

# REST API (/api/v1/): tokens for machines, sessions for people; the same rules as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Baqylau API",
    "DESCRIPTION": "Plans, measures and their judgement, facilities, indicators, instructions, reports.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package's static files: works offline, and the split view serves its
    # start-up script as a file of its own, so the CSP's script-src 'self' holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Login throttling (django-axes): 5 failed attempts for one user name (from anywhere), or from one client
# address (for any user names), lock that user name, or that address, for an hour. Behind reverse proxies
# the address is the one they wrote (core/logs.client_address: BAQYLAU_CLIENT_ADDRESS_HEADER, or the
# BAQYLAU_TRUSTED_PROXY_COUNT-th X-Forwarded-For entry from the right), never what the client sent.
AXES_FAILURE_LIMIT = int(os.environ.get("BAQYLAU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
BAQYLAU_TRUSTED_PROXY_COUNT = int(os.environ.get("BAQYLAU_TRUSTED_PROXY_COUNT", "0"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "baqylau.core.logs.client_address"  # the proxy's header in production
BAQYLAU_CLIENT_ADDRESS_HEADER = ""  # the connection's address, unless a trusted proxy sets a header

# Background work (the workbook import behind the upload page) in a queue kept in the database itself:
# nothing more to install. `make run` starts a worker (`baqylau db_worker`); tests run tasks at once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz: a worker is alive while its heartbeat is at most three beats old; a task waiting longer than
# the limit makes the status "degraded".
BAQYLAU_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("BAQYLAU_WORKER_HEARTBEAT_SECONDS", "10"))
BAQYLAU_QUEUE_MAX_WAIT_SECONDS = int(os.environ.get("BAQYLAU_QUEUE_MAX_WAIT_SECONDS", "300"))
FORMAT_MODULE_PATH = ["baqylau.formats"]  # Kazakh formats (Django has none) and day-first English

# Notifications (reminders, digests): Django's email backends; the console by default (messages are
# printed by the worker), SMTP when BAQYLAU_EMAIL_BACKEND says so, with the server from the environment.
EMAIL_BACKEND = os.environ.get("BAQYLAU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("BAQYLAU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BAQYLAU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BAQYLAU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BAQYLAU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BAQYLAU_EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("BAQYLAU_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("BAQYLAU_EMAIL_FROM", "baqylau@localhost")
# The address links in messages point to (the site as people reach it).
BAQYLAU_SITE_URL = os.environ.get("BAQYLAU_SITE_URL", "http://127.0.0.1:8000")
