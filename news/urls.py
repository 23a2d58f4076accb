"""Every page of the information work (信息宣传): the public news (list, article, photos, feeds), the
news desk, and the information-work assessment."""

from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.news_list, name="list"),
    path("news/<int:pk>/", views.article, name="article"),
    path("news/photos/<int:pk>/", views.photo, name="photo"),
    path("news/feed/rss/", feeds.rss_feed, name="feed_rss"),
    path("news/feed/atom/", feeds.atom_feed, name="feed_atom"),
    path("news/desk/", views.desk, name="desk"),
    path("news/desk/new/", views.item_create, name="item_create"),
    path("news/desk/<int:pk>/", views.item_detail, name="item_detail"),
    path("news/desk/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("news/desk/<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("news/desk/<int:pk>/return/", views.item_return, name="item_return"),
    path("news/desk/<int:pk>/publish/", views.item_publish, name="item_publish"),
    path("news/desk/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("news/desk/<int:pk>/channels/", views.channel_add, name="channel_add"),
    path("news/desk/channels/<int:pk>/remove/", views.channel_remove, name="channel_remove"),
    path("news/desk/photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
    path("news/assessment/", views.ranking, name="ranking"),
    path("news/assessment/<year:year>/rules/", views.rules_edit, name="rules_edit"),
    path("news/assessment/<year:year>/send/", views.send_to_honours, name="send_to_honours"),
]
