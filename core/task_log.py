"""A Celery task that fails for good is logged with what the on-call needs to act: the task, its
id, the row it was about (tasks take ids only, so the arguments are safe to log), and the error.
Email addresses in an error (a mail server quoting the recipient) are masked."""

from __future__ import annotations

import logging
import re

from celery.signals import task_failure

logger = logging.getLogger("foitracker.tasks")

EMAIL = re.compile(r"[^\s<>()\"',;:]+@[^\s<>()\"',;:]+")


def error_text(error: BaseException) -> str:
    """The error's class and message, with addresses masked, cut to a log line's length."""
    return EMAIL.sub("<address>", f"{type(error).__name__}: {error}")[:500]


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, args=None, **kwargs) -> None:
    row_ids = [arg for arg in args or () if isinstance(arg, int)]
    logger.error(
        "Task failed",
        extra={
            "task": getattr(sender, "name", str(sender)),
            "task_id": task_id,
            "row_ids": row_ids,
            "error": error_text(exception),
        },
    )
