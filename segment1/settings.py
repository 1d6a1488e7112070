"""Settings, all read from the environment (django-environ).

With nothing set the project runs on an embedded default: a SQLite file, Celery on a filesystem
broker and mail to the console, so that `make run` works on a bare machine. Tests and production set
DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).

| variable                 | default                          |
|--------------------------|----------------------------------|
| DJANGO_SECRET_KEY        | an insecure development key      |
| DJANGO_DEBUG             | False                            |
| DJANGO_ALLOWED_HOSTS     | localhost,127.0.0.1              |
| DATABASE_URL             | sqlite:///var/segment1.sqlite3   |
| CELERY_BROKER_URL        | filesystem:// (folder var/broker)|
| CELERY_TASK_ALWAYS_EAGER | False                            |
| DEADLINE_SWEEP_MINUTES   | 5 (how often the beat sweeps)    |
| IJW_GASTHEERGEMEENTE     | 0855 (Tilburg: all iJw messages of the region run through its backoffice) |
| EMAIL_URL                | consolemail://                   |
| MEDIA_ROOT               | var/media                        |
| UPLOAD_MAX_BYTES         | 10485760 (10 MB)                 |
| DJANGO_HTTPS             | False: served over HTTPS (HSTS, SSL redirect, secure cookies) |
| DJANGO_SECURE_COOKIES    | same as DJANGO_HTTPS             |
| DJANGO_PROXY_SSL_HEADER  | False: trust X-Forwarded-Proto from the proxy in front |
| SESSION_IDLE_MINUTES     | 15 (a session ends after this long without a request) |
| AXES_FAILURE_LIMIT       | 5 failed logins, then locked     |
| AXES_COOLOFF_MINUTES     | 15 (how long a lock lasts)       |
| API_TOKEN_RATE           | 10/minute (POST /api/v1/token/)  |
| LOG_LEVEL                | WARNING                          |

Production: set DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_HTTPS=1 (DJANGO_DEBUG stays off);
`python manage.py check --deploy` is then clean (tests/security/test_deploy_check.py).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-segment1-hart-van-brabant")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "segment1",
    "accounts",
    "referrals",
    "coordination",
    "deadlines",
    "messaging",
    "privacy",
    # Django REST framework runs without "rest_framework" as an installed app: its Dutch catalogue would
    # replace Django's wording on every form of the site ("Dit veld is vereist." for "verplicht"), and the
    # API uses none of its templates. Its messages are translated by Django's catalogue or api.problems.
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "segment1.urls"
WSGI_APPLICATION = "segment1.wsgi.application"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'segment1.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Planner settings for this workload (ADR 0015), per connection so they hold on any server: short OLTP
    # queries, for which the JIT compiler spent longer compiling than running (700 ms of JIT for a 50 ms
    # dashboard query); and data that lives in memory or on SSD, where a random read costs about what a
    # sequential one does (the default 4 made PostgreSQL hash a million youths to find 1000 of them).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password is checked
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No anonymous user row: every page needs a login.
ANONYMOUS_USER_NAME = None
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", BASE_DIR / "node_modules/@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", BASE_DIR / "node_modules/@utrecht/design-tokens/dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules/chart.js/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: documents go through a view that checks access
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Celery: Redis in tests and production; a filesystem broker on the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("out", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
# Exactly one beat runs the deadline sweep and the nightly fold (deadlines.tasks); an old sweep that was
# never picked up expires.
DEADLINE_SWEEP_MINUTES = env.int("DEADLINE_SWEEP_MINUTES", default=5)
# The gastheergemeente [HvB-STAP]: its backoffice handles the messages of every gemeente of the region.
IJW_GASTHEERGEMEENTE = env.str("IJW_GASTHEERGEMEENTE", default="0855")
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "deadlines.tasks.sweep_deadlines",
        "schedule": DEADLINE_SWEEP_MINUTES * 60,
        "options": {"expires": DEADLINE_SWEEP_MINUTES * 60},
    },
    # The dashboard's kept counts grow by a few rows per write; folded at night (ADR 0015).
    "fold-dashboard-counts": {
        "task": "deadlines.tasks.fold_dashboard_counts",
        "schedule": crontab(hour=3, minute=15),
        "options": {"expires": 6 * 3600},
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="segment1@crossroads.example")

# --- Security (docs/decisions/0011-hardening.md) ------------------------------------------------------
# Sessions end after SESSION_IDLE_MINUTES without a request: every request renews the cookie's age.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=15) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# REST API under /api/v1/ (api app, ADR 0012): token or session, JSON only, errors as problem+json.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_RATE", default="10/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Segment 1 Hart van Brabant API",
    "DESCRIPTION": "Cases, their timeline and transitions, coordination, deadlines, documents and iJw messages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page (hx-headers in base.html), not the cookie
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env.bool("DJANGO_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): our own static files only; no inline script or style, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for one username from one address, that
# login is refused for AXES_COOLOFF_MINUTES; the login page says so in Dutch (accounts.views.locked_out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "accounts.axes.client_username"  # at most as long as a username can be
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if env.bool("DJANGO_PROXY_SSL_HEADER", default=False):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Optional second factor (django-otp, TOTP) for accounts marked `otp_required` in the beheerscherm.
OTP_TOTP_ISSUER = "Segment 1 Hart van Brabant"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
