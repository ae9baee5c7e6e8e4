from django.urls import path, register_converter

from baqylau.core.codes import CodeConverter

from .views import briefing, dashboard, instructions, measures, public, reports, water, workbook

# Codes in addresses match the one code pattern, so every code has an address that reverses.
register_converter(CodeConverter, "code")

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("briefing/", briefing.briefing, name="briefing"),
    path("measures/", measures.measure_register, name="measures"),
    path("measures/<code:plan_code>/<code:code>/", measures.measure_detail, name="measure"),
    path("measures/<code:plan_code>/<code:code>/edit/", measures.measure_edit, name="measure_edit"),
    path("instructions/", instructions.instruction_register, name="instructions"),
    path("instructions/queue/", instructions.instruction_queue, name="instruction_queue"),
    path("instructions/discipline/", instructions.discipline_page, name="discipline"),
    path("instructions/<code:plan_code>/<code:code>/", instructions.instruction_detail, name="instruction"),
    path(
        "instructions/<code:plan_code>/<code:code>/act/", instructions.instruction_act, name="instruction_act"
    ),
    path("events/<code:plan_code>/<code:code>/", instructions.event_detail, name="event"),
    path("water/", water.water, name="water"),
    path("public/<code:plan_code>/", public.public_plan, name="public_plan"),
    path("public/<code:plan_code>/data.<str:fmt>", public.public_download, name="public_download"),
    path("public/<code:plan_code>/<code:code>/", public.public_measure, name="public_measure"),
    path("inbox/", reports.inbox, name="inbox"),
    path("reports/new/<str:kind>/<int:pk>/", reports.report_form, name="report_new"),
    path("reports/<int:report_pk>/edit/", reports.report_form, name="report_edit"),
    path("review/", reports.review_queue, name="review"),
    path("review/<int:pk>/", reports.review, name="review_decide"),
    path("attachments/<int:pk>/", reports.attachment, name="attachment"),
    path("plans/import/", workbook.upload, name="import_upload"),
    path("plans/import/<int:pk>/", workbook.job, name="import_job"),
    path("plans/<code:plan_code>/workbook.xlsx", workbook.download, name="workbook_download"),
]
