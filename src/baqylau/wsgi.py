"""The WSGI application for gunicorn (``baqylau serve``): production settings unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baqylau.settings.production")

application = get_wsgi_application()
