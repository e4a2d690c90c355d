"""Case pages: the ledger (问题整改台账) with its counts and export, one case with its timeline and the
transitions the actor may make, hotline entry, and the ledger import. Writes go through services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from jiayuan.cases import services, workflow
from jiayuan.cases.attachment_files import attachment_response
from jiayuan.cases.campaign_hooks import campaign_hooks
from jiayuan.cases.choices import AttachmentKind
from jiayuan.cases.deadlines import is_due_soon
from jiayuan.cases.filters import CaseFilter
from jiayuan.cases.forms import (
    TRANSITION_FORMS,
    AttachForm,
    HotlineCaseForm,
    LedgerSortForm,
    fit_ledger_filter_form,
)
from jiayuan.cases.ledger_xlsx import CASE_LEDGER, ledger_export, ledger_template
from jiayuan.cases.models import Case, CaseAttachment
from jiayuan.cases.selectors import (
    case_detail,
    filed_alongside,
    filed_although,
    ledger,
    ledger_counts,
    ledger_lines,
    visible_estates,
)
from jiayuan.cases.timeline import timeline
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.core.forms import reveal_with_purpose
from jiayuan.core.masking import mask_phone
from jiayuan.core.pagination import InvalidCursor, KeysetPage, keyset_page
from jiayuan.core.views import PAGE_SIZE, ActorMixin, PartialTemplateView, View
from jiayuan.core.xlsx import TemplateDownload, xlsx_response
from jiayuan.imports.views import BackgroundImportPage
from jiayuan.policy.loader import active_preset

# The same words as the service's conflict: the page says it before the state check can (a case that
# has moved on would otherwise be refused as "not allowed" rather than as changed meanwhile).
STALE_VERSION = gettext_lazy("Someone else changed this case; reload it and try again.")


def filtered_ledger(request: HttpRequest, actor: Actor, *, estate_ids: list[int] | None = None) -> CaseFilter:
    """The actor's ledger narrowed by the query string (`?region=` and `?estate=` give the views per
    estate, community, subdistrict, district or city). `cursor`, `page` and `sort` are the pager's."""
    return CaseFilter(filter_data(request) or None, queryset=ledger(actor=actor, estate_ids=estate_ids))


CURSOR = "cursor"
SORT = "sort"
PAGER_PARAMETERS = (CURSOR, "page")


def filter_data(request: HttpRequest) -> QueryDict:
    """The query string less the pager's parameters and the order: what the filter reads."""
    data = request.GET.copy()
    for name in (*PAGER_PARAMETERS, SORT):
        data.pop(name, None)
    return data


