from django.urls import path

from . import views
from .views import accounts, areas, dues, join, member_area, payment, registry_import, transfers

app_name = "members"

urlpatterns = [
    path("unions/", views.union_list, name="union_list"),
    path("unions/new/", views.registry_form, {"kind": "union"}, name="union_create"),
    path("unions/<int:pk>/", views.union_detail, name="union_detail"),
    path("unions/<int:pk>/edit/", views.registry_form, {"kind": "union"}, name="union_edit"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.registry_form, {"kind": "enterprise"}, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.registry_form, {"kind": "enterprise"}, name="enterprise_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/confirm-phone/", member_area.confirm_phone, name="member_confirm_phone"),
    path("members/export.xlsx", views.member_export, {"fmt": "xlsx"}, name="member_export_xlsx"),
    path("members/export.csv", views.member_export, {"fmt": "csv"}, name="member_export_csv"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/status/", views.member_change_status, name="member_change_status"),
    path("members/<int:pk>/correct-id/", views.member_correct_id, name="member_correct_id"),
    path("members/<int:pk>/reveal-id/", views.member_reveal_id, name="member_reveal_id"),
    path("unions/<int:pk>/dues/", dues.union_dues, name="union_dues"),
    path("unions/<int:pk>/dues/upload/", dues.dues_upload_create, name="dues_upload_create"),
    path("unions/<int:pk>/dues/remittances/", dues.remittance_create, name="remittance_create"),
    path("dues/", dues.dues_overview, name="dues_overview"),
    path("ledger-imports/", registry_import.registry_import_create, name="registry_import_create"),
    path(
        "ledger-imports/template.xlsx",
        registry_import.registry_import_template,
        name="registry_import_template",
    ),
    path("ledger-imports/<int:pk>/", registry_import.registry_import_detail, name="registry_import"),
    path(
        "ledger-imports/<int:pk>/progress/",
        registry_import.registry_import_progress,
        name="registry_import_progress",
    ),
    path(
        "ledger-imports/<int:pk>/commit/",
        registry_import.registry_import_commit,
        name="registry_import_commit",
    ),
    path(
        "ledger-imports/<int:pk>/errors.xlsx",
        registry_import.registry_import_errors,
        name="registry_import_errors",
    ),
    path("dues/arrears/", dues.arrears_list, name="arrears"),
    path("dues/periods/<int:pk>/credit/", dues.credit_settle, name="credit_settle"),
    path("dues/payment-instructions/", payment.payment_instructions_edit, name="payment_instructions"),
    path("dues/uploads/<int:pk>/", dues.dues_upload_detail, name="dues_upload"),
    path("dues/uploads/<int:pk>/progress/", dues.dues_upload_progress, name="dues_upload_progress"),
    path("dues/uploads/<int:pk>/commit/", dues.dues_upload_commit, name="dues_upload_commit"),
    path("dues/uploads/<int:pk>/errors.xlsx", dues.dues_upload_errors, name="dues_upload_errors"),
    # Accounts of the people who sign in and are not staff, their sign-in letters, the handover (换届).
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/letters/", accounts.signin_letters, name="signin_letters"),
    path("accounts/<int:pk>/withdraw-links/", accounts.account_withdraw_links, name="account_withdraw_links"),
    path("unions/<int:pk>/handover/", accounts.union_handover, name="union_handover"),
    *areas.urlpatterns,
    *transfers.urlpatterns,
    *join.urlpatterns,
]
