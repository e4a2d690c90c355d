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
CASES_FILE = "cases.file"
CASES_ACCEPT = "cases.accept"
CASES_DISPATCH = "cases.dispatch"
CASES_REFER = "cases.refer"
CASES_HANDLE = "cases.handle"
CASES_VERIFY = "cases.verify"
CASES_CLOSE_OUT = "cases.close_out"
CASES_MODERATE = "cases.moderate"
CASES_RATE = "cases.rate"
# Run campaigns (专项行动) over the region one administers (city, district or subdistrict).
CAMPAIGNS_MANAGE = "campaigns.manage"
# Read the audit chain's verifications (等保 2.0 审计管理: the auditor reviews the audit records).
AUDIT_READ = "audit.read"

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
