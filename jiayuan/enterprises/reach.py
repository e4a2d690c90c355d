"""The estates an enterprise serves: registered with core's scoping mechanism (`register_served_estates`).

Enterprise staff see the estates their enterprise serves under a contract in force today; the
subquery is evaluated with every read, so a contract's change shows at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiayuan.enterprises.models import ServiceContract


def served_estate_ids(enterprise_ids: frozenset[int], on: dt.date) -> Any:
    """Subquery: the estates the given enterprises serve under a contract in force on a day."""
    return (
        ServiceContract.objects.in_force_on(on).filter(enterprise_id__in=enterprise_ids).values("estate_id")
    )
