from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels of the jurisdiction (YC §1), from the top."""

    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    SUBDISTRICT = "subdistrict", _("Subdistrict / town")
    COMMUNITY = "community", _("Community / village")


LEVEL_ORDER = [Level.CITY, Level.DISTRICT, Level.SUBDISTRICT, Level.COMMUNITY]


def child_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(Level(level))
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None
