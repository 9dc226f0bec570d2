from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_reference_data(sender, **kwargs) -> None:
    # The roles and the force register are reference data everything else points at: keep them
    # loaded after every migrate (and after a test flush) so a fresh database is usable at once.
    from requests_app.services import force_register_load, roles_create

    roles_create()
    force_register_load()


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "FOI requests"

    def ready(self) -> None:
        post_migrate.connect(load_reference_data, sender=self)
