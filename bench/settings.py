"""The product's settings as production runs them (no debug query log), with a URLconf that adds
the do-nothing view, and throttles lifted so the benchmark measures the work, not the budget."""

import warnings

from foitracker.settings import *  # noqa: F403
from foitracker.settings import REST_FRAMEWORK

DEBUG = False
ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000000/hour" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    },
}
# The benchmark serves no static files, so it does not collect them.
warnings.filterwarnings("ignore", message="No directory at")
# One JSON line per request would cost more than the do-nothing view itself.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
