from django.urls import path

from .views import certificates, duty, mine, nominations, overview, rota, training

app_name = "secondment"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("cadres/", overview.term_list, name="term_list"),
    path("cadres/<int:pk>/", overview.term_detail, name="term_detail"),
    path("cadres/<int:pk>/assess/", overview.term_assess, name="term_assess"),
    path("cadres/<int:pk>/end/", overview.term_end_early, name="term_end_early"),
    path("nominations/", nominations.nomination_list, name="nomination_list"),
    path("nominations/new/", nominations.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/decide/", nominations.nomination_decide, name="nomination_decide"),
    path(
        "nominations/<int:pk>/reveal-phone/",
        nominations.nomination_reveal_phone,
        name="nomination_reveal_phone",
    ),
    path("rota/", rota.rota_month, name="rota_month"),
    path("rota/generate/", rota.rota_generate, name="rota_generate"),
    path("my/", rota.my_duty_days, name="my_duty_days"),
    path("my/unavailable/", rota.unavailability_add, name="unavailability_add"),
    path("my/unavailable/<int:pk>/delete/", rota.unavailability_delete, name="unavailability_delete"),
    path("my/swaps/", rota.swap_propose, name="swap_propose"),
    path("swaps/<int:pk>/decide/", rota.swap_decide, name="swap_decide"),
    path("feed/<str:token>.ics", rota.rota_feed, name="rota_feed"),
    path("my/log/<str:day>/", duty.log_duty, name="log_duty"),
    path("my/late/<str:day>/", mine.late_entry_request, name="late_entry_request"),
    path("my/secondment/", mine.my_secondment, name="my_secondment"),
    path("late-entries/", mine.late_entry_list, name="late_entry_list"),
    path("late-entries/<int:pk>/decide/", mine.late_entry_decide, name="late_entry_decide"),
    path("logs/", duty.log_list, name="log_list"),
    path("logs/<int:pk>/review/", duty.log_review, name="log_review"),
    path("training/", training.course_list, name="course_list"),
    path("training/new/", training.course_form, name="course_create"),
    path("training/ledger/", training.training_ledger, name="training_ledger"),
    path("training/<int:pk>/", training.course_detail, name="course_detail"),
    path("training/<int:pk>/edit/", training.course_form, name="course_edit"),
    path("training/<int:pk>/enrol/", training.course_enrol, name="course_enrol"),
    path(
        "training/enrolments/<int:pk>/attendance/", training.enrolment_attendance, name="enrolment_attendance"
    ),
    path("certificates/", certificates.certificate_list, name="certificate_list"),
    path("certificates/issue/<int:term_pk>/", certificates.certificate_issue, name="certificate_issue"),
    path("certificates/batch/", certificates.certificate_batch, name="certificate_batch"),
    path(
        "certificates/batch/<uuid:task_id>/",
        certificates.certificate_batch_progress,
        name="certificate_batch_progress",
    ),
    path("certificates/<int:pk>/pdf/", certificates.certificate_download, name="certificate_download"),
    path("certificates/<int:pk>/revoke/", certificates.certificate_revoke, name="certificate_revoke"),
    path("certificates/verify/<str:token>/", certificates.certificate_verify, name="certificate_verify"),
]
