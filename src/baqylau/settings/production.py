"""Production: everything secret or site-specific comes from the environment; no demo accounts."""

import os

from django.core.exceptions import ImproperlyConfigured

from baqylau.core.logs import logging_config

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("Set BAQYLAU_SECRET_KEY: production refuses to start without a secret key.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors may ask the application server directly
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Behind the reverse proxy (deploy/nginx/baqylau.conf), which sets X-Real-IP to the client's address and
# overwrites whatever a client sent: the address that the log and the login throttling see.
BAQYLAU_CLIENT_ADDRESS_HEADER = os.environ.get("BAQYLAU_CLIENT_ADDRESS_HEADER", "HTTP_X_REAL_IP")

# JSON lines on stderr (journald or the container keeps them): errors with their traceback and the
# reference the error page shows, the queue's tasks, imports, security events. docs/deployment.md.
LOGGING = logging_config(os.environ.get("BAQYLAU_LOG_LEVEL", "INFO"))
