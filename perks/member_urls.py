"""The member's discount card pages, under /m/card/ (see ``perks.views.member_card``)."""

from django.urls import path

from .views import member_card

app_name = "member_card"

urlpatterns = [
    path("", member_card.card, name="card"),
    path("merchants/", member_card.merchants, name="merchants"),
    path("<int:pk>/lost/", member_card.report_lost, name="report_lost"),
    path("lost/<int:pk>/", member_card.report, name="report"),
]
