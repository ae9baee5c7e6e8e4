from django.contrib import admin

from baqylau.accounts.rules import visible_instructions
from baqylau.core.admin import BaqylauAdmin, VersionedAdmin

from .models import DeadlineChange, Event, Instruction


@admin.register(Event)
class EventAdmin(BaqylauAdmin):
    list_display = ["code", "date", "kind", "title", "held_by", "place"]
    list_filter = ["plan", "kind", "date"]
    search_fields = ["code", "title", "title_ru", "title_kk", "held_by", "place"]
    date_hierarchy = "date"


class DeadlineChangeInline(admin.TabularInline):
    """Deadline changes are history: shown, never edited here (use the change-deadline action)."""

    model = DeadlineChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "old_due", "new_due", "reason", "decided_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instruction)
class InstructionAdmin(VersionedAdmin):
    list_display = ["code", "short_text", "event", "issued_on", "due", "status"]
    list_filter = ["plan", "status", "event", "executors", "due"]
    search_fields = ["code", "text", "text_ru", "text_kk", "issued_by"]
    autocomplete_fields = ["event", "executors", "measures"]
    date_hierarchy = "due"
    list_select_related = ["event"]
    readonly_fields = ["version", "updated_at"]
    inlines = [DeadlineChangeInline]

    def get_queryset(self, request):
        return visible_instructions(request.user, super().get_queryset(request))

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.label[:90]
