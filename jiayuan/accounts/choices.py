from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member does in an organisation. The role decides both the permissions and the scope."""

    CITY_ADMIN = "city_admin", _("City housing bureau")
    DISTRICT_OFFICER = "district_officer", _("District housing officer")
    SUBDISTRICT_OFFICER = "subdistrict_officer", _("Subdistrict officer")
    COMMUNITY_OFFICER = "community_officer", _("Community officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    ENTERPRISE_STAFF = "enterprise_staff", _("Enterprise staff")
    COMMITTEE_MEMBER = "committee_member", _("Owners' committee member")
    OWNER = "owner", _("Owner")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class OrganisationKind(models.TextChoices):
    HOUSING_BUREAU = "housing_bureau", _("Housing bureau")
    SUBDISTRICT_OFFICE = "subdistrict_office", _("Subdistrict office")
    COMMUNITY_COMMITTEE = "community_committee", _("Community committee")
    DEPARTMENT = "department", _("Department")
    ENTERPRISE = "enterprise", _("Property service enterprise")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    OWNERS_ASSEMBLY = "owners_assembly", _("Owners' assembly")
    PLATFORM = "platform", _("Platform operator")


# Which organisation a role may be held in. Structure, not policy: it follows from what the roles are.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.CITY_ADMIN: {OrganisationKind.HOUSING_BUREAU},
    Role.DISTRICT_OFFICER: {OrganisationKind.HOUSING_BUREAU},
    Role.SUBDISTRICT_OFFICER: {OrganisationKind.SUBDISTRICT_OFFICE},
    Role.COMMUNITY_OFFICER: {OrganisationKind.COMMUNITY_COMMITTEE},
    Role.DEPARTMENT_OFFICER: {OrganisationKind.DEPARTMENT},
    Role.ENTERPRISE_STAFF: {OrganisationKind.ENTERPRISE},
    Role.COMMITTEE_MEMBER: {OrganisationKind.OWNERS_COMMITTEE},
    Role.OWNER: {OrganisationKind.OWNERS_ASSEMBLY},
    Role.AUDITOR: {OrganisationKind.HOUSING_BUREAU},
    Role.SYSTEM_ADMIN: {OrganisationKind.PLATFORM},
}

# Roles whose scope is the region subtree of their organisation.
REGIONAL_ROLES = {
    Role.CITY_ADMIN,
    Role.DISTRICT_OFFICER,
    Role.SUBDISTRICT_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.DEPARTMENT_OFFICER,
    Role.AUDITOR,
}
ESTATE_ROLES = {Role.COMMITTEE_MEMBER, Role.OWNER}

# Roles that supervise: the home page's supervision overview and the supervisors' navigation.
SUPERVISORY_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.SUBDISTRICT_OFFICER,
        Role.COMMUNITY_OFFICER,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
    }
)
