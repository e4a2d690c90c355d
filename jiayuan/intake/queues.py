"""The owner's contribution to the work queues (jiayuan/core/queues.py).

For an owner (and an owners' committee member, an owner too): "File a complaint" for each of their
estates, by the same phone pages as the estate's QR code, the estate known; and their own
complaints (`cases.selectors.complaints_of`) with their state: a closed one they have not rated
offers to rate or reopen it, through the follow page (the phone's code proves it is theirs).
Two queries: the estates, the complaints.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.cases.choices import State
from jiayuan.cases.deadlines import due_at
from jiayuan.cases.selectors import complaints_of
from jiayuan.core.queues import QueueItem, QueueRequest, Urgency
from jiayuan.estates.models import Estate
from jiayuan.intake.selectors import reopen_deadline
from jiayuan.intake.services import estate_token
from jiayuan.policy.loader import active_preset

QUEUE_ROWS = 10  # complaints listed on the home page; the rest are on the cases page
# Listed here, not taken from the role-to-reach mapping in accounts.choices (tests/test_architecture.py).
RESIDENTS = (Role.OWNER, Role.COMMITTEE_MEMBER)


def owner_queue(request: QueueRequest) -> Iterable[QueueItem]:
    actor = request.actor
    if not actor.has_role(*RESIDENTS):
        return []
    items = []
    estates = Estate.objects.visible_to(actor).filter(pk__in=sorted(actor.scope.estate_ids))
    for estate in estates.order_by("name", "pk"):
        items.append(
            QueueItem(
                kind="intake.file",
                title=_("File a complaint"),
                detail=estate.name,
                url=reverse("intake:report", args=[estate_token(estate)]),
                urgency=Urgency.OVERDUE,  # the first thing on the page: a button, not a late item
                button=True,
            )
        )
    preset = active_preset()
    group = _("My complaints")
    for case in complaints_of(actor=actor)[:QUEUE_ROWS]:
        category = preset.categories.get(case.category)
        title = f"{case.number} · {category.name if category else case.category}"
        closed = case.state == State.CLOSED_OUT
        until = reopen_deadline(case) if closed else None
        if closed and case.rating is None and until is not None and until > request.now:
            by_account = case.complainant_user_id == getattr(actor.user, "pk", None)
            follow = reverse("intake:follow_mine", args=[case.pk])
            items.append(
                QueueItem(
                    kind="intake.rate",
                    title=title,
                    detail=_("Closed out: rate the result, or reopen it if the problem is still there."),
                    # Filed from their account: the case page offers it. Else (by the QR pages)
                    # the follow page, where the phone's code proves the complaint is theirs.
                    url=reverse("cases:detail", args=[case.pk]) if by_account else follow,
                    post=not by_account,
                    action=_("Rate or reopen"),
                    urgency=Urgency.TO_DO,
                    deadline=until,
                    group=group,
                )
            )
            continue
        items.append(
            QueueItem(
                kind="intake.complaint",
                title=title,
                detail=str(State(case.state).label),
                url=reverse("cases:detail", args=[case.pk]),
                action=_("Follow"),
                urgency=Urgency.INFO,
                deadline=due_at(case),
                group=group,
            )
        )
    return items
