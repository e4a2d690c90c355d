"""The sections of the main navigation and who sees each (drawn by core's `{% nav_items %}`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.choices import SUPERVISORY_ROLES, Role
from jiayuan.core.navigation import NavItem
from jiayuan.notifications.selectors import outbox_readable_by

NAV: tuple[NavItem, ...] = (
    NavItem("dashboard:home", _("Home"), None),
    NavItem("regions:browse", _("Regions"), frozenset({*SUPERVISORY_ROLES, Role.DEPARTMENT_OFFICER})),
    NavItem("estates:list", _("Estates"), None),
    NavItem("enterprises:list", _("Enterprises"), None),
    NavItem(
        "governance:list",
        _("Owner bodies"),
        frozenset({*SUPERVISORY_ROLES, Role.ENTERPRISE_STAFF, Role.COMMITTEE_MEMBER}),
    ),
    NavItem(
        "cases:ledger",
        _("Cases"),
        frozenset(
            {
                *SUPERVISORY_ROLES,
                Role.DEPARTMENT_OFFICER,
                Role.ENTERPRISE_STAFF,
                Role.COMMITTEE_MEMBER,
                Role.OWNER,
            }
        ),
    ),
    NavItem("campaigns:list", _("Campaigns"), frozenset(SUPERVISORY_ROLES)),
    NavItem("notifications:outbox", _("SMS outbox"), None, allowed=outbox_readable_by),
)
