"""Aid's stored files: a hardship file's documents (medical records…), an application's admission letter and
a school-place request's documents (a child's birth certificate): for whoever may open the file, the
application or the request (``visible_to``: the aid duty among staff, the union's chair). Every download of
a hardship or school-place document is recorded, as opening them on their pages is."""

from members.models import Member
from unionhub.files import register_stored_file

from .models import (
    Application,
    HardshipDocument,
    HardshipFile,
    MemberApplication,
    MemberApplicationPhoto,
    SchoolPlaceDocument,
    SchoolPlaceRequest,
)
from .permissions import can_use_aid
from .services import files as hardship
from .services import school_places


def _can_read_hardship_document(user, document: HardshipDocument) -> bool:
    return HardshipFile.objects.visible_to(user).filter(pk=document.file_id).exists()


def _log_hardship_document(user, document: HardshipDocument, remote_addr) -> None:
    hardship.log_file_access(by=user, file=document.file, remote_addr=remote_addr, document=document.kind)


def _can_read_letter(user, application: Application) -> bool:
    return can_use_aid(user) and Application.objects.visible_to(user).filter(pk=application.pk).exists()


def _can_read_school_document(user, document: SchoolPlaceDocument) -> bool:
    return SchoolPlaceRequest.objects.visible_to(user).filter(pk=document.request_id).exists()


def _log_school_document(user, document: SchoolPlaceDocument, remote_addr) -> None:
    school_places.log_access(
        by=user, request=document.request, remote_addr=remote_addr, document=document.kind
    )


def _can_read_member_photo(user, photo: MemberApplicationPhoto) -> bool:
    """The member who applied (their login, whatever union they are in now), the chair of the union they
    applied through, and aid staff."""
    if not user.is_authenticated:
        return False
    request = MemberApplication.objects.select_related("member").get(pk=photo.request_id)
    if Member.objects.filter(user=user, id_number=request.member.id_number).exists():
        return True
    return can_use_aid(user) and MemberApplication.objects.visible_to(user).filter(pk=request.pk).exists()


register_stored_file(
    "aid.member_application_photo", MemberApplicationPhoto, "upload", can_read=_can_read_member_photo
)
register_stored_file(
    "aid.hardship_document",
    HardshipDocument,
    "upload",
    can_read=_can_read_hardship_document,
    on_read=_log_hardship_document,
)
register_stored_file("aid.admission_letter", Application, "admission_letter", can_read=_can_read_letter)
register_stored_file(
    "aid.school_document",
    SchoolPlaceDocument,
    "upload",
    can_read=_can_read_school_document,
    on_read=_log_school_document,
)
