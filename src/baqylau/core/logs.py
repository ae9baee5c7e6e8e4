"""Structured logs: one JSON object a line on stderr, each line of a request with the request's reference.

The reference (``ref``) is made when a request comes in, returned in the ``X-Request-Ref`` header and
shown on the error page, so the project office can quote it and an operator can find the traceback.
Security events (refused requests, failed logins, lockouts) go to the ``baqylau.security`` logger.
"""

import contextvars
import ipaddress
import logging
import secrets

from django.conf import settings
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REFERENCE_HEADER = "X-Request-Ref"
security_log = logging.getLogger("baqylau.security")
task_log = logging.getLogger("baqylau.tasks")
_reference: contextvars.ContextVar[str] = contextvars.ContextVar("baqylau_request_ref", default="")


def new_reference() -> str:
    """Eight characters such as ``7F3A09C2``: short enough to read out on the telephone."""
    return secrets.token_hex(4).upper()


def current_reference() -> str:
    return _reference.get()


def client_address(request) -> str:
    """The client's address: behind the reverse proxy, the header it sets (it overwrites what a client
    sends); otherwise the connection's. django-axes counts login failures by this address too.

    Behind proxies that only append to X-Forwarded-For (``BAQYLAU_TRUSTED_PROXY_COUNT`` of them, e.g. a load
    balancer in front of nginx), the client is the entry the outermost one wrote, counted from the right:
    entries further left are whatever the client sent, and are never believed."""
    header = getattr(settings, "BAQYLAU_CLIENT_ADDRESS_HEADER", "")
    if header and request.META.get(header):
        return request.META[header]
    remote = request.META.get("REMOTE_ADDR", "")
    count = int(getattr(settings, "BAQYLAU_TRUSTED_PROXY_COUNT", 0))
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:  # it came through every proxy
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return remote


def _username(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else ""


def log_login(sender, request, user, **kwargs):
    name = _username(user)
    security_log.info("login: %s", name, extra={"event": "login", "user": name, "client": _client(request)})


def log_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    security_log.warning(
        "login failed: %s",
        username,
        extra={"event": "login_failed", "user": username, "client": _client(request)},
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    security_log.warning(
        "locked out: %s from %s",
        username,
        ip_address,
        extra={"event": "lockout", "user": username or "", "client": ip_address or ""},
    )


def _task_fields(task_result) -> dict:
    return {
        "task_id": str(task_result.id),
        "task": task_result.task.module_path,
        "task_args": [str(a) for a in task_result.args],
        "state": str(task_result.status),
    }


def log_task_enqueued(sender, task_result, **kwargs):
    """Which request queued which task (the line carries the request's ref), e.g. a workbook import."""
    fields = _task_fields(task_result)
    task_log.info("queued: %s %s", fields["task"], fields["task_args"], extra=fields)


def log_task_finished(sender, task_result, **kwargs):
    """What a task ended with: an import's "done", "refused" or "failed" (a failure's traceback is
    django_tasks' own line)."""
    fields = _task_fields(task_result)
    if task_result.status == "SUCCESSFUL":
        fields["result"] = str(task_result.return_value)
    task_log.info("finished: %s %s %s", fields["task"], fields["task_args"], fields["state"], extra=fields)


def _client(request) -> str:
    return client_address(request) if request is not None else ""


class ReferenceFilter(logging.Filter):
    """Adds the request's reference, method and path to every record logged while it is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        reference = current_reference()
        if reference and not getattr(record, "ref", ""):
            record.ref = reference
        request = getattr(record, "request", None)  # django.request and django.security pass it
        if request is not None and hasattr(request, "path") and not hasattr(record, "path"):
            record.method, record.path = request.method, request.path
        return True


class JsonLineFormatter(JsonFormatter):
    def __init__(self):
        super().__init__(
            "{levelname}{name}{message}",
            style="{",
            timestamp="time",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "traceback"},
            # The request object itself is not for the log (it would print its repr); its path is.
            reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
        )


def logging_config(level: str) -> dict:
    """Everything to stderr as JSON lines: Django's requests and security, the queue, axes, gunicorn."""
    level = level.upper()
    propagate = {"handlers": [], "level": level, "propagate": True}
    quieter = {"handlers": [], "level": max(level, "WARNING", key=logging.getLevelName), "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"reference": {"()": ReferenceFilter}},
        "formatters": {"json": {"()": JsonLineFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["reference"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            name: propagate
            for name in (
                "django",  # django.request: 4xx as warnings, 5xx as errors with the traceback
                "django.security",
                "django_tasks",  # each task started and finished (a failure with its traceback)
                "django_tasks_db",
                "baqylau",
                "gunicorn.error",
                "gunicorn.access",
            )
        }
        # axes' lockouts are warnings; its failed logins and start-up lines are baqylau.security's job.
        | {"axes": quieter},
    }


class RequestReferenceMiddleware:
    """Gives each request its reference and logs every refused request (403) as a security event."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reference = new_reference()
        token = _reference.set(request.reference)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                security_log.warning(
                    "refused: %s %s",
                    request.method,
                    request.path,
                    extra={
                        "event": "forbidden",
                        "status_code": 403,
                        "method": request.method,
                        "path": request.path,
                        "user": _username(getattr(request, "user", None)),
                        "client": client_address(request),
                    },
                )
        finally:
            _reference.reset(token)
        response[REFERENCE_HEADER] = request.reference
        return response
