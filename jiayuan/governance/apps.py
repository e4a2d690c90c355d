from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "jiayuan.governance"
    label = "governance"

    def ready(self) -> None:
        # An estate's page shows its owners' bodies; estates, below governance, knows them only so.
        from jiayuan.estates.hooks import register_estate_page
        from jiayuan.governance.hooks import estate_bodies

        register_estate_page(estate_bodies)

        # What an owners' committee must do (term end, filing), on its members' home page.
        from jiayuan.core.queues import register_queue
        from jiayuan.governance.queues import governance_queue

        register_queue(governance_queue)
