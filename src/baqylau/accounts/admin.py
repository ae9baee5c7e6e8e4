from django.contrib import admin

from baqylau.core.admin import BaqylauAdmin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(BaqylauAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["agency"]
