"""Reads of the imports app."""

from __future__ import annotations

from django.http import Http404

from jiayuan.core.actor import Actor, actor_source
from jiayuan.imports.models import ImportJob


def job_for(actor: Actor, pk: int) -> ImportJob:
    """The job, if the actor uploaded it or is a system administrator; else Http404 (not 403: another
    user's upload is not theirs to know of)."""
    jobs = ImportJob.objects.all()
    if not actor.has_role(*actor_source().system_roles):
        user_id = getattr(actor.user, "pk", None)
        if user_id is None:
            raise Http404
        jobs = jobs.filter(user_id=user_id)
    try:
        return jobs.get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
