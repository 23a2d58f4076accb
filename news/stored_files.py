"""News photos: a published item's photos are public (anyone, signed in or not, through the item's own
public door ``news:photo``, since the core's delivery view asks for a login); an unpublished item's photos
are for those who see the item on the news desk (staff, the submitting union's chair)."""

from unionhub.files import register_stored_file

from .models import NewsItem, NewsPhoto


def can_read_photo(user, photo: NewsPhoto) -> bool:
    if NewsItem.objects.published().filter(pk=photo.item_id).exists():
        return True
    return NewsItem.objects.visible_to(user).filter(pk=photo.item_id).exists()


register_stored_file("news.photo", NewsPhoto, "image", can_read=can_read_photo)
