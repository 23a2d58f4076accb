"""Every page of the skills contests (技能比武): the list, a contest and its settings, sheet, quotas, rounds
and judges; the chairs' entries; the judges' scoring; the results, their export and the honours feed; the
year's figures; the certificates and their public verification page (no login)."""

from django.urls import path

from . import views

app_name = "contests"

urlpatterns = [
    path("contests/", views.contest_list, name="list"),
    path("contests/new/", views.contest_create, name="create"),
    path("contests/figures/<year:year>/", views.figures, name="figures"),
    path("contests/<int:pk>/", views.detail, name="detail"),
    path("contests/<int:pk>/edit/", views.contest_edit, name="edit"),
    path("contests/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("contests/<int:pk>/quotas/", views.quotas, name="quotas"),
    path("contests/<int:pk>/rounds/<int:round_pk>/", views.round_edit, name="round_edit"),
    path("contests/<int:pk>/judges/", views.judges, name="judges"),
    path("contests/<int:pk>/judges/<int:judge_pk>/union/", views.judge_union, name="judge_union"),
    path("contests/<int:pk>/judges/<int:judge_pk>/remove/", views.judge_remove, name="judge_remove"),
    path("contests/<int:pk>/state/<str:action>/", views.transition, name="transition"),
    path("contests/<int:pk>/entries/", views.entries, name="entries"),
    path("contests/entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("contests/<int:pk>/scoring/", views.scoring, name="scoring"),
    path("contests/<int:pk>/scoring/<int:entry_pk>/", views.score, name="score"),
    path("contests/<int:pk>/results/", views.results, name="results"),
    path("contests/<int:pk>/results.xlsx", views.export, name="export"),
    path("contests/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("contests/certificates/<int:pk>/", views.certificate, name="certificate"),
    path("contests/certificates/verify/<str:token>/", views.certificate_verify, name="certificate_verify"),
]
