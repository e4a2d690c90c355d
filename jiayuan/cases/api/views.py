"""Cases over the API: the ledger, one case with its timeline, filing, and one action per transition.

Each transition action takes the `version` of the case the client saw and calls its service
(`jiayuan.cases.services`), which checks the role, the scope and the workflow table: a wrong role
is 403, a case out of scope 404, a transition the current state does not allow 400
(`transition_not_allowed`), a stale version 409 (`stale_version`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiayuan.cases import services
from jiayuan.cases.api.attachments import CaseAttachmentsMixin
from jiayuan.cases.api.serializers import (
    CaseAcceptInputSerializer,
    CaseCloseOutInputSerializer,
    CaseCountsOutputSerializer,
    CaseCreateInputSerializer,
    CaseDetailOutputSerializer,
    CaseDispatchInputSerializer,
    CaseModerateInputSerializer,
    CaseOutputSerializer,
    CaseRateInputSerializer,
    CaseReasonInputSerializer,
    CaseRectifyInputSerializer,
    CaseReferInputSerializer,
    CaseStartInputSerializer,
    CaseVerifyInputSerializer,
    ComplainantOutputSerializer,
    ComplainantRevealInputSerializer,
    visible_campaign_names,
)
from jiayuan.cases.filters import CaseFilter
from jiayuan.cases.models import Case, CaseEvent, visible_estate_ids
from jiayuan.cases.selectors import ledger, ledger_counts, ledger_lines
from jiayuan.core import permissions
from jiayuan.core.api import ScopedViewSet, error_responses
from jiayuan.core.exceptions import Conflict
from jiayuan.core.pagination import KeysetPagination

TRANSITION_ERRORS = error_responses(400, 401, 403, 404, 409)


def transition_schema(request: type[serializers.Serializer], description: str) -> Any:
    return extend_schema(
        request=request,
        responses={200: CaseDetailOutputSerializer, **TRANSITION_ERRORS},
        description=description
        + " Send the `version` you saw: if the case changed since, 409 `stale_version`. "
        "Not allowed from the current state: 400 `transition_not_allowed`.",
    )


@extend_schema_view(
    list=extend_schema(
        responses={200: CaseOutputSerializer(many=True), **error_responses(400, 401, 404)},
        description="The cases you see, newest first, 20 a page (`page_size` up to 200). Page with the "
        "`next` and `previous` links (a `cursor`); every page costs the same. There is no `count`: "
        "`GET counts/` with the same filters gives the totals. A malformed cursor is a 404.",
    ),
    retrieve=extend_schema(responses={200: CaseDetailOutputSerializer, **error_responses(401, 404)}),
    counts=extend_schema(
        filters=True,
        responses={200: CaseCountsOutputSerializer, **error_responses(400, 401)},
        description="Counts for the top of the ledger (per state, overdue, poor ratings, fixed), "
        "of the cases the list would show with the same filters.",
    ),
    create=extend_schema(
        request=CaseCreateInputSerializer,
        responses={201: CaseDetailOutputSerializer, **error_responses(400, 401, 403, 409)},
        description="File a case. If a case on the same problem (estate and category) is still open, "
        "the filing is refused with 409 `duplicate_suspected`, naming that case (`id`, `case`) in "
        "`details`; send `confirm_not_duplicate: true` to file it anyway.",
    ),
    accept=transition_schema(CaseAcceptInputSerializer, "Accept a submitted case (受理)."),
    reject=transition_schema(CaseReasonInputSerializer, "Refuse a submitted case (不予受理), with a reason."),
    dispatch_case=transition_schema(
        CaseDispatchInputSerializer,
        "Send the case to the body the responsibility list names (派单); `handler` overrides it, "
        "with a reason.",
    ),
    refer=transition_schema(CaseReferInputSerializer, "Hand the case to a department (移交), with a reason."),
    start=transition_schema(CaseStartInputSerializer, "The responsible body takes the case in hand."),
    rectify=transition_schema(
        CaseRectifyInputSerializer, "The responsible body reports the rectification and its evidence."
    ),
    verify=transition_schema(CaseVerifyInputSerializer, "Find the rectification done (核验)."),
    send_back=transition_schema(
        CaseReasonInputSerializer, "Verification failed: back to the responsible body (退回), with a reason."
    ),
    close_out=transition_schema(
        CaseCloseOutInputSerializer,
        "Close the case out (销号) with how it ended: `fixed` only after verification.",
    ),
    reopen=transition_schema(
        CaseReasonInputSerializer, "The complainant reopens a closed case within the preset's window."
    ),
    rate=transition_schema(CaseRateInputSerializer, "The complainant rates a closed case, 1 to 5, once."),
    moderate=transition_schema(
        CaseModerateInputSerializer, "Hide insulting text from public views; the original is kept."
    ),
    reveal_complainant=extend_schema(
        request=ComplainantRevealInputSerializer,
        responses={200: ComplainantOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="The complainant's name and phone unmasked, for a role that may see personal data "
        "where the case lies (the community officer). The read and its `purpose` are an audit event.",
    ),
)
class CaseViewSet(CaseAttachmentsMixin, ScopedViewSet):
    """The problem ledger (问题整改台账): the cases at the estates the caller sees, newest first."""

    filterset_class = CaseFilter
    # A long list: by cursor (`next`, `previous`), no count (GET counts/ has the totals).
    pagination_class = KeysetPagination
    output_serializer = CaseDetailOutputSerializer
    required_permissions = {
        "create": permissions.CASES_FILE,
        "accept": permissions.CASES_ACCEPT,
        "reject": permissions.CASES_ACCEPT,
        "dispatch_case": permissions.CASES_DISPATCH,
        "refer": permissions.CASES_REFER,
        "start": permissions.CASES_HANDLE,
        "rectify": permissions.CASES_HANDLE,
        "verify": permissions.CASES_VERIFY,
        "send_back": permissions.CASES_VERIFY,
        "close_out": permissions.CASES_CLOSE_OUT,
        "reopen": permissions.CASES_RATE,
        "rate": permissions.CASES_RATE,
        "moderate": permissions.CASES_MODERATE,
        "reveal_complainant": permissions.VIEW_PERSONAL_DATA,
    }

    def get_queryset(self) -> QuerySet[Case]:
        if self.action in ("list", "counts"):
            # The estates in reach resolved once: the scope as `estate_id IN (...)` (models.CaseQuerySet).
            return ledger_lines(ledger(actor=self.actor, estate_ids=visible_estate_ids(self.actor)))
        cases = ledger(actor=self.actor)
        timeline = CaseEvent.objects.order_by("at", "id")
        return cases.prefetch_related(Prefetch("events", queryset=timeline))

    def list(self, request: Request) -> Response:
        return self.paginated(
            CaseOutputSerializer, lambda rows: {"campaigns": visible_campaign_names(request, rows)}
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(
            CaseDetailOutputSerializer(self.get_object(), context=self.get_serializer_context()).data
        )

    @action(detail=False, methods=["get"])
    def counts(self, request: Request) -> Response:
        counts = ledger_counts(actor=self.actor, qs=self.filter_queryset(self.get_queryset()))
        return Response(CaseCountsOutputSerializer(counts).data)

    def create(self, request: Request) -> Response:
        data = self.validated(CaseCreateInputSerializer)
        case = services.case_file(actor=self.actor, **data)
        # The service returns the case with the ledger's annotations and its timeline: answered as
        # it is, not read back through the selector (the filing's query budget, test_filing_queries).
        context = self.get_serializer_context()
        return Response(
            CaseDetailOutputSerializer(case, context=context).data, status=status.HTTP_201_CREATED
        )

    def transition(
        self, input_serializer: type[serializers.Serializer], service: Callable[..., Case]
    ) -> Response:
        """Validate the body, refuse a stale version, call the service, answer with the case."""
        case = self.get_object()
        data = self.validated(input_serializer)
        # The service's conditional update refuses a stale version too; checking here first gives the
        # client the conflict rather than a state error when the case has moved on since they saw it.
        if data["version"] != case.version:
            raise Conflict(
                _("Someone else changed this case; reload it and try again."), code="stale_version"
            )
        service(actor=self.actor, case=case, **data)
        return self.output(case)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self.transition(CaseAcceptInputSerializer, services.case_accept)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self.transition(CaseReasonInputSerializer, services.case_reject)

    # Not `dispatch`: that name is the view's own entry point.
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_case(self, request: Request, pk: str) -> Response:
        return self.transition(CaseDispatchInputSerializer, services.case_dispatch)

    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str) -> Response:
        return self.transition(CaseReferInputSerializer, services.case_refer)

    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self.transition(CaseStartInputSerializer, services.case_start)

    @action(detail=True, methods=["post"])
    def rectify(self, request: Request, pk: str) -> Response:
        return self.transition(CaseRectifyInputSerializer, services.case_rectify)

    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        return self.transition(CaseVerifyInputSerializer, services.case_verify)

    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str) -> Response:
        return self.transition(CaseReasonInputSerializer, services.case_send_back)

    @action(detail=True, methods=["post"], url_path="close-out")
    def close_out(self, request: Request, pk: str) -> Response:
        return self.transition(CaseCloseOutInputSerializer, services.case_close_out)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self.transition(CaseReasonInputSerializer, services.case_reopen)

    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str) -> Response:
        return self.transition(CaseRateInputSerializer, services.case_rate)

    @action(detail=True, methods=["post"])
    def moderate(self, request: Request, pk: str) -> Response:
        return self.transition(CaseModerateInputSerializer, services.case_moderate)

    @action(detail=True, methods=["post"], url_path="reveal-complainant")
    def reveal_complainant(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        data = self.validated(ComplainantRevealInputSerializer)
        revealed = services.case_reveal_complainant(actor=self.actor, case=case, purpose=data["purpose"])
        return Response(ComplainantOutputSerializer(revealed).data)
