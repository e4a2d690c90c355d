"""The names of permissions. Scope (where) is separate: see `jiayuan.core.scoping`.

A permission is a plain string `<area>.<verb>`; services check them with `actor.require(...)`.
Which role grants which is the accounts app's table (`jiayuan.accounts.roles.ROLE_PERMISSIONS`),
registered with the actor mechanism.
"""

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
