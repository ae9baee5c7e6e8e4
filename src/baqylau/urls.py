from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from baqylau.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("baqylau.api.urls")),
    path("notifications/", include("baqylau.notifications.urls")),
    path("", include("baqylau.web.urls")),
]

handler400 = "baqylau.web.views.errors.bad_request"  # says what was wrong when the product refused it
handler500 = "baqylau.core.views.server_error"  # in the user's language, with the log's reference
