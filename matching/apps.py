from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        # Celery's autodiscovery only imports `tasks` modules; register the webhook task too.
        from matching import webhook_tasks  # noqa: F401
