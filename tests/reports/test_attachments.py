"""What may be attached to a report: the content must be what the name says; a name without an
extension is taken by its content when only one kind starts that way."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from baqylau.reports.attachments import check_upload


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("act.pdf", b"%PDF-1.7 act", (".pdf", "application/pdf")),
        ("photo.JPG", b"\xff\xd8\xff\xe0 jpeg", (".jpg", "image/jpeg")),
        ("act", b"%PDF-1.4 no extension", (".pdf", "application/pdf")),
        ("plan.png", b"\x89PNG\r\n\x1a\n rest", (".png", "image/png")),
    ],
)
def test_accepted_kinds(name, content, kind):
    assert check_upload(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("act.pdf", b"<html><script>x</script>", "does not contain what its name says"),
        ("page.html", b"<html>", "only these file types"),
        ("act", b"<html>", "only these file types"),
        ("table", b"PK\x03\x04 docx or xlsx?", "only these file types"),  # a ZIP needs its extension
    ],
)
def test_refused_with_the_reason(name, content, says):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content))
    assert says in " ".join(refused.value.messages)
