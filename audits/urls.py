"""Every page of the audits (经费审计): the district view and its export, the year's plan, each audit (team,
checklist, findings, report), the rectifications, and a chair's own audits."""

from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("audits/", views.district, name="district"),
    path("audits/export.xlsx", views.export, name="export"),
    path("audits/mine/", views.mine, name="mine"),
    path("audits/plan/<year:year>/", views.plan, name="plan"),
    path("audits/plan/<year:year>/add/", views.plan_add, name="plan_add"),
    path("audits/<int:pk>/", views.detail, name="detail"),
    path("audits/<int:pk>/team/", views.team, name="team"),
    path("audits/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("audits/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("audits/<int:pk>/complete/", views.complete, name="complete"),
    path("audits/<int:pk>/remove/", views.remove, name="remove"),
    path("audits/<int:pk>/report.pdf", views.report, name="report"),
    path("audits/findings/<int:pk>/recovered/", views.finding_recovered, name="finding_recovered"),
    path("audits/rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("audits/rectifications/<int:pk>/accept/", views.rectification_accept, name="rectification_accept"),
    path(
        "audits/rectifications/<int:pk>/send-back/",
        views.rectification_send_back,
        name="rectification_send_back",
    ),
]