def filtered_cases(filterset: CaseFilter) -> QuerySet[Case]:
    """The filter's cases, or none while a value of the filter is wrong (the form names it):
    django-filter would drop the wrong value and list more than the clerk asked for."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def ledger_page(request: HttpRequest, filterset: CaseFilter) -> tuple[KeysetPage, LedgerSortForm]:
    """The page of the filtered ledger at `?cursor=` in the order `?sort=` asks for (one query).

    A cursor that is malformed or was taken in another order gives the first page, as a wrong order
    gives the default one (with the form's error): a shared or edited link never fails.
    """
    sort_form = LedgerSortForm(request.GET)
    order = sort_form.order()
    cases = ledger_lines(filtered_cases(filterset))
    try:
        page = keyset_page(cases, request.GET.get(CURSOR), size=PAGE_SIZE, order=order)
    except InvalidCursor:
        page = keyset_page(cases, None, size=PAGE_SIZE, order=order)
    return page, sort_form


def ledger_context(request: HttpRequest, filterset: CaseFilter, *, actor: Actor) -> dict[str, Any]:
    """What the ledger template needs besides the filter form: the page, its counts, the query kept
    in the pager's and the export's links, and whether any filter is set."""
    page, sort_form = ledger_page(request, filterset)
    counts = ledger_counts(actor=actor, qs=filtered_cases(filterset))
    page.total = counts["total"]  # the counts' total: no COUNT(*) of its own
    decorate(page)
    query = request.GET.copy()
    for name in PAGER_PARAMETERS:
        query.pop(name, None)
    return {
        "page_obj": page,
        "counts": counts,
        "sort_form": sort_form,
        "query": query.urlencode(),
        "filtered": any(value for name, values in filter_data(request).lists() for value in values),
    }


def decorate(cases: Any) -> None:
    """Category names from the preset and the due-soon flag on each row of a page (no query)."""
    preset = active_preset()
    now = timezone.now()
    for case in cases:
        category = preset.categories.get(case.category)
        case.category_name = category.name if category else case.category
        case.is_due_soon = not case.is_overdue and is_due_soon(case, now, preset)


class LedgerView(ActorMixin, PartialTemplateView):
    partial_name = "results"
    template_name = "cases/ledger.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        # The estates in reach, once: the ledger's scope (`estate_id IN ...`) and the estate filter.
        estates = visible_estates(actor)
        filterset = filtered_ledger(self.request, actor, estate_ids=[pk for pk, _name in estates])
        context.update(ledger_context(self.request, filterset, actor=actor))
        context.update(
            {
                "form": fit_ledger_filter_form(filterset.form, actor=actor, estates=estates),
                "can_file": actor.has(permissions.CASES_ACCEPT),
                "ledger_url": reverse("cases:ledger"),
                "export_url": reverse("cases:export"),
            }
        )
        return context


class LedgerExportView(ActorMixin, View):
    """The filtered ledger as xlsx in the page's order, read once through the ledger selector."""

    def get(self, request: HttpRequest) -> HttpResponse:
        sort_form = LedgerSortForm(request.GET)
        filterset = filtered_ledger(request, self.actor)
        if not sort_form.is_valid() or (filterset.is_bound and not filterset.is_valid()):
            errors = [*filterset.form.errors.items(), *sort_form.errors.items()]
            text = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in errors)
            return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
        cases = filterset.qs.order_by(*sort_form.order().order_by())
        now = timezone.now()
        content = ledger_export(cases=cases.iterator(chunk_size=2000), now=now)
        stamp = timezone.localdate(now).strftime("%Y%m%d")
        return xlsx_response(
            content, file_name=f"问题整改台账-{stamp}.xlsx", ascii_name=f"ledger-{stamp}.xlsx"
        )


def available_transitions(actor: Actor, case: Case) -> list[str]:
    """The transitions this actor may make on this case now (role, scope, state, handler)."""
    names = []
    for name in workflow.transitions_from(case.state):
        if not actor.has(workflow.TRANSITIONS[name].permission):
            continue
        try:
            services.check(actor, case, name)
        except (DomainError, Http404):
            continue
        names.append(name)
    return names


def responsible_phone_for(actor: Actor, case: Case) -> str:
    """The responsible person's mobile in full for the body handling the case and the staff who
    dispatch cases there; masked for everyone else (it is a person's own number)."""
    if not case.responsible_phone:
        return ""
    if actor.scope_for(permissions.CASES_DISPATCH).covers_path(case.estate.community.path):
        return case.responsible_phone
    try:
        services.require_handler(actor, case)
    except NotPermitted:
        return mask_phone(case.responsible_phone)
    return case.responsible_phone


class CaseDetailView(ActorMixin, TemplateView):
    template_name = "cases/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actor = self.actor
        case = case_detail(actor=actor, pk=self.kwargs["pk"])
        decorate([case])
        forms = [
            {
                "name": name,
                "label": services.ACTION_LABELS[name],
                "form": TRANSITION_FORMS[name](
                    initial={"version": case.version}, actor=actor, auto_id=f"id_{name}_%s"
                ),
            }
            for name in available_transitions(actor, case)
        ]
        events = case.events.all()
        context.update(
            {"case": case, "events": events, "entries": timeline(events, case), "transitions": forms}
        )
        context["related"] = related_cases(case)
        context.update(campaign_hooks().case_page(actor, case))
        context["responsible_phone"] = responsible_phone_for(actor, case)
        context.update(attachment_context(actor, case))
        context["can_reveal_complainant"] = can_reveal_complainant(actor, case)
        return context


