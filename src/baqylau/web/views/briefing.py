"""The briefing download on the dashboard: the plan and date shown, in the chosen language and format."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from baqylau.briefings.render import FORMATS, LANGUAGES, file_name, make_briefing
from baqylau.web.context import page_scope


def briefing(request):
    scope = page_scope(request)
    if not request.user.has_perm("plans.view_plan", scope.plan):
        raise PermissionDenied
    fmt = request.GET.get("format", "pdf")
    language = request.GET.get("lang") or (get_language() or "ru").split("-")[0]
    if fmt not in FORMATS or language not in LANGUAGES:
        raise BadRequest(_("A briefing is PDF or DOCX, in kk, ru or en."))
    # The user's own scope: an agency's briefing counts its own measures and instructions.
    data = make_briefing(scope.plan, scope.as_of, language, fmt, user=request.user)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = file_name(scope.plan, scope.as_of, language, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
