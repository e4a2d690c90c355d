"""Cases (诉求 / 整改事项): one line of the problem ledger each, their timeline and attachments."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.cases.choices import AttachmentKind, EventKind, HandlerKind, Outcome, Source, State, Urgency
from jiayuan.core.masking import mask_name, mask_phone
from jiayuan.core.scoping import ScopedModel, ScopedQuerySet

if TYPE_CHECKING:
    from jiayuan.core.actor import Actor

# Above this many estates in reach, the scope stays a join on the regions' paths: a list of ids that
# long no longer beats it (a city's whole ledger), and SQLite limits a query's parameters.
ESTATE_LIST_LIMIT = 1000


def visible_estate_ids(actor: Actor) -> list[int] | None:
    """The ids of the estates the actor sees (one query), or None when the scope is better left a join
    (everything, or more estates than `ESTATE_LIST_LIMIT`)."""
    from jiayuan.estates.models import Estate

    if actor.scope.everything:
        return None
    ids = list(
        Estate.objects.visible_to(actor).order_by().values_list("pk", flat=True)[: ESTATE_LIST_LIMIT + 1]
    )
    return ids if len(ids) <= ESTATE_LIST_LIMIT else None


class CaseQuerySet(ScopedQuerySet):
    """Cases narrowed to an actor as `estate_id IN (...)`: the estates in reach resolved once, not a
    join over the regions with a path prefix per query (2.7x faster for a subdistrict's ledger, 25x
    for a community's first page; bench/reports/cases_city.md).

    The queryset remembers whom it was narrowed for (`scoped_for`), so a selector that must not count
    beyond the actor's scope (`ledger_counts`) need not narrow it again.
    """

    scoped_for: Actor | None = None

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]
        clone.scoped_for = self.scoped_for
        return clone

    def visible_to(self, actor: Actor, *, estate_ids: list[int] | None = None) -> Self:
        """The cases the actor sees. Given `estate_ids`, the actor's visible estates as resolved for
        this request (`visible_estate_ids`), the scope is `estate_id IN (...)`; else the join."""
        if actor.scope.everything:
            narrowed = self.all()
        elif estate_ids is not None and len(estate_ids) <= ESTATE_LIST_LIMIT:
            narrowed = self.filter(estate_id__in=estate_ids)
        else:
            narrowed = self.filter(self.model.scope_filter(actor.scope))
        narrowed.scoped_for = actor
        return narrowed


class Case(ScopedModel):
    """A problem at an estate: filed, accepted, dispatched, rectified, verified and closed out.

    State changes only through `jiayuan.cases.services`, each with a conditional update on
    `version`, so two people acting at once cannot both win. `category` is a code of the active
    policy preset's catalogue (checked by the service). The complainant's name and phone are shown
    masked (`complainant_name_masked`) unless the role needs them.
    """

    objects = CaseQuerySet.as_manager()  # type: ignore[misc]

    number = models.CharField(_("case number"), max_length=32, unique=True)
    number_year = models.PositiveSmallIntegerField(_("number year"))
    number_serial = models.PositiveIntegerField(_("number serial"))
    estate = models.ForeignKey(
        "estates.Estate", on_delete=models.PROTECT, related_name="cases", verbose_name=_("estate")
    )
    category = models.CharField(_("category"), max_length=48)
    description = models.TextField(_("description"))
    moderated_description = models.TextField(
        _("moderated description"),
        blank=True,
        help_text=_("Shown in public views instead of the description; the original is kept."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    complainant_name = models.CharField(_("complainant name"), max_length=64, blank=True)
    complainant_phone = models.CharField(_("complainant phone"), max_length=32, blank=True)
    complainant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complainant account"),
    )
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    handler_kind = models.CharField(_("handler kind"), max_length=20, choices=HandlerKind.choices, blank=True)
    handler_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("responsible enterprise"),
    )
    handler_department = models.ForeignKey(
        "regions.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("responsible department"),
    )
    handler_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("responsible region"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("campaign"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=64, blank=True)
    responsible_phone = models.CharField(
        _("responsible person's phone"),
        max_length=32,
        blank=True,
        help_text=_("Reminders of the deadline and escalations are sent here."),
    )
    measures = models.TextField(_("rectification measures"), blank=True)
    evidence = models.TextField(_("rectification evidence"), blank=True)
    accept_due_at = models.DateTimeField(_("acceptance due"))
    deadline = models.DateTimeField(_("rectification deadline"))
    reminded_due_at = models.DateTimeField(_("reminded for due time"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("rating comment"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("filed at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed out at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Covering: a region's ledger counts (scope = its estates) and its usual filters read the
            # index alone (index-only scan), not one heap page per case (bench/reports/cases_city.md).
            models.Index(
                fields=["estate", "state"],
                include=[
                    "category",
                    "source",
                    "created_at",
                    "accept_due_at",
                    "deadline",
                    "rating",
                    "outcome",
                ],
                name="case_estate_state_cover",
            ),
            models.Index(fields=["state", "deadline"], name="case_state_deadline"),
            models.Index(fields=["state", "accept_due_at"], name="case_state_accept_due"),
            models.Index(fields=["category"], name="case_category"),
            models.Index(fields=["source"], name="case_source"),
            models.Index(fields=["handler_kind"], name="case_handler_kind"),
            models.Index(fields=["created_at"], name="case_created_at"),
            # The ledger sorted by deadline walks `(deadline, id)` by cursor (cases.filters.LEDGER_ORDERS).
            models.Index(fields=["deadline", "id"], name="case_deadline_id"),
            models.Index(fields=["campaign", "state"], name="case_campaign_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number_year", "number_serial"], name="case_number_serial_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.number

    @property
    def complainant_name_masked(self) -> str:
        return mask_name(self.complainant_name)

    @property
    def complainant_phone_masked(self) -> str:
        return mask_phone(self.complainant_phone)

    @property
    def public_description(self) -> str:
        """What public views show: the moderated text if a moderator hid the original."""
        return self.moderated_description or self.description


class CaseEvent(ScopedModel):
    """One entry of a case's timeline: who did what, when and why. Append-only.

    This is the timeline users see; the compliance record is the audit log, written in the same
    transaction.
    """

    scope_estate = "case__estate"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    transition = models.CharField(_("transition"), max_length=16, blank=True)
    from_state = models.CharField(_("from state"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=12, choices=State.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.transition}"


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    """Stored under a random name: the original name is kept in `original_name`, never in the path."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"cases/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class CaseAttachment(ScopedModel):
    """A photo or document attached to a case: with the filing, as rectification evidence, or later.

    Files are served only through the case's scoped download view, never from a public URL.
    `event` is the timeline entry the file came with, if any.
    """

    scope_estate = "case__estate"

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("timeline entry"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="case_attachment_case_at")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CaseNumberCounter(models.Model):
    """The last serial given to a case of a year: filing takes the next one in one statement
    (`services.filing.allocate_number`), a row lock held to the end of the filing's transaction."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last serial"))

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseFollowLink(ScopedModel):
    """One link sent to a complainant to follow their case without an account.

    The token is random and kept only as its SHA-256 (someone who reads the database cannot follow
    a case with what is stored); each text carries a link of its own, which stops working
    `cases.follow_link.days` after it was sent (the preset).
    """

    scope_estate = "case__estate"

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_links", verbose_name=_("case")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("follow link")
        verbose_name_plural = _("follow links")

    def __str__(self) -> str:
        return f"{self.case_id} {self.digest[:8]}"
