"""Every page of the workers' homes (职工之家): the district list, each union's home, the
self-assessment, inspections with their photos, levels and the checklist."""

from django.urls import path

from . import views

app_name = "homes"

urlpatterns = [
    path("homes/", views.home_list, name="home_list"),
    path("homes/unions/<int:union_pk>/", views.home_detail, name="home_detail"),
    path("homes/unions/<int:union_pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path(
        "homes/unions/<int:union_pk>/self-assessment/<year:year>/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("homes/unions/<int:union_pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("homes/unions/<int:union_pk>/level/", views.set_level, name="home_set_level"),
    path("homes/photos/<int:photo_pk>/", views.home_photo, name="home_photo"),
    path("homes/checklist/", views.checklist_list, name="checklist_list"),
    path("homes/checklist/new/", views.checklist_form, name="checklist_create"),
    path("homes/checklist/<int:pk>/edit/", views.checklist_form, name="checklist_edit"),
    path("homes/checklist/<int:pk>/toggle/", views.checklist_toggle, name="checklist_toggle"),
]
