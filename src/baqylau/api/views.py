"""The API's view sets. Who may see and do what is asked of ``accounts/rules.py``, never decided here."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from baqylau.accounts.rules import visible_measures, visible_reports
from baqylau.core.dates import ERA_PATTERN
from baqylau.core.locking import EditConflict, save_versioned
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import Event
from baqylau.plans.editing import AGENCY_FIELDS, OFFICE_FIELDS, editable_fields
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, FacilityKind, Sphere, Territory
from baqylau.reports import workflow
from baqylau.reports.models import Report, ReportActual
from baqylau.reports.services import attach as attach_file
from baqylau.reports.services import save_report

from . import filters, serializers
from .base import ApiView, WrongState
from .filters import AsOfField
from .judged import Judge

UPLOAD = {  # a report's attachment: one file in the multipart field "file"
    "type": "object",
    "properties": {"file": {"type": "string", "format": "binary"}},
    "required": ["file"],
}
AS_OF = OpenApiParameter(
    "as_of",
    {"type": "string", "format": "date", "pattern": r"^$|" + ERA_PATTERN},
    description="Judge as of this date (YYYY-MM-DD, 1990-01-01 to 2100-12-31); default (or empty) today.",
)


class ReadOnlyViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    pass


def require_version(request, obj) -> None:
    """A write without the version it was read at cannot be checked for a lost update: a conflict (409)."""
    data = request.data
    if isinstance(data, dict) and data.get("version") is None:
        raise EditConflict(obj, None)


# --- reference data and plans -------------------------------------------------------------------------


class SphereViewSet(ReadOnlyViewSet):
    """Spheres of life (water supply, heat supply, ...): the codes measures are filed under."""

    queryset = Sphere.objects.order_by("code")
    serializer_class = serializers.SphereSerializer
    view_perm = "reference.view_sphere"
    filter_backends = []


class FacilityKindViewSet(ReadOnlyViewSet):
    """What facilities are (desalination plant, school, substation ...): a list the office extends."""

    queryset = FacilityKind.objects.order_by("code")
    serializer_class = serializers.FacilityKindSerializer
    view_perm = "reference.view_facilitykind"
    filter_backends = []


class TerritoryViewSet(ReadOnlyViewSet):
    """The region, its cities and districts."""

    queryset = Territory.objects.select_related("parent").order_by("code")
    serializer_class = serializers.TerritorySerializer
    view_perm = "reference.view_territory"
    filter_backends = []


class AgencyViewSet(ReadOnlyViewSet):
    """Executing and reporting bodies: ministries, the akimat, state companies."""

    queryset = Agency.objects.order_by("code")
    serializer_class = serializers.AgencySerializer
    view_perm = "reference.view_agency"
    filter_backends = []


class PlanViewSet(ReadOnlyViewSet):
    """Plans of measures."""

    queryset = Plan.objects.select_related("region").order_by("code")
    serializer_class = serializers.PlanSerializer
    view_perm = "plans.view_plan"
    filter_backends = []


class FacilityViewSet(ReadOnlyViewSet):
    """Facilities the measures build; an agency sees those of its own measures."""

    serializer_class = serializers.FacilitySerializer
    filterset_class = filters.FacilityFilter
    view_perm = "plans.view_facility"

    def get_queryset(self):
        measures = visible_measures(self.request.user, Measure.objects.all()).values("pk")
        return (
            Facility.objects.filter(measure__in=measures)
            .select_related("plan", "measure", "territory", "kind")
            .order_by("plan__code", "code")
        )


class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators with their targets (the trajectory) and actuals; an agency sees those of its own
    measures and the plan-wide ones."""

    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    view_perm = "indicators.view_indicator"

    def get_queryset(self):
        measures = visible_measures(self.request.user, Measure.objects.all()).values("pk")
        return (
            Indicator.objects.filter(Q(measure__isnull=True) | Q(measure__in=measures))
            .select_related("plan", "measure")
            .prefetch_related(
                Prefetch("targets", queryset=Target.objects.order_by("period_end")),
                Prefetch(
                    "actuals", queryset=Actual.objects.select_related("reported_by").order_by("period_end")
                ),
            )
            .order_by("plan__code", "code")
        )


class EventViewSet(ReadOnlyViewSet):
    """Visits, meetings and sessions at which instructions were given."""

    queryset = Event.objects.select_related("plan").order_by("plan__code", "date", "code")
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    view_perm = "instructions.view_event"


# --- judged items -------------------------------------------------------------------------------------


class JudgedViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and details carrying each item's judgement as of ``?as_of=`` (default today)."""

    judged_filters: tuple[str, ...] = ()
    kind = ""  # measure, instruction
    row_extra = ("plan_id",)  # a row's judgement is read by its id and plan

    def judge(self) -> Judge:
        if not hasattr(self, "_judge"):
            as_of = self.query.get("as_of") if self.query else None
            if as_of is None and self.request.query_params.get("as_of"):
                try:
                    as_of = AsOfField(required=False).clean(self.request.query_params["as_of"])
                except DjangoValidationError as error:
                    raise ValidationError({"as_of": error.messages}) from error
            plan = self.query.get("plan") if self.query else None
            self._judge = Judge(as_of, [plan] if plan else ())
        return self._judge

    def attach(self, objects, judge: Judge) -> None:
        records = judge.records(self.kind, [(obj.pk, obj.plan_id) for obj in objects])
        for obj in objects:
            obj.judgement = records[obj.pk]

    def attach_rows(self, rows) -> None:
        records = self.judge().records(self.kind, [(row["id"], row["plan_id"]) for row in rows])
        for row in rows:
            row["judgement"] = records[row["id"]]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        judge = self.judge()
        wanted = {key: self.query[key] for key in self.judged_filters if self.query.get(key)}
        if wanted and judge.stored:
            # Today's verdicts are stored: the judged filters are conditions of the same query.
            judge.ensure_current(queryset)
            queryset = queryset.filter(**{f"verdict__{key}": value for key, value in wanted.items()})
        ids = judge.matching_ids(queryset, self.kind, wanted) if wanted and not judge.stored else None
        return self.row_page(queryset, ids, self.attach_rows)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.attach([obj], self.judge())
        return Response(self.get_serializer(obj).data)

    def fresh(self, pk):
        """The object re-read after a write, with its judgement."""
        obj = self.get_queryset().get(pk=pk)
        self.attach([obj], self.judge())
        return obj


