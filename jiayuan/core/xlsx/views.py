"""The base views of every import page: `ImportPage` (upload, then a redirect with a message or the
table of errors) and `TemplateDownload` (the empty ledger, its Chinese file name RFC 5987-encoded).
A subclass names its spec, template and service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from jiayuan.core.exceptions import DomainError, ImportRejected, NotPermitted
from jiayuan.core.views import ActorMixin, View
from jiayuan.core.xlsx.reading import ImportResult, SheetSpec
from jiayuan.core.xlsx.responses import XLSX_CONTENT_TYPE, xlsx_response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


class ImportPage(ActorMixin, View):
    """An upload page: GET shows the form, POST imports the file or shows every problem, row by row.

    Subclasses name the template, the spec (its columns are listed on the page), the page to go to
    after success, and implement `run` (the import service) and `success_message`; `queue` may send a
    large file to the worker instead.
    """

    template_name: str
    spec: SheetSpec
    template_url_name: str
    success_url_name: str
    max_errors_shown = 500

    def run(self, file: Any) -> ImportResult:
        raise NotImplementedError

    def queue(self, file: Any) -> HttpResponse | None:
        """A file too large to import within the request is handed to the worker here: the response
        to send instead (a redirect to the job's page), or None to import it now. Pages that run in
        the background (jiayuan.imports) override it."""
        return None

    def success_message(self, result: ImportResult) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        try:
            queued = self.queue(form.cleaned_data["file"])
            if queued is not None:
                return queued
            result = self.run(form.cleaned_data["file"])
        except NotPermitted as error:
            raise PermissionDenied from error
        except ImportRejected as rejected:
            return self.render(form, rejected=rejected)
        except DomainError as error:
            form.add_error("file", str(error.message))
            return self.render(form)
        messages.success(request, self.success_message(result))
        try:
            return redirect(reverse(self.success_url_name))
        except NoReverseMatch:
            return redirect("/")

    def render(self, form: UploadForm, *, rejected: ImportRejected | None = None) -> HttpResponse:
        errors = rejected.errors if rejected else []
        context = {
            "form": form,
            "spec": self.spec,
            "template_url": reverse(self.template_url_name),
            "rejected": rejected,
            "errors": errors[: self.max_errors_shown],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - self.max_errors_shown),
        }
        return render(self.request, self.template_name, context)


class TemplateDownload(ActorMixin, View):
    """Downloads the empty ledger; subclasses implement `build` and name the file."""

    file_name: str
    ascii_name: str

    def build(self) -> bytes:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(self.build(), file_name=self.file_name, ascii_name=self.ascii_name)
