from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    """The rules engine: a preset over a set of facts gives the consequences (pure, no models)."""

    name = "jiayuan.rules"
    label = "rules"
    verbose_name = _("Rules engine")
