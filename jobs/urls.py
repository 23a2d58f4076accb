"""Every page of the job-finding help (就业帮助): the public vacancy page, the desk where chairs post and
casework staff approve vacancies, the referrals with their outcomes, and the year's figures."""

from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.public_list, name="public_list"),
    path("jobs/<int:pk>/", views.public_detail, name="public_detail"),
    path("jobs/desk/", views.vacancy_list, name="vacancy_list"),
    path("jobs/desk/new/", views.vacancy_create, name="vacancy_create"),
    path("jobs/desk/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("jobs/desk/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("jobs/desk/<int:pk>/approve/", views.vacancy_approve, name="vacancy_approve"),
    path("jobs/desk/<int:pk>/return/", views.vacancy_return, name="vacancy_return"),
    path("jobs/desk/<int:pk>/extend/", views.vacancy_extend, name="vacancy_extend"),
    path("jobs/desk/<int:pk>/close/", views.vacancy_close, name="vacancy_close"),
    path("jobs/desk/<int:pk>/refer/", views.referral_create, name="referral_create"),
    path("jobs/referrals/", views.referral_list, name="referral_list"),
    path("jobs/referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("jobs/referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("jobs/figures/", views.figures, name="figures"),
    path("jobs/figures/<year:year>/referrals.xlsx", views.export, name="export"),
]
