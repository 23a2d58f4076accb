from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .contributions import url_includes
from .views import accounts, calendar, dashboard, health, notices, notify

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("notices/", notices.notices, name="notices"),
    path("notices/preferences/", notify.preferences, name="notice_preferences"),
    path("notices/preferences/test/", notify.send_test, name="notice_test"),
    path("notices/deliveries/", notify.deliveries, name="notice_deliveries"),
    # The SMS providers' delivery receipts (状态报告), pushed to a secret URL (NOTIFY_RECEIPT_TOKEN).
    path("notices/receipts/aliyun/<str:token>/", notify.receipt_aliyun, name="notify_receipt_aliyun"),
    path("notices/receipts/tencent/<str:token>/", notify.receipt_tencent, name="notify_receipt_tencent"),
    path("calendar/", calendar.calendar, name="calendar_current"),
    path("calendar/<year:year>/", calendar.calendar, name="calendar"),
    path("calendar/days/new/", calendar.calendar_day_edit, name="calendar_day_create"),
    path("calendar/days/<int:pk>/edit/", calendar.calendar_day_edit, name="calendar_day_edit"),
    path("calendar/days/<int:pk>/delete/", calendar.calendar_day_delete, name="calendar_day_delete"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # A one-time link to set one's password (first sign-in, handover, forgotten password).
    path("accounts/welcome/<str:token>/", accounts.signin_link, name="signin_link"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("unionhub.views.reports")),
    path("rules/", include("unionhub.views.rules")),
    # Stored files, each behind its kind's access check (unionhub.files). Nothing under MEDIA_ROOT is served
    # directly, with DEBUG on or off: /media/… answers 404.
    path("files/", include("unionhub.views.files")),
    # Every app's pages, where its AppConfig says (``url_includes``): the core names no programme.
    *(path(prefix, include(urlconf)) for prefix, urlconf in url_includes()),
]
