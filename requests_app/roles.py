"""The four roles, kept as Django groups so that the admin can manage membership."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

RESEARCHER = "researcher"  # creates campaigns and requests; edits those of their campaigns
DATA_ENTRY = "data_entry"  # records responses and figures on any campaign
CONSUMER = "consumer"  # reads published campaigns' data
ADMIN = "admin"  # staff: everything

ROLES = (RESEARCHER, DATA_ENTRY, CONSUMER, ADMIN)

# The admin is the staff's screen; researchers and data entry work in the pages. The admin role's
# group holds every model permission of these apps, so a member of staff needs no superuser flag.
ADMIN_APPS = ("auth", "axes", "accounts", "requests_app", "responses_app", "correspondence")


def has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if role == ADMIN:
        return user.is_staff
    # One query per user per request: Django caches nothing here, so keep the names on the user.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return role in names


# Who reads the working records (campaigns, requests and their event logs, responses, documents,
# figures): the people who run campaigns. A consumer, and an anonymous reader where reports are
# public, reads what was published: the aggregates, the dataset and the releases of published
# campaigns, without event notes, the forces' documents or the names of the people who keyed
# and confirmed figures (docs/api.md, "Who reads what").
RECORD_READERS = (RESEARCHER, DATA_ENTRY, ADMIN)


def reads_records(user: AbstractBaseUser | AnonymousUser) -> bool:
    return any(has_role(user, role) for role in RECORD_READERS)
