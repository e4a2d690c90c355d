"""Writes to users, organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from jiayuan.accounts.choices import ROLE_ORGANISATION_KINDS
from jiayuan.accounts.models import Membership, Organisation, User
from jiayuan.audit.models import AuditEvent
from jiayuan.audit.services import record_event
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.services import apply_changes


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


# Fields of a user the admin may change (Django's groups and per-user permissions are not used:
# roles decide; the password has its own service).
USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "display_name",
    "phone",
    "is_active",
    "is_staff",
    "is_superuser",
)


@transaction.atomic
def user_update(*, actor: Actor, user: User, reason: str = "", **fields: Any) -> User:
    """Change a user's name, contact or status; only a superuser may make or unmake one."""
    actor.require(permissions.ADMIN_SITE)
    superuser_changes = "is_superuser" in fields and bool(fields["is_superuser"]) != user.is_superuser
    if superuser_changes and not getattr(actor.user, "is_superuser", False):
        raise DomainError(_("Only a superuser may change who is a superuser."), field="is_superuser")
    changed = apply_changes(user, fields, allowed=USER_FIELDS)
    if not changed:
        return user
    user.save(update_fields=list(changed))
    record_event(actor=actor, action="user.updated", obj=user, reason=reason, data=changed)
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str | None) -> User:
    """Set a user's password (validated), or make it unusable with None. The password is not recorded.

    A password someone else set is good for one login (等保 2.0, identity authentication): the user
    must choose their own before any other page opens (`password_change`).
    """
    actor.require(permissions.ADMIN_SITE)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(_validated_password(password, user, field="password"))
    user.must_change_password = password is not None
    user.save(update_fields=["password", "must_change_password"])
    record_event(actor=actor, action="user.password_set", obj=user, data={"usable": password is not None})
    return user


@transaction.atomic
def user_delete(*, actor: Actor, user: User) -> None:
    """Delete a user who never acted; one on record in the audit log is deactivated instead."""
    actor.require(permissions.ADMIN_SITE)
    if user.pk == getattr(actor.user, "pk", None):
        raise DomainError(_("You cannot delete your own account."))
    if AuditEvent.objects.filter(actor=user).exists():
        raise DomainError(
            _("%(user)s acted on the platform and stays on record: deactivate the account instead.")
            % {"user": user.username}
        )
    roles = list(user.memberships.values_list("organisation_id", "role"))
    record_event(actor=actor, action="user.deleted", obj=user, data={"memberships": roles})
    user.delete()


@transaction.atomic
def membership_update(*, actor: Actor, membership: Membership, reason: str = "", **fields: Any) -> Membership:
    """Change a membership's role (it must fit the organisation's kind) or suspend it (`active`)."""
    actor.require(permissions.ADMIN_SITE)
    role = fields.get("role", membership.role)
    if membership.organisation.kind not in ROLE_ORGANISATION_KINDS.get(role, set()):
        raise DomainError(
            _("The role %(role)s cannot be held in a %(kind)s.")
            % {"role": role, "kind": membership.organisation.get_kind_display()},
            field="role",
        )
    changed = apply_changes(membership, fields, allowed=("role", "active"))
    if not changed:
        return membership
    membership.save(update_fields=list(changed))
    record_event(actor=actor, action="membership.changed", obj=membership, reason=reason, data=changed)
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership, reason: str = "") -> None:
    """Take a role away from a user: the membership is deleted (suspending it keeps it on file)."""
    actor.require(permissions.ADMIN_SITE)
    record_event(
        actor=actor,
        action="membership.revoked",
        obj=membership,
        reason=reason,
        data={
            "user": membership.user.username,
            "organisation": membership.organisation_id,
            "role": membership.role,
        },
    )
    membership.delete()


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: Token) -> None:
    """Delete a user's API token: clients using it are refused from now on (a new one on next log-in)."""
    actor.require(permissions.ADMIN_SITE)
    record_event(actor=actor, action="api_token.revoked", obj=token.user, data={"key_prefix": token.key[:4]})
    token.delete()
