from django.contrib import admin

from baqylau.accounts.rules import visible_instructions
from baqylau.core.admin import BaqylauAdmin, VersionedAdmin

from .models import DeadlineChange, Event, ExtensionRequest, Instruction


@admin.register(Event)
class EventAdmin(BaqylauAdmin):
    list_display = ["code", "date", "kind", "title", "held_by", "place"]
    list_filter = ["plan", "kind", "date"]
    search_fields = ["code", "title", "title_ru", "title_kk", "held_by", "place"]
    date_hierarchy = "date"


class DeadlineChangeInline(admin.TabularInline):
    """Deadline changes are history: shown, never edited here. A deadline moves by an extension granted
    on the instruction page (or the API's change-deadline and extension endpoints), with its reason."""

    model = DeadlineChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "old_due", "new_due", "reason", "decided_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionRequestInline(admin.TabularInline):
    """Extension requests and their decisions: made and decided by the workflow, shown here."""

    model = ExtensionRequest
    fk_name = "instruction"
    extra = 0
    can_delete = False
    fields = ["requested_on", "requested_by", "due_then", "proposed_due", "reason", "state", "decided_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


# The workflow's fields (instructions/workflow.py) and the deadline (a kept DeadlineChange) are never
# typed in here; what was ordered at issue is fixed once the instruction exists.
WORKFLOW_FIELDS = ["status", "stage", "closed_on"]
FIXED_ONCE_ISSUED = ["issued_on", "term_days", "original_due", "due"]


@admin.register(Instruction)
class InstructionAdmin(VersionedAdmin):
    list_display = [
        "code",
        "short_text",
        "event",
        "responsible",
        "issued_on",
        "original_due",
        "due",
        "status",
    ]
    list_filter = ["plan", "status", "stage", "event", "executors", "due"]
    search_fields = ["code", "text", "text_ru", "text_kk", "issued_by", "responsible_official"]
    autocomplete_fields = ["event", "executors", "measures", "responsible", "parent"]
    date_hierarchy = "due"
    list_select_related = ["event", "responsible"]
    inlines = [DeadlineChangeInline, ExtensionRequestInline]

    def get_readonly_fields(self, request, obj=None):
        fixed = [*FIXED_ONCE_ISSUED] if obj is not None else []
        return ["version", "updated_at", *WORKFLOW_FIELDS, *fixed]

    def get_exclude(self, request, obj=None):
        return ["original_due"] if obj is None else []  # a new one's original is the due it is given

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        instruction = form.instance
        if instruction.responsible_id:  # the responsible executor is one of the executors
            instruction.executors.add(instruction.responsible_id)

    def get_queryset(self, request):
        return visible_instructions(request.user, super().get_queryset(request))

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.label[:90]