@extend_schema_view(
    list=extend_schema(
        description="Measures with their judgement as of `as_of`; filtered like the measures register."
    ),
    retrieve=extend_schema(parameters=[AS_OF]),
)
class MeasureViewSet(JudgedViewSet):
    """Measures of a plan, each with its judgement; an agency sees the measures it leads or co-executes."""

    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureApiFilter
    view_perm = "plans.view_measure"
    judged_filters = ("status", "confidence")
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Measure.objects.select_related("plan", "sphere", "lead_agency", "parent").prefetch_related(
            "territories", "co_agencies", Prefetch("facilities", queryset=Facility.objects.order_by("code"))
        )
        return visible_measures(self.request.user, queryset).order_by("plan__code", "code")

    def get_filterset_class(self):
        return self.filterset_class if self.action == "list" else None

    kind = "measure"

    @extend_schema(
        request=serializers.MeasureUpdateSerializer,
        responses={200: serializers.MeasureSerializer},
        parameters=[AS_OF],
        description=(
            "Change a measure. Send only the fields to change and the `version` you read; a stale version "
            "is refused with 409. The project office may change every field listed; an agency editor, on "
            "its own measures, the fields of execution: " + ", ".join(AGENCY_FIELDS) + "."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        measure = self.get_object()
        user = request.user
        if not user.has_perm("plans.change_measure", measure):
            raise PermissionDenied(_("You may not change this measure."))
        require_version(request, measure)
        allowed = editable_fields(user)
        data = request.data if isinstance(request.data, dict) else {}
        refused = sorted((set(data) & set(OFFICE_FIELDS)) - set(allowed))
        if refused:
            raise PermissionDenied(
                _("Only the project office may change: %(fields)s.") % {"fields": ", ".join(refused)}
            )
        serializer = serializers.MeasureUpdateSerializer(
            measure, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        for name, value in changes.items():
            setattr(measure, name, value)
        measure.full_clean()
        measure._history_user = user
        save_versioned(measure, version)
        return Response(self.get_serializer(self.fresh(measure.pk)).data)


# --- reports ------------------------------------------------------------------------------------------


class _ReportInput:
    """What ``reports.services.save_report`` reads from its form, from validated API input."""

    def __init__(self, version, values):
        self.cleaned_data = {"opened_version": version, "attachment": None}
        self._values = values

    def indicator_values(self):
        return self._values


@extend_schema_view(
    create=extend_schema(
        request=serializers.ReportCreateSerializer,
        responses={201: serializers.ReportSerializer},
        description="Start a draft report on a measure or an instruction your agency executes.",
    ),
    partial_update=extend_schema(
        request=serializers.ReportUpdateSerializer,
        responses={200: serializers.ReportSerializer},
        description="Change a draft or returned report. Send the `version` you read; stale: 409.",
    ),
)
class ReportViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Agencies' reports on measures and instructions, and their review. An agency sees its own."""

    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter
    view_perm = "reports.view_report"
    page_by_ids = True  # newest first: sorted, no index gives the order
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Report.objects.select_related(
            "measure__plan", "instruction__plan", "agency", "author", "reviewed_by"
        ).prefetch_related(
            Prefetch(
                "indicator_values",
                queryset=ReportActual.objects.select_related("indicator").order_by("indicator__code"),
            ),
            "attachments",
        )
        return visible_reports(self.request.user, queryset).order_by("-period_end", "-pk")

    def get_filterset_class(self):
        return self.filterset_class if self.action == "list" else None

    def _report(self, pk):
        return self.get_queryset().get(pk=pk)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not user.has_perm("reports.add_report"):
            raise PermissionDenied(_("Your role does not report."))
        serializer = serializers.ReportCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        values = data.pop("indicator_values")
        kind = "measure" if data.get("measure") else "instruction"
        item = data[kind]
        if not user.has_perm(f"reports.report_on_{kind}", item):
            raise PermissionDenied(_("You may not report on this item."))
        profile = getattr(user, "profile", None)
        agency = getattr(profile, "agency", None) or (
            item.lead_agency if kind == "measure" else item.executors.order_by("code").first()
        )
        report = Report(agency=agency, **data)
        save_report(report, _ReportInput(None, values), user, submit=False)
        return Response(self.get_serializer(self._report(report.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        user = request.user
        if not user.has_perm("reports.change_report"):
            raise PermissionDenied(_("Your role does not write reports."))
        if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
            raise WrongState(
                _("Only a draft or returned report can be changed; this one is %(state)s.")
                % {"state": report.get_state_display()}
            )
        if not user.has_perm("reports.change_report", report):
            raise PermissionDenied(_("You may not change this report."))
        require_version(request, report)
        serializer = serializers.ReportUpdateSerializer(
            report, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version, values = data.pop("version"), data.pop("indicator_values")
        for name, value in data.items():
            setattr(report, name, value)
        report.full_clean()
        save_report(report, _ReportInput(version, values), user, submit=False)
        return Response(self.get_serializer(self._report(report.pk)).data)

    def _transition(self, request, name, input_class):
        report = self.get_object()
        sources, _target, perm = workflow.TRANSITIONS[name]
        if not request.user.has_perm(perm):
            raise PermissionDenied(_("Your role may not do this to a report."))
        if report.state not in sources:
            raise WrongState(workflow.WRONG_STATE[name] % {"state": report.get_state_display()})
        require_version(request, report)
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        report._history_user = request.user
        try:
            workflow.transition(
                report,
                request.user,
                name,
                serializer.validated_data["version"],
                comment=serializer.validated_data.get("comment", ""),
            )
        except workflow.TransitionRefused as refused:
            if hasattr(refused, "error_dict"):
                errors = {
                    ("comment" if field == "review_comment" else field): [m for e in errs for m in e.messages]
                    for field, errs in refused.error_dict.items()
                }
                raise ValidationError(errors) from refused
            raise
        return Response(self.get_serializer(self._report(report.pk)).data)

    @extend_schema(request={"multipart/form-data": UPLOAD}, responses={201: serializers.ReportSerializer})
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser],
        url_path="attachments",
        url_name="attachments",
    )
    def upload_attachment(self, request, pk=None):
        """Attach a file (`file`: PDF, DOCX, XLSX, PNG or JPG) to a draft or returned report: the
        evidence a completion claim needs before it can be accepted."""
        report = self.get_object()
        if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
            raise WrongState(
                _("Only a draft or returned report can be changed; this one is %(state)s.")
                % {"state": report.get_state_display()}
            )
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Send the file in the form field 'file'.")]})
        try:
            attach_file(report, upload, request.user)
        except DjangoValidationError as problem:
            raise ValidationError({"file": problem.messages}) from problem
        return Response(self.get_serializer(self._report(report.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.SubmitSerializer, responses={200: serializers.ReportSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft or returned report for review (its agency, or the project office)."""
        return self._transition(request, "submit", serializers.SubmitSerializer)

    @extend_schema(request=serializers.TransitionSerializer, responses={200: serializers.ReportSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted report (reviewer or project office).

        From then on it feeds the judgements, and its indicator values become the indicators' actuals.
        """
        return self._transition(request, "accept", serializers.TransitionSerializer)

    @extend_schema(request=serializers.ReturnSerializer, responses={200: serializers.ReportSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_rework(self, request, pk=None):
        """Return a submitted report for rework, with a `comment` saying why (reviewer or project office)."""
        return self._transition(request, "return", serializers.ReturnSerializer)
