"""Associations' stored files: an activity's photos, for whoever may open the activity."""

from unionhub.files import register_stored_file

from .models import ActivityPhoto
from .services.activities import visible_activities

register_stored_file(
    "associations.activity_photo",
    ActivityPhoto,
    "image",
    can_read=lambda user, photo: visible_activities(user).filter(pk=photo.activity_id).exists(),
)
