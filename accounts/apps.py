from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the sign-in stamp the idle-timeout middleware reads.
        from accounts import middleware  # noqa: F401
