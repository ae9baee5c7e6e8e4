"""What every API view shares: permissions from the rules, errors as JSON, pagination, the schema."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.utils import json
from rest_framework.views import APIView, exception_handler

from baqylau.core import jsonlimits
from baqylau.core.locking import EditConflict

from . import rows
from .schema import ApiAutoSchema
from .serializers.base import ConflictSerializer


class WrongState(exceptions.APIException):
    """The item is not in a state that allows this (e.g. accepting a draft report)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The item is not in a state that allows this.")
    default_code = "wrong_state"


def _conflict_body(conflict: EditConflict) -> dict:
    obj = conflict.obj
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    return {
        "detail": conflict.message,
        "code": "edit_conflict",
        "current_version": stored,
        "changes": [{"user": c["user"], "when": c["when"], "fields": c["fields"]} for c in conflict.changes],
    }


def api_exception_handler(exc, context):
    """DRF's handler, plus: a lost update is 409 and says who changed what; model validation is 400."""
    if isinstance(exc, EditConflict):
        return Response(ConflictSerializer(_conflict_body(exc)).data, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, WrongState):
        return Response({"detail": str(exc.detail), "code": "wrong_state"}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    return exception_handler(exc, context)


class HasRole(permissions.BasePermission):
    """Reading needs the view permission of the endpoint's model (every role has it; no profile: none).

    Writes are decided per object by the view, asking the rules (``accounts/rules.py``).
    """

    message = gettext_lazy("Your account has no role in Baqylau; ask the project office.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm(view.view_perm))


class ApiPagination(PageNumberPagination):
    """Page numbers, ``page_size`` 1 to 500 (default 50); anything else in them is a 400."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def _whole(self, request, name, most=None):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (most and int(raw) > most):
            message = (
                _("Give a whole number from 1 to %(most)s.") % {"most": most}
                if most
                else _("Give a whole number, 1 or more.")
            )
            raise exceptions.ValidationError({name: [message]})
        return int(raw)

    def get_page_size(self, request):
        size = self._whole(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def paginate_queryset(self, queryset, request, view=None):
        self._whole(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class NotFoundView(APIView):
    """Any other address under /api/v1/: a JSON 404, like every other API answer."""

    permission_classes = [permissions.AllowAny]
    schema = None

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = head = options = get


class LimitedJSONParser(JSONParser):
    """JSON bodies up to ``BAQYLAU_API_MAX_BODY_BYTES`` and ``BAQYLAU_API_MAX_JSON_DEPTH`` levels deep;
    beyond either a 400 that says so (Python's parser would recurse into a server error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.BAQYLAU_API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(_("The body is larger than %(limit)s bytes.") % {"limit": limit})
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = raw.decode(encoding)
            return jsonlimits.loads(
                text, settings.BAQYLAU_API_MAX_JSON_DEPTH, parse_constant=json.strict_constant
            )
        except jsonlimits.TooDeep as exc:
            raise exceptions.ParseError(
                _("The body is nested more than %(limit)s levels deep.") % {"limit": exc.limit}
            ) from None
        except ValueError as exc:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None


class ApiView:
    """Mixin for every API view set.

    Its lists are read as rows and written by the serializer's compiled ``rows.RowWriter`` (one
    ``values()`` query for the page, one per related set), not as a model object per row."""

    schema = ApiAutoSchema()
    permission_classes = [permissions.IsAuthenticated, HasRole]
    pagination_class = ApiPagination
    parser_classes = [LimitedJSONParser]
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = "[0-9]+"  # ids; any other address is a JSON 404
    view_perm = ""
    query: dict = {}
    row_extra: tuple[str, ...] = ()  # values() paths a list reads besides its serializer's (api/rows.py)
    page_by_ids = False  # a page's ids chosen first, for a list whose order no index gives (rows.Rows)

    def get_exception_handler(self):
        return api_exception_handler

    def filter_queryset(self, queryset):
        """As DjangoFilterBackend, keeping the cleaned values (as_of, judged status) for the view."""
        backend = DjangoFilterBackend()
        filterset = backend.get_filterset(self.request, queryset, self)
        if filterset is None:
            self.query = {}
            return queryset
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        self.query = filterset.form.cleaned_data
        return filterset.qs

    def list(self, request, *args, **kwargs):
        return self.row_page(self.filter_queryset(self.get_queryset()))

    def row_page(self, queryset, ids=None, rows_of=None) -> Response:
        """The paginated answer of ``queryset``'s page; with ``ids`` (every matching id, in order), the
        page of those; ``rows_of(rows)`` adds what the view gives (a judgement) before writing."""
        write = rows.writer(self.get_serializer_class())
        if ids is None:
            page = self.paginate_queryset(write.select(queryset, *self.row_extra, by_ids=self.page_by_ids))
        else:
            wanted = self.paginate_queryset(ids)
            page = rows.in_order(write.select(queryset.filter(pk__in=wanted), *self.row_extra).rows, wanted)
        write.load(page, queryset)
        if rows_of is not None:
            rows_of(page)
        return self.get_paginated_response(write.write_all(page))
