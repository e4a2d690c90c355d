"""What each role may do: the role → permission table (the permission names: `jiayuan.core.permissions`).

Registered with core's actor mechanism by `jiayuan.accounts.reach.MembershipSource`.
"""

from jiayuan.accounts.choices import Role
from jiayuan.core.permissions import (
    ADMIN_SITE,
    AUDIT_READ,
    CAMPAIGNS_MANAGE,
    CASES_ACCEPT,
    CASES_CLOSE_OUT,
    CASES_DISPATCH,
    CASES_FILE,
    CASES_HANDLE,
    CASES_MODERATE,
    CASES_RATE,
    CASES_REFER,
    CASES_VERIFY,
    CONTRACTS_CHANGE,
    ENTERPRISES_CHANGE,
    ENTERPRISES_IMPORT,
    ESTATES_CHANGE,
    ESTATES_IMPORT,
    GOVERNANCE_CHANGE,
    REGIONS_CHANGE,
    VIEW_PERSONAL_DATA,
)

# Supervising staff run the ledger: they take cases in, route them, check the result and close out.
CASES_SUPERVISE = frozenset(
    {
        CASES_FILE,
        CASES_ACCEPT,
        CASES_DISPATCH,
        CASES_REFER,
        CASES_HANDLE,
        CASES_VERIFY,
        CASES_CLOSE_OUT,
        CASES_MODERATE,
        CASES_RATE,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        {
            ESTATES_CHANGE,
            ESTATES_IMPORT,
            ENTERPRISES_CHANGE,
            ENTERPRISES_IMPORT,
            CONTRACTS_CHANGE,
            GOVERNANCE_CHANGE,
            REGIONS_CHANGE,
            CAMPAIGNS_MANAGE,
            *CASES_SUPERVISE,
        }
    ),
    Role.DISTRICT_OFFICER: frozenset(
        {
            ESTATES_CHANGE,
            ESTATES_IMPORT,
            ENTERPRISES_CHANGE,
            ENTERPRISES_IMPORT,
            CONTRACTS_CHANGE,
            GOVERNANCE_CHANGE,
            CAMPAIGNS_MANAGE,
            *CASES_SUPERVISE,
        }
    ),
    Role.SUBDISTRICT_OFFICER: frozenset(
        {
            ESTATES_CHANGE,
            ESTATES_IMPORT,
            CONTRACTS_CHANGE,
            GOVERNANCE_CHANGE,
            CAMPAIGNS_MANAGE,
            *CASES_SUPERVISE,
        }
    ),
    # The first line: takes complaints and acts for estates without a committee, so it may see
    # owners' contact data (every such read is audited).
    Role.COMMUNITY_OFFICER: frozenset(
        {ESTATES_CHANGE, GOVERNANCE_CHANGE, VIEW_PERSONAL_DATA, *CASES_SUPERVISE}
    ),
    # The bodies a case is dispatched or referred to: they work on it and report the rectification.
    Role.DEPARTMENT_OFFICER: frozenset({CASES_HANDLE}),
    Role.ENTERPRISE_STAFF: frozenset({CASES_HANDLE}),
    # Owners and committee members file complaints about their estate and rate their own.
    Role.COMMITTEE_MEMBER: frozenset({CASES_FILE, CASES_RATE}),
    Role.OWNER: frozenset({CASES_FILE, CASES_RATE}),
    Role.AUDITOR: frozenset({AUDIT_READ}),
    Role.SYSTEM_ADMIN: frozenset(
        {
            ESTATES_CHANGE,
            ESTATES_IMPORT,
            ENTERPRISES_CHANGE,
            ENTERPRISES_IMPORT,
            CONTRACTS_CHANGE,
            GOVERNANCE_CHANGE,
            REGIONS_CHANGE,
            ADMIN_SITE,
            AUDIT_READ,
            CAMPAIGNS_MANAGE,
            *CASES_SUPERVISE,
        }
    ),
}
