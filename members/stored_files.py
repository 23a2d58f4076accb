"""The registry's stored files: a dues sheet as the chair uploaded it and its copy with the problems marked.
Both carry full ID numbers and phones: the union's chair and staff with the organisation duty only, and
every download is an audited access."""

from unionhub.files import register_stored_file

from .models import DuesUpload, RegistryImport
from .permissions import can_download_dues_sheet
from .services.dues import log_sheet_download
from .services.ledger import log_ledger_download


def _can_read(user, upload: DuesUpload) -> bool:
    return DuesUpload.objects.visible_to(user).filter(pk=upload.pk).exists() and can_download_dues_sheet(
        user, upload
    )


register_stored_file(
    "members.dues_sheet",
    DuesUpload,
    "file",
    can_read=_can_read,
    on_read=lambda user, upload, remote_addr: log_sheet_download(
        by=user, upload=upload, sheet="file", remote_addr=remote_addr
    ),
    filename=lambda upload: upload.original_name,
)
register_stored_file(
    "members.dues_errors",
    DuesUpload,
    "errors_file",
    can_read=_can_read,
    on_read=lambda user, upload, remote_addr: log_sheet_download(
        by=user, upload=upload, sheet="errors_file", remote_addr=remote_addr
    ),
    filename=lambda upload: upload.original_name.rsplit(".", 1)[0] + "-errors.xlsx",
)


def _can_read_ledger(user, record: RegistryImport) -> bool:
    return RegistryImport.objects.visible_to(user).filter(pk=record.pk).exists()


# A federation's ledger and its annotated copy: staff with the organisation duty only (the import's own
# duty), every download an audited access.
register_stored_file(
    "members.registry_ledger",
    RegistryImport,
    "file",
    can_read=_can_read_ledger,
    on_read=lambda user, record, remote_addr: log_ledger_download(
        by=user, record=record, which="file", remote_addr=remote_addr
    ),
    filename=lambda record: record.original_name,
)
register_stored_file(
    "members.registry_errors",
    RegistryImport,
    "errors_file",
    can_read=_can_read_ledger,
    on_read=lambda user, record, remote_addr: log_ledger_download(
        by=user, record=record, which="errors_file", remote_addr=remote_addr
    ),
    filename=lambda record: record.original_name.rsplit(".", 1)[0] + "-errors.xlsx",
)
