"""The member area's own pages (/m/…); the programmes hang theirs beside (/m/card/, /m/activities/…)."""

from django.urls import path

from .views import join
from .views import member_area as views

app_name = "member_area"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.code_view, name="code"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("privacy/", views.privacy, name="privacy"),
    path("me/", views.me, name="me"),
    path("membership/", views.membership, name="membership"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/", views.rule, name="rule"),
    path("notices/", views.notices, name="notices"),
    path("messages/", views.messages_view, name="messages"),
    # Joining the union (入会申请): public, no login.
    path("join/", join.join_form, name="join"),
    path("join/done/", join.join_done, name="join_done"),
]
