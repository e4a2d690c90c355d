"""Owner bodies' contribution to the work queues (jiayuan/core/queues.py).

An owners' committee member sees what the committee must do: organise the election of the next
committee when the term ends within the preset's warning period (or has ended), and have the
committee filed (备案) with the subdistrict when no filing is on record. Two queries (owners'
committees, management committees), whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.core.queues import QueueItem, QueueRequest, Urgency
from jiayuan.governance.models import ManagementCommittee, OwnersCommittee
from jiayuan.governance.selectors import term_warning_days


def governance_queue(request: QueueRequest) -> Iterable[QueueItem]:
    actor = request.actor
    if not actor.has_role(Role.COMMITTEE_MEMBER):
        return []
    today, days = request.today, term_warning_days()
    estate_ids = sorted(actor.scope.estate_ids)
    items: list[QueueItem] = []
    for model in (OwnersCommittee, ManagementCommittee):
        bodies = (
            model.objects.visible_to(actor)
            .active()
            .filter(estate_id__in=estate_ids)
            .filter(Q(term_end__lte=today + dt.timedelta(days=days)) | Q(filing_number=""))
            .select_related("estate")
            .order_by("term_end", "id")
        )
        for body in bodies:
            url = f"{reverse('governance:list')}?{urlencode({'estate': body.estate_id})}"
            name = body._meta.verbose_name
            if body.term_ends_within(today, days):
                ended = body.term_end < today
                title = _("The term of the %(body)s has ended")
                if not ended:
                    title = _("The term of the %(body)s ends soon")
                items.append(
                    QueueItem(
                        kind="governance.term_end",
                        title=title % {"body": name},
                        detail=_("Organise the election of the next committee (%(estate)s).")
                        % {"estate": body.estate.name},
                        url=url,
                        urgency=Urgency.OVERDUE if ended else Urgency.DUE_SOON,
                        deadline=body.term_end,
                        group=_("Your committee"),
                    )
                )
            if not body.filing_number:
                items.append(
                    QueueItem(
                        kind="governance.filing",
                        title=_("The %(body)s is not filed yet") % {"body": name},
                        detail=_("File it with the subdistrict office (%(estate)s).")
                        % {"estate": body.estate.name},
                        url=url,
                        urgency=Urgency.TO_DO,
                        group=_("Your committee"),
                    )
                )
    return items
