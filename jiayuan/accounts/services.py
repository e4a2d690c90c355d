"""Writes to users, organisations and memberships."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
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
    record_event(
        actor=actor,
        action="membership.granted",
        obj=membership,
        data={"user": user.username, "organisation": organisation.pk, "role": role},
    )
    return membership


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


def _validated_password(password: str, user: User, *, field: str) -> str:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field, details=error.messages) from error
    return password


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """A user chooses a new password; it ends the change an administrator's reset asked for."""
    from jiayuan.core.actor import actor_for

    if not user.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    if old_password == new_password:
        raise DomainError(_("Choose a password different from the current one."), field="new_password1")
    user.set_password(_validated_password(new_password, user, field="new_password1"))
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record_event(actor=actor_for(user), action="user.password_changed", obj=user)


@transaction.atomic
def password_set_by_admin(*, actor: Actor, user: User, new_password: str) -> None:
    """An administrator sets a user's password: the user must choose their own at the next page.

    等保 2.0 (identity authentication): a password someone else knows is only good for one login.
    """
    actor.require(permissions.ADMIN_SITE)
    user.set_password(_validated_password(new_password, user, field="password1"))
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record_event(actor=actor, action="user.password_set", obj=user)
