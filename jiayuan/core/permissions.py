"""What each role may do. Scope (where) is separate: see `jiayuan.core.scoping`.

A permission is a plain string `<area>.<verb>`; services check them with `actor.require(...)`.
"""

from jiayuan.accounts.choices import Role

VIEW_PERSONAL_DATA = "owners.view_personal_data"
ESTATES_CHANGE = "estates.change"
ESTATES_IMPORT = "estates.import"
ENTERPRISES_CHANGE = "enterprises.change"
ENTERPRISES_IMPORT = "enterprises.import"
CONTRACTS_CHANGE = "contracts.change"
GOVERNANCE_CHANGE = "governance.change"
REGIONS_CHANGE = "regions.change"
ADMIN_SITE = "admin.site"

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
        }
    ),
    Role.SUBDISTRICT_OFFICER: frozenset(
        {ESTATES_CHANGE, ESTATES_IMPORT, CONTRACTS_CHANGE, GOVERNANCE_CHANGE}
    ),
    # The first line: takes complaints and acts for estates without a committee, so it may see
    # owners' contact data (every such read is audited).
    Role.COMMUNITY_OFFICER: frozenset({ESTATES_CHANGE, GOVERNANCE_CHANGE, VIEW_PERSONAL_DATA}),
    Role.DEPARTMENT_OFFICER: frozenset(),
    Role.ENTERPRISE_STAFF: frozenset(),
    Role.COMMITTEE_MEMBER: frozenset(),
    Role.OWNER: frozenset(),
    Role.AUDITOR: frozenset(),
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
        }
    ),
}
