from django.contrib import admin

from baqylau.core.admin import BaqylauAdmin

from .models import Contact, ReminderSchedule


@admin.register(Contact)
class ContactAdmin(BaqylauAdmin):
    list_display = ["email", "name", "agency", "user", "language", "active"]
    list_filter = ["agency", "language", "active"]
    search_fields = ["email", "name", "user__username"]


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(BaqylauAdmin):
    list_display = ["plan", "days_before", "digest_weekday"]
