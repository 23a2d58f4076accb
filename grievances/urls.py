"""Staff casework pages, mounted at /cases/."""

from django.urls import path

from .views import cases, overview

app_name = "grievances"

urlpatterns = [
    path("overview/", overview.overview, name="overview"),
    path("overview/export/", overview.overview_export, name="overview_export"),
    path("deadlines/", overview.deadline_list, name="deadline_list"),
    path("", cases.case_list, name="case_list"),
    path("new/", cases.case_create, name="case_create"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/identity/", cases.case_identity, name="case_identity"),
    path("<int:pk>/assign/", cases.case_assign, name="case_assign"),
    path("<int:pk>/stage/", cases.case_stage, name="case_stage"),
    path("<int:pk>/arbitration/", cases.case_arbitration, name="case_arbitration"),
    path("<int:pk>/callback/", cases.case_callback, name="case_callback"),
    path("<int:pk>/petition-extension/", cases.case_extend_petition, name="case_extend_petition"),
    path("<int:pk>/events/", cases.case_event, name="case_event"),
    path("<int:pk>/events/<int:event_pk>/attachment/", cases.case_attachment, name="case_attachment"),
    path("<int:pk>/help/", cases.case_help, name="case_help"),
    path("<int:pk>/legal-aid/", cases.case_legal_aid, name="case_legal_aid"),
    path("<int:pk>/close/", cases.case_close, name="case_close"),
    path("<int:pk>/evidence/<int:evidence_pk>/", cases.case_evidence, name="case_evidence"),
]
