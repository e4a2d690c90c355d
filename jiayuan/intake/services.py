"""The owners' QR intake: the estate's public token, filing a complaint for a verified phone, and
the complainant rating or reopening their case from the follow page.

The estate's token is its id signed with `SECRET_KEY` (salt `intake.estate`): stable, unguessable,
no model field. The intake acts like an Open311 client: as an intake desk (the community officer's
role) whose reach is the estate's community, and it only ever calls `case_file`. On the follow page
the complainant acts as themselves: a `ComplainantPrincipal` that proves the case's phone, with
only `cases.rate` and only the case's estate (see `complainant_actor`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.cases.attachment_files import removes_files_on_error
from jiayuan.cases.choices import Source, Urgency
from jiayuan.cases.models import Case
from jiayuan.cases.services import DuplicateSuspected, case_attach, case_file, case_rate, case_reopen
from jiayuan.core import permissions
from jiayuan.core.actor import Actor, ClientPrincipal
from jiayuan.core.exceptions import DomainError
from jiayuan.core.scoping import Scope
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset

SALT = "intake.estate"
PURPOSE = "case_intake"
INTAKE_MAX_PHOTOS = 3  # photos an owner may send with a complaint
# The verification purpose of the follow page: a code proves the complainant holds the case's phone.
FOLLOW_PURPOSE = "case_follow"


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


def public_category_choices() -> list[tuple[str, list[tuple[str, str]] | str]]:
    """The owner's select: the preset's everyday problems in plain words under their group names,
    each option valued by its catalogue category (officers see the category's own name), and
    "其他问题" (the preset's `intake.other`) last, on its own."""
    intake = active_preset().data.intake
    choices: list[tuple[str, list[tuple[str, str]] | str]] = [
        (group.name, [(problem.category, problem.name) for problem in group.problems])
        for group in intake.groups
    ]
    choices.append((intake.other.category, intake.other.name))
    return choices


def public_categories() -> set[str]:
    """The catalogue categories the owner's list offers."""
    return {problem.category for problem in active_preset().data.intake.problems}


def intake_actor(estate: Estate) -> Actor:
    return Actor(
        user=ClientPrincipal(username=f"qr:{estate.pk}"),
        scope=Scope(region_paths=(estate.community.path,)),
        roles=frozenset({Role.COMMUNITY_OFFICER}),
    )


@removes_files_on_error
@transaction.atomic
def intake_file(
    *,
    estate: Estate,
    phone: str,
    category: str,
    description: str,
    name: str = "",
    photos: Sequence[Any] = (),
) -> tuple[Case, Case | None]:
    """File an owner's complaint (source `qr_code`) for a phone the caller has verified.

    The owner cannot judge whether an open case at the estate is the same problem, so a suspected
    duplicate is filed anyway (the confirmation is in the timeline, for the staff to merge); the
    open case is returned with the new one so that the owner can be told it is being handled.
    Up to three photos come with it: a bad one files nothing.
    """
    if len(photos) > INTAKE_MAX_PHOTOS:
        raise DomainError(_("Send at most %(count)d photos.") % {"count": INTAKE_MAX_PHOTOS}, field="photos")
    if category not in public_categories():
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
        case, open_case = file(False), None
    except DuplicateSuspected as duplicate:
        case, open_case = file(True), duplicate.case
    if photos:
        case_attach(actor=actor, case=case, files=photos, photos_only=True)
    return case, open_case


@dataclass(frozen=True)
class ComplainantPrincipal:
    """Stands in for a complainant without an account who proved, by an SMS code, that they hold the
    case's phone. `require_complainant` accepts it for the case whose `complainant_phone` it is."""

    username: str
    verified_phone: str
    pk: None = None
    is_authenticated: bool = False
    is_active: bool = False


@dataclass
class ComplainantActor(Actor):
    """An owner's reach (the case's estate) with no permission but rating and reopening."""

    @cached_property
    def permissions(self) -> frozenset[str]:
        return frozenset({permissions.CASES_RATE})


def complainant_actor(case: Case, phone: str) -> Actor:
    """The complainant of `case`, for a phone the caller has verified with a `case_follow` code."""
    return ComplainantActor(
        user=ComplainantPrincipal(username="complainant (verified phone)", verified_phone=phone),
        scope=Scope(estate_ids=frozenset({case.estate_id})),
        roles=frozenset({Role.OWNER}),
    )


@transaction.atomic
def intake_rate(*, case: Case, phone: str, rating: int, comment: str = "") -> Case:
    """The complainant rates the result of their closed case (once), for a verified phone."""
    actor = complainant_actor(case, phone)
    return case_rate(actor=actor, case=case, version=case.version, rating=rating, comment=comment)


@transaction.atomic
def intake_reopen(*, case: Case, phone: str, reason: str) -> Case:
    """The complainant reopens their closed case within the preset's window, for a verified phone."""
    actor = complainant_actor(case, phone)
    return case_reopen(actor=actor, case=case, version=case.version, reason=reason)
