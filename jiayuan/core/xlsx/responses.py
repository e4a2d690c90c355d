"""Sending an xlsx file to the browser."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, *, file_name: str, ascii_name: str = "template.xlsx") -> HttpResponse:
    """A download of an xlsx file; the Chinese name is sent RFC 5987-encoded, with an ASCII fallback."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
    )
    response["Cache-Control"] = "no-store"
    return response
