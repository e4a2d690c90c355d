"""The content of case attachments: what is accepted, and how a photo is cleaned before it is stored.

A file is accepted by its content, never by its name: JPEG, PNG and WebP photos, PDF, DOCX and XLSX
documents, recognised by their first bytes (photos are also decoded with Pillow). Photos are
re-encoded without their metadata, so that the GPS position and the device data phones write into
them never reach the server's disk. Files written to storage inside `stored_files_removed_on_error`
are deleted again if the block fails (the transaction that named them rolled back).
`jiayuan.cases.services.attachments` is the service that uses these.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from jiayuan.cases.choices import AttachmentKind
from jiayuan.core.exceptions import DomainError

P = ParamSpec("P")
R = TypeVar("R")

MAX_NAME = 200


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str
    pillow_format: str = ""  # a photo: the format Pillow must find when it decodes it


JPEG = FileType(AttachmentKind.PHOTO, "image/jpeg", ".jpg", "JPEG")
PNG = FileType(AttachmentKind.PHOTO, "image/png", ".png", "PNG")
WEBP = FileType(AttachmentKind.PHOTO, "image/webp", ".webp", "WEBP")
PDF = FileType(AttachmentKind.DOCUMENT, "application/pdf", ".pdf")
DOCX = FileType(
    AttachmentKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = FileType(
    AttachmentKind.DOCUMENT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
)


def max_bytes() -> int:
    return int(getattr(settings, "JIAYUAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def max_per_case() -> int:
    return int(getattr(settings, "JIAYUAN_ATTACHMENTS_PER_CASE", 20))


# --- removing written files when the transaction rolls back --------------------------------------------

_written: ContextVar[list[str] | None] = ContextVar("jiayuan_attachments_written", default=None)


@contextmanager
def stored_files_removed_on_error() -> Iterator[list[str]]:
    """Files stored inside the block (by `store`) are deleted if the block raises.

    Put it outside the transaction: the files go once the rows that named them are rolled back.
    Nested blocks hand their files to the enclosing one, so the outermost decides.
    """
    names: list[str] = []
    token = _written.set(names)
    try:
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
    finally:
        _written.reset(token)
    outer = _written.get()
    if outer is not None:
        outer.extend(names)


def removes_files_on_error(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service (above `@transaction.atomic`): files it stored go if it fails."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with stored_files_removed_on_error():
            return func(*args, **kwargs)

    return wrapper


def remember_written(name: str) -> None:
    names = _written.get()
    if names is not None:
        names.append(name)


# --- what is accepted ---------------------------------------------------------------------------------


def sanitise_name(raw: str, extension: str) -> str:
    """The name as the user knows it, without folders, control characters or characters that
    trouble file systems; at most 200 characters, keeping its extension."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        name = f"file{extension}"
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = f"{stem[: MAX_NAME - len(suffix) - 1]}.{suffix}"
        else:
            name = name[:MAX_NAME]
    return name


def office_type(data: bytes) -> FileType | None:
    """DOCX or XLSX: a zip archive with the parts of a Word document or an Excel workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(data: bytes) -> FileType | None:
    """The type of a file by its first bytes (its magic number), or None if it is not accepted."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return office_type(data)
    return None


def clean_photo(data: bytes, kind: FileType) -> bytes:
    """The photo decoded, turned upright and encoded again without its metadata (EXIF: GPS, device).

    Raises ValueError if it does not decode as the format its first bytes claim.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != kind.pillow_format:
                    raise ValueError(probe.format)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                icc = image.info.get("icc_profile")
                upright.info = {}
                return encode(upright, kind, icc)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as error:
            raise ValueError(str(error)) from error


def encode(image: Any, kind: FileType, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if kind is JPEG:
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=90, optimize=True)
    elif kind is WEBP:
        options.update(quality=90)
    else:
        options.update(optimize=True)
    image.save(out, format=kind.pillow_format, **options)
    return out.getvalue()


@dataclass
class Checked:
    """One uploaded file, accepted: what will be stored and recorded."""

    kind: FileType
    name: str
    content: bytes


def read(upload: Any) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    return bytes(upload.read())


def check_file(upload: Any, *, photos_only: bool = False) -> Checked:
    """Accept one upload or refuse it with an error that names it."""
    raw_name = str(getattr(upload, "name", "") or "")
    shown = sanitise_name(raw_name, "")
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise too_big(shown, limit)
    data = read(upload)
    if len(data) > limit:
        raise too_big(shown, limit)
    if not data:
        raise DomainError(_("%(name)s is empty.") % {"name": shown}, field="files")
    kind = sniff(data)
    if kind is None or (photos_only and kind.kind != AttachmentKind.PHOTO):
        raise not_accepted(shown, photos_only=photos_only)
    if kind.pillow_format:
        try:
            data = clean_photo(data, kind)
        except ValueError as error:
            raise DomainError(
                _("%(name)s is not a readable image.") % {"name": shown}, field="files"
            ) from error
    return Checked(kind=kind, name=sanitise_name(raw_name, kind.extension), content=data)


def too_big(name: str, limit: int) -> DomainError:
    return DomainError(
        _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)},
        field="files",
        code="file_too_large",
    )


def not_accepted(name: str, *, photos_only: bool) -> DomainError:
    if photos_only:
        message = _("%(name)s is not a photo (JPEG, PNG or WebP).")
    else:
        message = _(
            "%(name)s is not an accepted file: photos (JPEG, PNG, WebP) or PDF, DOCX, XLSX documents."
        )
    return DomainError(message % {"name": name}, field="files", code="file_type_not_accepted")


def attachment_response(attachment: Any) -> FileResponse:
    """The stored file of a CaseAttachment: a photo shown inline, a document downloaded.

    The browser must not guess another type (nosniff), nor run anything the file holds (a sandbox
    CSP: an HTML or SVG smuggled in as a photo could not script the site even if it got through).
    """
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    photo = attachment.kind == AttachmentKind.PHOTO
    response = FileResponse(
        handle,
        as_attachment=not photo,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response
