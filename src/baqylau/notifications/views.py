"""What was sent to me, and the office's outbox (every message, its state, attempts and last error)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baqylau.accounts.rules import visible_notifications

from .delivery import retry_failed
from .models import Notification

PAGE_SIZE = 50


def _page(request, queryset):
    state = request.GET.get("state", "")
    if state in Notification.State.values:
        queryset = queryset.filter(state=state)
    return Paginator(
        queryset.select_related("plan", "agency").order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page")), state


def sent_to_me(request):
    if not request.user.has_perm("notifications.view_own"):
        raise PermissionDenied
    page, state = _page(request, visible_notifications(request.user))
    return render(
        request,
        "notifications/list.html",
        {
            "nav": "notifications",
            "page": page,
            "state": state,
            "states": Notification.State.choices,
            "title": _("Sent to me"),
            "outbox": False,
        },
    )


def outbox(request):
    if not request.user.has_perm("notifications.view_outbox"):
        raise PermissionDenied
    page, state = _page(request, Notification.objects.all())
    return render(
        request,
        "notifications/list.html",
        {
            "nav": "outbox",
            "page": page,
            "state": state,
            "states": Notification.State.choices,
            "title": _("Outbox"),
            "outbox": True,
        },
    )


@require_POST
def retry(request):
    """The office sends the failed messages again (after fixing an address or the mail server)."""
    if not request.user.has_perm("notifications.view_outbox"):
        raise PermissionDenied
    retry_failed()
    return redirect("notifications:outbox")
