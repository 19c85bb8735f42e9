"""Uploads over HTTP: a size limit enforced while the body streams in, and the intake
checks run on the uploaded file before anything is stored.

Django has no per-file size limit (DATA_UPLOAD_MAX_MEMORY_SIZE excludes files), so
SizeLimitUploadHandler, first in FILE_UPLOAD_HANDLERS, stops reading once a file
passes DCMODEL_MAX_UPLOAD_BYTES and marks the request; the view then answers 413.
The API (and any page) asks `upload_too_large(request)` after parsing the body.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat

from .services.intake import FileFacts, IntakeError, hash_file, inspect_file

# Multipart framing and the small form fields that come with a file.
MULTIPART_SLACK = 64 * 1024
TOO_LARGE_FLAG = "dcmodel_upload_too_large"
EXTENSIONS = (".xlsx", ".xlsm")


def max_upload_bytes() -> int:
    return settings.DCMODEL_MAX_UPLOAD_BYTES


def too_large_message() -> str:
    limit = max_upload_bytes()
    return f"The file is too large; the limit is {filesizeformat(limit)} ({limit:,} bytes)."


def body_too_large(meta: dict) -> bool:
    """The declared body is bigger than any file we accept plus its form: refuse unread."""
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_upload_bytes() + MULTIPART_SLACK


def upload_too_large(request) -> bool:
    """Whether SizeLimitUploadHandler stopped this request's upload (after parsing)."""
    return bool(getattr(request, TOO_LARGE_FLAG, False))


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload once the file passes the limit, without reading the rest.

    The declared Content-Length is checked first; a chunked body (no length) is
    counted as it arrives. The chunks it lets through go on to Django's memory or
    temporary-file handler, so nothing is held whole in memory.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        self.refuse = content_length is not None and body_too_large(
            {"CONTENT_LENGTH": content_length}
        )
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if getattr(self, "refuse", False):
            self._stop()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_upload_bytes():
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _stop(self):
        if self.request is not None:
            setattr(self.request, TOO_LARGE_FLAG, True)
        raise StopUpload(connection_reset=True)


@contextmanager
def upload_on_disk(upload: UploadedFile) -> Iterator[Path]:
    """The upload as a file path: Django's temporary file, or a copy of a small in-memory one."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        upload.seek(0)
        yield Path(handle.name)


def check_upload(path: Path, filename: str) -> FileFacts:
    """Magic bytes, zip sanity and content type (intake), then the file name's extension.

    The content is checked first: an old .xls or a password-protected file is named
    for what it is, whatever its extension. Raises IntakeError with the intake code,
    or `unsupported_type` for a sound workbook under another extension.
    """
    facts = inspect_file(path, hash_file(path))
    if not filename.lower().endswith(EXTENSIONS):
        raise IntakeError(
            f"{filename!r} is not named .xlsx or .xlsm; rename it and upload again.",
            "unsupported_type",
        )
    return facts
