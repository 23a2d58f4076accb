"""Workers' homes' stored files: an inspection's photos, for the union's chair and staff (as the home's page)."""

from unionhub.files import register_stored_file

from .models import HomeInspection, InspectionPhoto
from .permissions import can_use_homes


def _can_read_photo(user, photo: InspectionPhoto) -> bool:
    return (
        can_use_homes(user)
        and HomeInspection.objects.visible_to(user).filter(pk=photo.inspection_id).exists()
    )


register_stored_file("homes.inspection_photo", InspectionPhoto, "image", can_read=_can_read_photo)
