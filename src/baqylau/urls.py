from django.contrib import admin
from django.urls import include, path

from baqylau.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", core_views.home, name="home"),
]
