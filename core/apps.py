from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The plumbing every app shares: the API's error shape and pagination, the database
    helpers, the failure log of tasks, health checks and the request-level middleware."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Connects the failure log to this process's tasks (worker, beat, and eager runs in the
        # web process): every process loads the apps, so every process logs its failures.
        from core import answer_cache, task_log  # noqa: F401

        # The stored report answers go out of date with any write to what they read.
        answer_cache.connect()
