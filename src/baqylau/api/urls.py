"""/api/v1/: the REST API (token auth for machines, session auth for people), its schema and its docs.

Every page of the site needs a login (LoginRequiredMiddleware), which would send a machine with a token
to the login form; the API's views are therefore marked ``login_not_required`` and DRF's own
authentication and permissions answer instead (401 without credentials, 403 when refused).
"""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import docs, instructions, views
from .base import NotFoundView

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("facilities", views.FacilityViewSet, basename="facility")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("events", views.EventViewSet, basename="event")
router.register("instructions", instructions.InstructionViewSet, basename="instruction")
router.register("reports", views.ReportViewSet, basename="report")
router.register("spheres", views.SphereViewSet, basename="sphere")
router.register("facility-kinds", views.FacilityKindViewSet, basename="facilitykind")
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("agencies", views.AgencyViewSet, basename="agency")

# The schema describes the API's shape, not its data: anyone may read it (client generators, the contract
# test), so a machine can be set up before it has a token. The data answer only with credentials.
schema_view = SpectacularAPIView.as_view()

app_name = "api"

machine_patterns = [
    *router.urls,
    path("discipline/", instructions.DisciplineView.as_view(), name="discipline"),
    path("schema/", schema_view, name="schema"),
    # Anything else under /api/v1/ answers a JSON 404, not the site's HTML page. (URLs end with "/".)
    re_path(r"^(?!(docs|swagger)/\Z)[\s\S]*\Z", NotFoundView.as_view()),
]
for pattern in machine_patterns:
    login_not_required(pattern.callback)

urlpatterns = [
    # The docs page is for people: an ordinary page of the site, behind its login.
    path("docs/", docs.api_docs, name="docs"),
    # Swagger UI, to try the endpoints; behind the login like the docs page.
    path(
        "swagger/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="swagger",
    ),
    *machine_patterns,
]
