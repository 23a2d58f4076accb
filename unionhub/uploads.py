"""What an uploaded file really is: recognised by its first bytes, never by its name or by the type the
browser claims. The programmes that take uploads (hardship documents, complaint evidence, activity
photos) decide which kinds they accept and how large; this module only names the kind."""

# The kinds UnionHub accepts anywhere, with the bytes each starts with and the extension it is stored under.
SIGNATURES = {"pdf": b"%PDF-", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}


def sniff(upload) -> str | None:
    """``"pdf"``, ``"jpeg"``, ``"png"`` or None; the file is left at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for kind, signature in SIGNATURES.items() if head.startswith(signature)), None)
