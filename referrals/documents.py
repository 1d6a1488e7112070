"""What an uploaded case document may be: a real document, recognised by its first bytes."""

from django.conf import settings
from django.core.exceptions import ValidationError

# extension -> (content type, magic prefixes)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "rtf": ("application/rtf", (b"{\\rtf",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
ALLOWED_LABEL = "PDF, Word (.docx, .doc), OpenDocument (.odt), RTF, PNG of JPEG"


def sniff_document(uploaded_file) -> str:
    """The content type of an acceptable document; a Dutch ValidationError otherwise."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "bestand": f"Het bestand is te groot ({uploaded_file.size / 1_048_576:.1f} MB); "
                f"de grens is {limit / 1_048_576:.0f} MB."
            }
        )
    if uploaded_file.size == 0:
        raise ValidationError({"bestand": "Het bestand is leeg."})
    extension = uploaded_file.name.rsplit(".", 1)[-1].lower() if "." in uploaded_file.name else ""
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if extension not in ALLOWED or not head.startswith(ALLOWED[extension][1]):
        raise ValidationError(
            {"bestand": f"Dit bestand is geen document dat we kunnen bewaren. Toegestaan: {ALLOWED_LABEL}."}
        )
    return ALLOWED[extension][0]
