from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


def load_reference_lists(sender, **kwargs) -> None:
    # Platforms, owners and offence categories are what figures point at: keep the shipped ones
    # present after every migrate (and after a test flush); rows the admin edited stay as edited.
    from responses_app.services import reference_lists_load

    reference_lists_load()


class ResponsesAppConfig(AppConfig):
    name = "responses_app"
    verbose_name = "Responses and figures"

    def ready(self) -> None:
        from responses_app.documents import file_remove_after_commit

        post_migrate.connect(load_reference_lists, sender=self)
        # Not a domain effect: the file is part of the row, however the row is deleted.
        post_delete.connect(file_remove_after_commit, sender="responses_app.Document")
