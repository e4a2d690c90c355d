from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "jiayuan.governance"
    label = "governance"

    def ready(self) -> None:
        # An estate's page shows its owners' bodies; estates, below governance, knows them only so.
        from jiayuan.estates.hooks import register_estate_page
        from jiayuan.governance.hooks import estate_bodies

        register_estate_page(estate_bodies)
