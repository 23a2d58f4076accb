"""Secondment's stored files: a completion certificate's PDF, for whoever may see the certificate (staff,
the cadre, their union's chair). The public verification page never offers the PDF: it prints the holder's
name unmasked, and the page shows only the masked name."""

from unionhub.files import register_stored_file

from .models import Certificate
from .services.certificates import ensure_rendered

register_stored_file(
    "secondment.certificate",
    Certificate,
    "pdf",
    can_read=lambda user, certificate: (
        Certificate.objects.visible_to(user).filter(pk=certificate.pk).exists()
    ),
    prepare=ensure_rendered,
    filename=lambda certificate: f"{certificate.number}.pdf",
)
