"""What may be attached to a report: known document and image types, by their content, within a size."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    content_type: str
    magic: tuple[bytes, ...]


# The first bytes must match the extension: a renamed HTML or script file is refused.
KINDS = (
    Kind((".pdf",), "application/pdf", (b"%PDF-",)),
    Kind((".png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    Kind((".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",)),
    Kind(
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    Kind((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
)


def check_upload(upload) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; ValidationError saying why otherwise."""
    limit = settings.BAQYLAU_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s MB; attachments may be at most %(limit)s MB.")
            % {
                "name": upload.name,
                "size": round(upload.size / 1_048_576, 1),
                "limit": round(limit / 1_048_576),
            }
        )
    name = upload.name.lower()
    kind = next((k for k in KINDS if name.endswith(k.extensions)), None)
    allowed = ", ".join(e for k in KINDS for e in k.extensions)
    if kind is None and "." not in name.rsplit("/", 1)[-1]:
        # A name without an extension (``curl -F file=@act``): the content alone says what it is, when
        # exactly one kind starts that way (a ZIP could be DOCX or XLSX: those need their extension).
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        matching = [k for k in KINDS if any(head.startswith(m) for m in k.magic)]
        if len(matching) == 1:
            return matching[0].extensions[0], matching[0].content_type
    if kind is None:
        raise ValidationError(
            _("%(name)s: only these file types may be attached: %(allowed)s.")
            % {"name": upload.name, "allowed": allowed}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in kind.magic):
        raise ValidationError(
            _("%(name)s does not contain what its name says (%(ext)s).")
            % {"name": upload.name, "ext": name.rsplit(".", 1)[-1]}
        )
    return next(e for e in kind.extensions if name.endswith(e)), kind.content_type
