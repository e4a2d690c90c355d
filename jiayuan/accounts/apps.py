from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jiayuan.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Who sees what: memberships resolve a user's reach, roles grant permissions (accounts/reach.py).
        from jiayuan.accounts.reach import MembershipSource
        from jiayuan.core.actor import register_actor_source

        register_actor_source(MembershipSource())
