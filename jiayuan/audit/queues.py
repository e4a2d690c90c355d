"""The audit log's contribution to the work queues (jiayuan/core/queues.py): for an auditor, what
changed since their last visit.

"Last visit" is the user's previous login (kept in the session by the login view, under
`PREVIOUS_VISIT_SESSION_KEY`); with none known, the last day. The audit log belongs to no region:
like the chain's verifications it is read whole by those who hold `audit.read` (auditors and system
administrators), and the queue shows counts per kind of object, never the objects' data. Reads of
personal data come first, as their own item. Two queries whatever the number of events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiayuan.audit.models import AuditEvent
from jiayuan.core import permissions
from jiayuan.core.queues import QueueItem, QueueRequest, Urgency

QUEUE_ROWS = 10  # kinds of object listed; the rest are left out (the most changed come first)
# With no previous visit on record (the first login, a session started otherwise), the last day.
FIRST_VISIT_WINDOW = dt.timedelta(days=1)
# The acts that show someone personal data in full (every such read is audited, 等保 2.0).
PERSONAL_DATA_READS = Q(action__endswith="personal_data_viewed") | Q(action__endswith="complainant_revealed")


def object_type_label(label: str) -> str:
    """A model's plural name from its `app_label.model_name` ("" for none or an unknown model)."""
    if not label:
        return _("Platform")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name_plural)


def audit_queue(request: QueueRequest) -> Iterable[QueueItem]:
    actor = request.actor
    if not actor.has(permissions.AUDIT_READ):
        return []
    since = request.previous_visit or request.now - FIRST_VISIT_WINDOW
    events = AuditEvent.objects.filter(at__gt=since, at__lte=request.now)
    group = _("Changed since your last visit")
    items = []
    reads = events.filter(PERSONAL_DATA_READS).count()
    if reads:
        items.append(
            QueueItem(
                kind="audit.personal_data",
                title=_("Reads of personal data"),
                detail=ngettext(
                    "%(count)d read since your last visit", "%(count)d reads since your last visit", reads
                )
                % {"count": reads},
                count=reads,
                urgency=Urgency.TO_DO,
                group=group,
                weight=reads,
            )
        )
    rows = (
        events.exclude(PERSONAL_DATA_READS)
        .values("object_type")
        .annotate(n=Count("id"))
        .order_by("-n", "object_type")[:QUEUE_ROWS]
    )
    for row in rows:
        n = row["n"]
        items.append(
            QueueItem(
                kind="audit.changes",
                title=object_type_label(row["object_type"]),
                detail=ngettext(
                    "%(count)d change since your last visit", "%(count)d changes since your last visit", n
                )
                % {"count": n},
                count=n,
                urgency=Urgency.INFO,
                group=group,
                weight=n,
            )
        )
    return items
