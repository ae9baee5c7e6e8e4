"""Which interface a change came through (web, admin, api, cli), recorded on every history row.

django-simple-history records who and when, and the values before and after; this adds the door
the change came in by. The web middleware and the ``baqylau`` command set it; the default is
"system" (migrations, shells, tests). This module has no models, so the CLI can import it early.
"""

import contextlib
from contextvars import ContextVar

INTERFACES = ("web", "admin", "api", "cli", "import", "system")

current_interface: ContextVar[str] = ContextVar("baqylau_interface", default="system")


@contextlib.contextmanager
def interface(name: str):
    token = current_interface.set(name)
    try:
        yield
    finally:
        current_interface.reset(token)


class InterfaceMiddleware:
    """Marks changes made during a request as coming from the admin, the API or the web pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        name = "admin" if path.startswith("/admin/") else "api" if path.startswith("/api/") else "web"
        with interface(name):
            return self.get_response(request)
