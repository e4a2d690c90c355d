"""Writes to users, organisations and memberships."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from jiayuan.accounts.choices import ROLE_ORGANISATION_KINDS
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError


@transaction.atomic
def user_create(*, actor: Actor, username: str, password: str, display_name: str = "") -> User:
    actor.require(permissions.ADMIN_SITE)
    user = User(username=username, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="password", details=error.messages) from error
    user.set_password(password)
    user.save()
    record_event(actor=actor, action="user.created", obj=user)
    return user


@transaction.atomic
def membership_grant(*, actor: Actor, user: User, organisation: Organisation, role: str) -> Membership:
    """Give a user a role in an organisation; the role must fit the organisation's kind."""
    actor.require(permissions.ADMIN_SITE)
    if organisation.kind not in ROLE_ORGANISATION_KINDS.get(role, set()):
        raise DomainError(
            _("The role %(role)s cannot be held in a %(kind)s.")
            % {"role": role, "kind": organisation.get_kind_display()},
            field="role",
        )
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, role=role, defaults={"active": True}
    )
    reach_changed(user)
    record_event(
        actor=actor,
        action="membership.granted",
        obj=membership,
        data={"user": user.username, "organisation": organisation.pk, "role": role},
    )
    return membership


def reach_changed(user: User) -> None:
    """Every service that changes a user's memberships calls this in its transaction: the user's
    cached reach is no longer used from their next request on (see `jiayuan.accounts.reach`)."""
    User.objects.filter(pk=user.pk).update(access_version=F("access_version") + 1)
    user.refresh_from_db(fields=["access_version"])
    user.__dict__.pop("_jiayuan_actor", None)


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """The user's API token, created on first use (one per user; logging in again returns it)."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record_event(
            actor=Actor(user=user, scope=None, roles=frozenset()),  # type: ignore[arg-type]
            action="api_token.issued",
            obj=user,
        )
    return token.key
