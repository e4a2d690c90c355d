"""Machine clients of the Open311 GeoReport v2 endpoint (docs/open311.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.scoping import NOTHING, Scope, ScopedQuerySet


class ApiClient(models.Model):
    """A system that files cases through Open311 (a 12345 hotline, a city app) with an `api_key`.

    Only the SHA-256 of the key is stored; the key itself is shown once, when the client is created
    (`api_client_create`). The key files cases only for estates within `region` (its reach). Clients
    are platform configuration, so only system actors see them.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("region"),
        help_text=_("The client files cases only for estates within this region."),
    )
    key_prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return Q() if scope.everything else NOTHING