def related_cases(case: Case) -> dict[str, list[Case]]:
    """The cases linked to this one, both ways: the one it duplicates and those duplicating it, and
    the open ones it was filed alongside on the same problem and those filed alongside it."""
    return {
        "duplicate_of": [case.duplicate_of] if case.duplicate_of else [],
        "duplicates": list(case.duplicates.all()),
        "filed_although": filed_although(case),
        "filed_alongside": filed_alongside(case),
    }


def can_reveal_complainant(actor: Actor, case: Case) -> bool:
    """Whether to offer the reveal: the permission, held where the case's estate lies."""
    permission = permissions.VIEW_PERSONAL_DATA
    if not (actor.has(permission) and (case.complainant_phone or case.complainant_name)):
        return False
    return actor.can_see(case, permission=permission)


@method_decorator(never_cache, name="dispatch")
class ComplainantRevealView(ActorMixin, View):
    """POST a purpose, see the complainant's name and phone once; the service checks and audits it."""

    required_permission = permissions.VIEW_PERSONAL_DATA
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = self.actor
        case = get_object_or_404(ledger(actor=actor), pk=pk)
        revealed, error = reveal_with_purpose(
            request.POST,
            lambda purpose: services.case_reveal_complainant(actor=actor, case=case, purpose=purpose),
        )
        htmx = getattr(request, "htmx", None)
        if revealed is None and not htmx:
            messages.error(request, str(error))
            return redirect("cases:detail", pk=case.pk)
        context = {"case": case, "revealed": revealed, "error": error, "can_reveal_complainant": True}
        template = "cases/_complainant.html" if htmx else "cases/complainant_reveal.html"
        return render(request, template, context)


def run_transition(actor: Actor, case: Case, name: str, data: dict[str, Any]) -> Case:
    """Call the service of transition `name` with the form's cleaned data."""
    version = data.pop("version")
    if name == "dispatch":
        data["handler"] = data["handler"] or None
    if name == "close_out":
        number = data.pop("duplicate_of", "").strip()
        data["duplicate_of"] = None
        if number:
            data["duplicate_of"] = ledger(actor=actor).filter(number=number).first()
            if data["duplicate_of"] is None:
                raise DomainError(_("No case %(number)s.") % {"number": number}, field="duplicate_of")
    service: Callable[..., Case] = getattr(services, f"case_{name}")
    if name == "rectify":
        service = services.case_rectify_with_evidence
        data["files"] = data.pop("attachments", [])
    return service(actor=actor, case=case, version=version, **data)


