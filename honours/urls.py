"""Every page of the honours (评先评优): rounds, nominations, award types, the honours list, the
certificates and the public notice and verification pages (no login); teams (班组), the 十百千 programme,
the federation's own awards and the public honours page (no login)."""

from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path("honours/", views.round_list, name="round_list"),
    path("honours/rounds/new/", views.round_create, name="round_create"),
    path("honours/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("honours/rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("honours/rounds/<int:pk>/nominate/", views.nomination_create, name="nomination_create"),
    path("honours/rounds/<int:pk>/decide/", views.round_decide, name="round_decide"),
    path("honours/rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("honours/rounds/<int:pk>/issue/", views.round_issue, name="round_issue"),
    path("honours/rounds/<int:pk>/notice/", views.honour_notice, name="honour_notice"),
    path("honours/nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(
        "honours/nominations/<int:pk>/evidence/<int:evidence_pk>/",
        views.nomination_evidence,
        name="nomination_evidence",
    ),
    path("honours/nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("honours/nominations/<int:pk>/score/", views.nomination_score, name="nomination_score"),
    path(
        "honours/nominations/<int:pk>/ineligible/", views.nomination_ineligible, name="nomination_ineligible"
    ),
    path("honours/awards/", views.award_type_list, name="award_type_list"),
    path("honours/awards/new/", views.award_type_create, name="award_type_create"),
    path("honours/awards/<int:pk>/edit/", views.award_type_edit, name="award_type_edit"),
    path("honours/list/", views.honour_list, name="honour_list"),
    path("honours/list/export.xlsx", views.honour_export, name="honour_export"),
    path("honours/<int:pk>/certificate/", views.honour_certificate, name="honour_certificate"),
    path("honours/<int:pk>/revoke/", views.honour_revoke, name="honour_revoke"),
    path("honours/verify/<str:token>/", views.honour_verify, name="honour_verify"),
    # teams (班组)
    path("honours/teams/", views.team_list, name="team_list"),
    path("honours/teams/new/", views.team_create, name="team_create"),
    path("honours/teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("honours/teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    # the 十百千 programme
    path("honours/shibaiqian/", views.programme, name="programme"),
    # the federation's own awards
    path("honours/federation/", views.federation_award_list, name="federation_award_list"),
    path("honours/federation/new/", views.federation_award_create, name="federation_award_create"),
    path("honours/federation/<int:pk>/", views.federation_award_detail, name="federation_award_detail"),
    path("honours/federation/<int:pk>/edit/", views.federation_award_edit, name="federation_award_edit"),
    path(
        "honours/federation/<int:pk>/documents/",
        views.federation_document_add,
        name="federation_document_add",
    ),
    path(
        "honours/federation/documents/<int:pk>/public/",
        views.federation_document_public,
        name="federation_document_public",
    ),
    path(
        "honours/federation/documents/<int:pk>/remove/",
        views.federation_document_remove,
        name="federation_document_remove",
    ),
    # the public honours page and its documents (no login)
    path("honours/public/", views.public_honours, name="public_honours"),
    path("honours/public/documents/<int:pk>/", views.public_document, name="public_document"),
]
