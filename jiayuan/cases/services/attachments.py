"""Attachments (photos, documents) on cases: who may attach, and storing them with the case.

What is accepted and how photos lose their metadata is in `jiayuan.cases.attachment_files`. One bad
file refuses the whole upload; files already written to storage are removed when it rolls back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.audit.services import record_event
from jiayuan.cases import workflow
from jiayuan.cases.attachment_files import (
    Checked,
    check_file,
    max_per_case,
    remember_written,
    removes_files_on_error,
)
from jiayuan.cases.choices import EventKind
from jiayuan.cases.models import Case, CaseAttachment, CaseEvent
from jiayuan.cases.services.filing import case_file
from jiayuan.cases.services.timeline import add_event, require_handler
from jiayuan.cases.services.transitions import case_rectify
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.core.services import require_in_scope

# --- who may attach -----------------------------------------------------------------------------------


def attach_check(actor: Actor, case: Case) -> None:
    """Refuse unless the actor may attach files to the case now.

    Supervising staff (cases.accept where the case is) may at any time, also to a closed case; the
    body the case is dispatched to (cases.handle) and the complainant (cases.file, their own case)
    while it is open. Out of scope is a 404.
    """
    require_in_scope(actor, case)
    if actor.has(permissions.CASES_ACCEPT) and actor.can_see(case, permission=permissions.CASES_ACCEPT):
        return
    if case.state not in workflow.OPEN_STATES:
        raise DomainError(
            _("Only supervising staff may add files to a closed case."), code="transition_not_allowed"
        )
    if actor.has(permissions.CASES_HANDLE) and case.handler_kind:
        require_handler(actor, case)
        return
    own = case.complainant_user_id is not None and getattr(actor.user, "pk", None) == case.complainant_user_id
    if actor.has(permissions.CASES_FILE) and own:
        return
    raise NotPermitted(permissions.CASES_FILE)


def can_attach(actor: Actor, case: Case) -> bool:
    try:
        attach_check(actor, case)
    except (DomainError, Http404):
        return False
    return True


def check_count(case: Case, count: int) -> None:
    if count == 0:
        raise DomainError(_("Choose at least one file."), field="files")
    limit = max_per_case()
    existing = CaseAttachment.objects.filter(case=case).count()
    if existing + count > limit:
        raise DomainError(
            _("A case holds at most %(limit)d files; it has %(existing)d.")
            % {"limit": limit, "existing": existing},
            field="files",
            code="too_many_files",
        )


# --- storing ------------------------------------------------------------------------------------------


def store(*, actor: Actor, case: Case, item: Checked, event: CaseEvent, now: dt.datetime) -> CaseAttachment:
    attachment = CaseAttachment(
        case=case,
        event=event,
        kind=item.kind.kind,
        original_name=item.name,
        content_type=item.kind.content_type,
        size=len(item.content),
        sha256=hashlib.sha256(item.content).hexdigest(),
        uploaded_by=actor.user if getattr(actor.user, "pk", None) else None,
        uploaded_at=now,
    )
    attachment.file.save(f"upload{item.kind.extension}", ContentFile(item.content), save=False)
    remember_written(attachment.file.name)
    attachment.save(force_insert=True)
    return attachment


@removes_files_on_error
@transaction.atomic
def case_attach(
    *,
    actor: Actor,
    case: Case,
    files: Sequence[Any],
    event: CaseEvent | None = None,
    photos_only: bool = False,
    now: dt.datetime | None = None,
) -> list[CaseAttachment]:
    """Attach photos and documents to a case, all or nothing.

    `event` is the timeline entry the files came with (the filing, the rectification); a note
    listing the files is added to the timeline either way. `photos_only` refuses documents (the
    owners' phone form).
    """
    attach_check(actor, case)
    files = list(files)
    check_count(case, len(files))
    checked = [check_file(upload, photos_only=photos_only) for upload in files]
    now = now or timezone.now()
    data: dict[str, Any] = {
        "number": case.number,
        "files": [item.name for item in checked],
        "with_event": event.pk if event is not None else None,
    }
    note = add_event(actor=actor, case=case, at=now, kind=EventKind.NOTE, data=data)
    stored = [store(actor=actor, case=case, item=item, event=event or note, now=now) for item in checked]
    audit = {**data, "attachments": [attachment.pk for attachment in stored]}
    record_event(actor=actor, action="case.attached", obj=case, data=audit)
    return stored


def latest_event(case: Case, transition: str) -> CaseEvent | None:
    return case.events.filter(transition=transition).order_by("-at", "-id").first()


@removes_files_on_error
@transaction.atomic
def case_file_with_attachments(*, files: Sequence[Any] = (), **kwargs: Any) -> Case:
    """File a case (`case_file`'s arguments) with its files, in one transaction: a bad file files nothing."""
    case = case_file(**kwargs)
    if files:
        case_attach(actor=kwargs["actor"], case=case, files=files, event=latest_event(case, "file"))
    return case


@removes_files_on_error
@transaction.atomic
def case_rectify_with_evidence(
    *,
    actor: Actor,
    case: Case,
    version: int,
    measures: str,
    evidence: str,
    files: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Case:
    """Report the rectification (`case_rectify`) with evidence photos and documents, all or nothing."""
    case = case_rectify(
        actor=actor, case=case, version=version, measures=measures, evidence=evidence, now=now
    )
    if files:
        case_attach(actor=actor, case=case, files=files, event=latest_event(case, "rectify"), now=now)
    return case
