"""The 400 page: says what was wrong with the request when the product itself refused it."""

from django.core.exceptions import BadRequest
from django.shortcuts import render


def bad_request(request, exception=None):
    # Only our own refusals (BadRequest with a sentence for the user) are shown; others stay generic.
    reason = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"reason": reason}, status=400)


def csrf_failure(request, reason=""):
    """A form sent without its token (an old tab, cookies off): the 403 page, in the product's words."""
    return render(request, "403.html", {"csrf": True}, status=403)
