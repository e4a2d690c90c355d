"""The owners' QR intake: the estate's public token, and filing a complaint for a verified phone.

The estate's token is its id signed with `SECRET_KEY` (salt `intake.estate`): stable, unguessable,
no model field. The intake acts like an Open311 client: as an intake desk (the community officer's
role) whose reach is the estate's community, and it only ever calls `case_file`.
"""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.cases.choices import Source, Urgency
from jiayuan.cases.models import Case
from jiayuan.cases.services import DuplicateSuspected, case_file
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.scoping import Scope
from jiayuan.estates.models import Estate
from jiayuan.open311.services import ClientPrincipal
from jiayuan.policy.loader import active_preset

SALT = "intake.estate"
PURPOSE = "case_intake"
# The catalogue groups an owner chooses from: everyday complaints first, then the common ones.
PUBLIC_GROUPS = ("everyday", "non_performance", "owners_interests", "public_order")


def estate_token(estate: Estate) -> str:
    """The same token every time (a plain signature, no timestamp): printed posters stay valid."""
    return signing.Signer(salt=SALT).sign_object(estate.pk)


def estate_from_token(token: str) -> Estate | None:
    """The estate a token names, or None for a forged or mistyped token (or a deleted estate)."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Estate.objects.select_related("community").filter(pk=pk).first()


def public_category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The owner's select: the public groups' categories under their group names."""
    preset = active_preset()
    choices = []
    for code in PUBLIC_GROUPS:
        group = preset.category_groups.get(code)
        items = [(c.code, c.name) for c in preset.categories.values() if c.group == code]
        if group is not None and items:
            choices.append((group.name, items))
    return choices


def intake_actor(estate: Estate) -> Actor:
    return Actor(
        user=ClientPrincipal(username=f"qr:{estate.pk}"),
        scope=Scope(region_paths=(estate.community.path,)),
        roles=frozenset({Role.COMMUNITY_OFFICER}),
    )


@transaction.atomic
def intake_file(
    *, estate: Estate, phone: str, category: str, description: str, name: str = ""
) -> tuple[Case, Case | None]:
    """File an owner's complaint (source `qr_code`) for a phone the caller has verified.

    The owner cannot judge whether an open case at the estate is the same problem, so a suspected
    duplicate is filed anyway (the confirmation is in the timeline, for the staff to merge); the
    open case is returned with the new one so that the owner can be told it is being handled.
    """
    allowed = {code for _group, items in public_category_choices() for code, _name in items}
    if category not in allowed:
        raise DomainError(_("Choose a kind of problem from the list."), field="category")
    actor = intake_actor(estate)

    def file(confirm: bool) -> Case:
        return case_file(
            actor=actor,
            estate=estate,
            category=category,
            description=description,
            source=Source.QR_CODE,
            urgency=Urgency.NORMAL,
            complainant_name=name,
            complainant_phone=phone,
            confirm_not_duplicate=confirm,
        )

    try:
        return file(False), None
    except DuplicateSuspected as duplicate:
        return file(True), duplicate.case
