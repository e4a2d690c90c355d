from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "jiayuan.intake"
    label = "intake"
    verbose_name = _("Complaint intake by QR code")

    def ready(self) -> None:
        # An owner's home page: "file a complaint" and their own complaints (jiayuan/core/queues.py).
        from jiayuan.core.queues import register_queue
        from jiayuan.intake.queues import owner_queue

        register_queue(owner_queue)
