from django.urls import path

from .views import cards, counter, savings

app_name = "perks"

urlpatterns = [
    path("check/", counter.counter_check, name="counter_check"),
    path("check/redeem/", counter.counter_redeem, name="counter_redeem"),
    path("check/discount/", counter.counter_discount, name="counter_discount"),
    path("merchants/", counter.merchant_list, name="merchant_list"),
    path("merchants/new/", counter.merchant_form, name="merchant_create"),
    path("merchants/<int:pk>/", counter.merchant_detail, name="merchant_detail"),
    path("merchants/<int:pk>/edit/", counter.merchant_form, name="merchant_edit"),
    path("merchants/<int:pk>/branches/add/", counter.merchant_branch_add, name="merchant_branch_add"),
    path(
        "merchants/<int:pk>/branches/<int:branch_pk>/remove/",
        counter.merchant_branch_remove,
        name="merchant_branch_remove",
    ),
    path("merchants/<int:pk>/reveal-phone/", counter.merchant_reveal_phone, name="merchant_reveal_phone"),
    path(
        "merchants/<int:pk>/branches/<int:branch_pk>/reveal-phone/",
        counter.merchant_reveal_phone,
        name="branch_reveal_phone",
    ),
    path("merchants/<int:pk>/staff/add/", counter.merchant_staff_add, name="merchant_staff_add"),
    path(
        "merchants/<int:pk>/staff/<int:user_pk>/remove/",
        counter.merchant_staff_remove,
        name="merchant_staff_remove",
    ),
    path("cards/", cards.card_list, name="card_list"),
    path("cards/issue/", cards.card_issue, name="card_issue"),
    path("cards/batches/", cards.batch_list, name="batch_list"),
    path("cards/batches/<int:pk>/sheet/", cards.batch_sheet, name="batch_sheet"),
    path("cards/<int:pk>/", cards.card_detail, name="card_detail"),
    path("cards/<int:pk>/lost/", cards.card_report_lost, name="card_report_lost"),
    path("cards/<int:pk>/replace/", cards.card_replace, name="card_replace"),
    path("cards/<int:pk>/cancel/", cards.card_cancel, name="card_cancel"),
    path("my-card/", cards.my_card, name="my_card"),
    path("savings/", savings.savings_page, name="savings"),
]
