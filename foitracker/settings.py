"""Settings, all from the environment (see .env.example). The defaults suit a laptop: SQLite, no
Redis, debug on. DJANGO_ENV=production turns the defaults off and requires the secrets."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENV == "production"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or required("ALLOWED_HOSTS").split(",")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DEBUG = os.environ.get("DEBUG", "1") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "core",
    "accounts",
    "requests_app",
    "responses_app",
    "correspondence",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.request_id.RequestIdMiddleware",
    "core.request_limits.BodySizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "foitracker.urls"
WSGI_APPLICATION = "foitracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is tested before each request reuses it, so after a database restart
        # the first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code when its estimated cost is high, and the
    # aggregates' estimates are (a campaign filter that keeps ten rows is costed at thousands):
    # at a million figures compiling took 1 s of a coverage query that ran in 0.1 s (bench/,
    # docs/BENCHMARKS.md). Off for this application's connections; POSTGRES_JIT=on restores it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit={'on' if os.environ.get('POSTGRES_JIT') == 'on' else 'off'}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Sign-in protection (django-axes): N failed sign-ins for one username from one address lock
# that pair out for the cool-off; a success resets the count. `axes_reset` unlocks early.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "60")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.sign_in.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.sign_in.lockout_response"
# Failed sign-ins are counted in the database (shared by every web process); no passwords kept.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Behind the proxy (core/client_address.py): the addresses whose X-Forwarded-For is believed (the
# list gunicorn trusts), and how many proxies each append an entry to it (nginx alone: 1; a load
# balancer in front of nginx: 2). The client is the NUM_PROXIES-th entry from the right; the
# throttles and the sign-in lock-out both count that address. 0: believe no header.
TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "1"))

LANGUAGE_CODE = "en-gb"
# Legal deadlines are counted in UK dates, so "today" is today in London.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
LOGIN_URL = "admin:login"

# Documents attached to responses: the upload limit, and what an XLSX or DOCX (a zip) may unpack
# to before it is refused as a possible zip bomb.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", 20 * 1000 * 1000))
DOCUMENT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("DOCUMENT_MAX_UNCOMPRESSED_BYTES", 200 * 1000 * 1000)
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "ORDERING_PARAM": "ordering",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Every signed-in caller has a budget; the reports that scan the dataset have a smaller one,
    # and anonymous readers (per address) a smaller one still. Counted in the shared cache with
    # an atomic increment (core/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttles.AnonRateThrottle",
        "core.throttles.UserRateThrottle",
        "core.throttles.ScopedRateThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_RATE_ANON", "300/hour"),
        "user": os.environ.get("API_RATE_USER", "5000/hour"),
        "heavy": os.environ.get("API_RATE_HEAVY", "600/hour"),
    },
}

# API tokens all expire: made without an expiry they last API_TOKEN_DEFAULT_DAYS, and none may
# last more than API_TOKEN_MAX_DAYS (a token made with a token also expires no later than it).
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))

# What anonymous callers may read, published campaigns only: "releases" (the published
# releases and their files, by default), "aggregates", "dataset", "compliance". Empty: nothing.
FOI_PUBLIC_ENDPOINTS = env_list("FOI_PUBLIC_ENDPOINTS", "releases")
# Who publishes the releases, as their suggested citation names it.
FOI_PUBLISHER = os.environ.get("FOI_PUBLISHER", "FOI Tracker")

SPECTACULAR_SETTINGS = {
    "TITLE": "FOI Tracker API",
    "DESCRIPTION": "Freedom of Information requests to police forces, their legal deadlines, "
    "responses and the figures extracted from them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RequestStatusEnum": "requests_app.status.Status.choices",
        "EventKindEnum": "requests_app.status.EventKind.choices",
        "FigureStatusEnum": "responses_app.values.ValueStatus.choices",
        "MessageStateEnum": "correspondence.models.State.choices",
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "")
# Without a broker, tasks (reminders, mail) run inside the web process: right for a laptop, but
# in production it means no retries and a page that waits for the mail server, so production
# refuses to start that way unless it is asked for by name.
TASKS_IN_PROCESS = not REDIS_URL
if PRODUCTION and TASKS_IN_PROCESS and os.environ.get("TASKS_IN_PROCESS") != "1":
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DJANGO_ENV=production (Celery's broker); set "
        "TASKS_IN_PROCESS=1 to run tasks inside the web process instead."
    )
# One cache for every web process and machine (the API's throttles count in it): Redis when
# CACHE_URL or REDIS_URL is set, else each process's own memory, which is right for one process
# on a laptop only. The prefix keeps installations that share a Redis apart.
CACHE_URL = os.environ.get("CACHE_URL", REDIS_URL)
CACHES = {
    "default": (
        {
            # Django's, with one Redis client kept for each connection pool (core/redis_cache.py).
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "foitracker"),
            "TIMEOUT": 300,
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = TASKS_IN_PROCESS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# With acks_late, a worker holds one unacknowledged task at a time, so a killed worker strands
# at most one; Redis hands it out again after the visibility timeout.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A send under way when the broker connection drops finishes and marks its row; its message,
# never acknowledged, comes back later and finds the row sent.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Give up publishing after a few seconds when Redis is down: the rows are safe in the database
# and the next sweep queues them again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "foi-tracker@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Correspondence with the forces by email (docs/email.md). Letters go From this address, with a
# Reply-To of the request's own: REPLY_ADDRESS with {token} in place of a random token, so one
# mailbox with plus-addressing serves every request.
CORRESPONDENCE_FROM_EMAIL = os.environ.get("CORRESPONDENCE_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# Empty in production until set: sending by email is then refused with a message saying so.
REPLY_ADDRESS = os.environ.get("REPLY_ADDRESS", "" if PRODUCTION else "foi+{token}@localhost")
if REPLY_ADDRESS and ("{token}" not in REPLY_ADDRESS or REPLY_ADDRESS.count("@") != 1):
    raise ImproperlyConfigured("REPLY_ADDRESS must be an address with {token} in it.")
# The tracker's reference in every subject ("[FT-123]"); replies that keep it are matched.
MAIL_REFERENCE_PREFIX = os.environ.get("MAIL_REFERENCE_PREFIX", "FT")
# Letters a minute, across the deployment: a 46-force campaign at 20 a minute takes 2.3 minutes
# and stays under common provider limits.
MAIL_SEND_RATE_PER_MINUTE = int(os.environ.get("MAIL_SEND_RATE_PER_MINUTE", "20"))
MAIL_SEND_ATTEMPTS = int(os.environ.get("MAIL_SEND_ATTEMPTS", "6"))
# A message over this size is filed with its headers only (the force is asked for the files
# another way); each attachment must also pass DOCUMENT_MAX_BYTES.
MAIL_MAX_BYTES = int(os.environ.get("MAIL_MAX_BYTES", 40 * 1000 * 1000))
# The mailbox the replies arrive in, polled by beat and `fetch_email`:
# imaps://user:password@host/INBOX (imap:// only on loopback, for tests). Empty: not polled.
IMAP_URL = os.environ.get("IMAP_URL", "")
# Where a filed message goes: empty keeps it in place with the keyword below set; a folder
# name moves it there (for servers that refuse custom keywords).
IMAP_FILED_FOLDER = os.environ.get("IMAP_FILED_FOLDER", "")
IMAP_FILED_KEYWORD = "$FoiFiled"
IMAP_TIMEOUT = int(os.environ.get("IMAP_TIMEOUT", "30"))


# Content security policy: everything from this server and no inline script (the API docs use the
# split view, whose script is a separate file). Inline styles are allowed: the admin and the API
# docs page carry a few, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Logs are JSON lines with the request id; no request bodies, tokens or personal data are logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs every 4xx with the path; keep warnings, which carry no bodies or headers.
        "django.request": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        # Failed sign-ins and lock-outs; django-axes masks the username and address in them.
        "axes": {"level": "WARNING"},
    },
}

if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    # Health checks come from the load balancer over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [
        f"https://{host}" for host in ALLOWED_HOSTS
    ]
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
