from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "jiayuan.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # Cases, below campaigns, learns of them only through these hooks (cases/campaign_hooks.py).
        from jiayuan.campaigns.hooks import Hooks
        from jiayuan.cases.campaign_hooks import register_campaign_hooks

        register_campaign_hooks(Hooks())
