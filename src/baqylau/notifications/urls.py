from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.sent_to_me, name="mine"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/retry/", views.retry, name="retry"),
]