class CaseTransitionView(ActorMixin, View):
    """POST one transition with the version the actor saw; refusals and conflicts become messages."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        if name not in TRANSITION_FORMS:
            raise Http404
        actor = self.actor
        case = get_object_or_404(ledger(actor=actor), pk=pk)
        form = TRANSITION_FORMS[name](request.POST, request.FILES, actor=actor)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = " ".join(str(error) for error in errors)
                labelled = _("%(label)s: %(text)s") % {"label": label, "text": text}
                messages.error(request, labelled if label else text)
            return redirect("cases:detail", pk=case.pk)
        if form.cleaned_data["version"] != case.version:
            messages.error(request, str(STALE_VERSION))
            return redirect("cases:detail", pk=case.pk)
        try:
            run_transition(actor, case, name, dict(form.cleaned_data))
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except DomainError as refused:
            messages.error(request, str(refused.message))
        else:
            messages.success(request, _("%(action)s: done.") % {"action": services.ACTION_LABELS[name]})
        return redirect("cases:detail", pk=case.pk)


class HotlineCaseView(ActorMixin, View):
    """Staff enter a case taken on the phone. A suspected duplicate shows the open case and asks."""

    required_permission = permissions.CASES_ACCEPT

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(HotlineCaseForm(actor=self.actor))

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = self.actor
        form = HotlineCaseForm(request.POST, request.FILES, actor=actor)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            case = services.case_file_with_attachments(
                files=data["attachments"],
                actor=actor,
                estate=data["estate"],
                category=data["category"],
                description=data["description"],
                source=data["source"],
                urgency=data["urgency"],
                complainant_name=data["complainant_name"],
                complainant_phone=data["complainant_phone"],
                confirm_not_duplicate=data["confirm_not_duplicate"],
                campaign=data["campaign"],
            )
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except services.DuplicateSuspected as duplicate:
            return self.render(form, duplicate=duplicate)
        except DomainError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused.message))
            return self.render(form)
        messages.success(request, _("Case %(number)s filed.") % {"number": case.number})
        return redirect("cases:detail", pk=case.pk)

    def render(
        self, form: HotlineCaseForm, *, duplicate: services.DuplicateSuspected | None = None
    ) -> HttpResponse:
        context: dict[str, Any] = {"form": form, "duplicate": duplicate}
        if duplicate is not None:
            # Only what the actor sees is linked: the open case may lie outside their reach.
            visible: QuerySet[Case] = ledger(actor=self.actor).filter(pk=duplicate.case.pk)
            context["duplicate_case"] = visible.first()
            context["duplicate_message"] = duplicate.message
        return render(self.request, "cases/new.html", context)


class LedgerImportView(BackgroundImportPage):
    required_permission = permissions.CASES_ACCEPT
    template_name = "cases/import.html"
    spec = CASE_LEDGER
    template_url_name = "cases:import_template"
    success_url_name = "cases:ledger"
    import_kind_name = "cases"


class LedgerTemplateView(TemplateDownload):
    required_permission = permissions.CASES_ACCEPT
    file_name = "问题整改台账模板.xlsx"
    ascii_name = "case-ledger-template.xlsx"

    def build(self) -> bytes:
        return ledger_template(actor=self.actor)


# --- attachments ----------------------------------------------------------------------------------


def attachment_context(actor: Actor, case: Case) -> dict[str, Any]:
    """The case's photos and documents (one query) and the form to add more, if the actor may."""
    attachments = list(
        CaseAttachment.objects.visible_to(actor).filter(case=case).order_by("uploaded_at", "id")
    )
    return {
        "photos": [a for a in attachments if a.kind == AttachmentKind.PHOTO],
        "documents": [a for a in attachments if a.kind == AttachmentKind.DOCUMENT],
        "attach_form": AttachForm(auto_id="id_attach_%s") if services.can_attach(actor, case) else None,
    }


class CaseAttachView(ActorMixin, View):
    """POST photos and documents to a case: all are stored, or none (the error names the bad file)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = self.actor
        case = get_object_or_404(ledger(actor=actor), pk=pk)
        form = AttachForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(str(error) for error in errors))
            return redirect("cases:detail", pk=case.pk)
        try:
            stored = services.case_attach(actor=actor, case=case, files=form.cleaned_data["attachments"])
        except NotPermitted as refused:
            raise PermissionDenied from refused
        except DomainError as refused:
            messages.error(request, str(refused.message))
        else:
            count = len(stored)
            messages.success(
                request,
                ngettext("%(count)d file attached.", "%(count)d files attached.", count) % {"count": count},
            )
        return redirect("cases:detail", pk=case.pk)


class CaseAttachmentView(ActorMixin, View):
    """One attachment of a case the actor sees: a photo inline, a document as a download."""

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachments = CaseAttachment.objects.visible_to(self.actor).filter(case_id=pk)
        return attachment_response(get_object_or_404(attachments, pk=attachment_pk))
