from django.urls import path

from .views import activities, associations, matchmaking, showcase

app_name = "associations"

urlpatterns = [
    path("", associations.association_list, name="association_list"),
    path("new/", associations.association_create, name="association_create"),
    path("mine/", associations.my_associations, name="my_associations"),
    path("compliance/", associations.compliance, name="compliance"),
    path("<int:pk>/", associations.association_detail, name="association_detail"),
    path("<int:pk>/edit/", associations.association_edit, name="association_edit"),
    path("<int:pk>/members/", associations.association_members, name="association_members"),
    path("<int:pk>/join/", associations.association_join, name="association_join"),
    path("<int:pk>/plan/<year:year>/", associations.plan_edit, name="plan_edit"),
    path("memberships/<int:pk>/decide/", associations.membership_decide, name="membership_decide"),
    path("memberships/<int:pk>/leave/", associations.membership_leave, name="membership_leave"),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/signup/", activities.signup_create, name="signup_create"),
    path("activities/<int:pk>/checkin/", activities.checkin, name="checkin"),
    path("activities/<int:pk>/attendance/", activities.activity_attendance, name="activity_attendance"),
    path("activities/<int:pk>/close/", activities.activity_close, name="activity_close"),
    path("activities/<int:pk>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/confirm/", activities.activity_confirm, name="activity_confirm"),
    path("activities/signups/<int:pk>/cancel/", activities.signup_cancel, name="signup_cancel"),
    path("activities/signups/<int:pk>/checkin/", activities.signup_checkin, name="signup_checkin"),
    path("showcases/", showcase.showcase_list, name="showcase_list"),
    path("showcases/new/", showcase.showcase_form, name="showcase_create"),
    path("showcases/<int:pk>/", showcase.showcase_detail, name="showcase_detail"),
    path("showcases/<int:pk>/edit/", showcase.showcase_form, name="showcase_edit"),
    path("showcases/<int:pk>/export.xlsx", showcase.showcase_export, name="showcase_export"),
    path("showcases/<int:pk>/programmes/new/", showcase.programme_create, name="programme_create"),
    path("showcases/programmes/<int:pk>/edit/", showcase.programme_edit, name="programme_edit"),
    path("showcases/programmes/<int:pk>/delete/", showcase.programme_delete, name="programme_delete"),
    path("<int:pk>/profile/", matchmaking.matchmaking_profile, name="matchmaking_profile"),
    path("<int:pk>/matchmaking/", matchmaking.matchmaking, name="matchmaking"),
    path("<int:pk>/matchmaking/record/", matchmaking.match_record, name="match_record"),
    path("<int:pk>/matchmaking/summary/", matchmaking.matchmaking_summary, name="matchmaking_summary"),
]
