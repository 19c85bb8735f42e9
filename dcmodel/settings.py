"""dcmodel settings: read from the environment, with embedded defaults.

Nothing set: SQLite and uploads under var/, the Django-Q ORM broker and the
in-memory channel layer. DATABASE_URL switches to PostgreSQL; REDIS_URL switches
both the Django-Q broker and the channel layer to Redis. .env.example lists
every variable.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("DCMODEL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# A fixed development default, never a per-process random one: django-q2 signs
# task packages with it, so web and worker must agree. Set it in production.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dcmodel-development-only-not-secret")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # first, so runserver serves ASGI (HTTP + WebSocket)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_q",
    "channels",
    "imports",
    "validation",
    "jobs",
    "node_eval",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dcmodel.urls"
ASGI_APPLICATION = "dcmodel.asgi.application"
WSGI_APPLICATION = "dcmodel.wsgi.application"

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

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker share the file: wait for the lock instead of failing, take the
    # write lock at BEGIN so two writers never deadlock on upgrade, and journal in WAL
    # mode, so the pages and sockets keep reading while an import stores a big workbook
    # (with the default journal a long write locks readers out).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Progress events are written through a second connection, outside the import's
    # store transaction, so they reach the browser while a big workbook is being stored.
    # (SQLite has one writer at a time: there they are visible when the store commits.)
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Django-Q broker and channel layer ------------------------------------
REDIS_URL = env("REDIS_URL", default="")

# Django-Q2, chosen on purpose:
# - timeout: a task past it is stopped by SIGALRM and saved as failed; the engine's
#   own per-request deadline (DCMODEL_ENGINE_TIMEOUT) is shorter, so Node is killed first.
# - retry > timeout: the ORM broker hands an unacknowledged task out again after
#   `retry` seconds; a shorter value would run a long import twice.
# - max_attempts 1 + ack_failures: a failed import is final; the user retries it.
# - catch_up False: missed schedules (the stale-job check) are not replayed in a burst.
Q_BASE = {
    "name": "dcmodel",
    "timeout": env.int("DCMODEL_JOB_TIMEOUT", default=1800),
    "retry": env.int("DCMODEL_JOB_TIMEOUT", default=1800) + 300,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "workers": env.int("DCMODEL_WORKERS", default=2),
    "queue_limit": 4,
    "save_limit": 250,
}
if REDIS_URL:
    Q_CLUSTER = {**Q_BASE, "redis": REDIS_URL}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels-redis waits up to 5 s in BZPOPMIN; redis-py 8 reads with a 5 s
            # socket timeout by default, which races it ("Timeout reading from ...").
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    Q_CLUSTER = {**Q_BASE, "orm": "default"}  # without this key django-q2 tries Redis
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # Shared by web and worker (django-q2's monitor stats); `make run` creates the table.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dcmodel_cache",
        }
    }

# --- Auth, i18n, static, media ---------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:workbook_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = Path(env("DCMODEL_MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- REST framework and the JSON API (dcmodel/api.py) ------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with `WWW-Authenticate: Token`
    # (DRF answers 403 when the first class has no challenge to offer).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Every error, DRF's own included, as {"error": {"code", "message", ...}}.
    "EXCEPTION_HANDLER": "dcmodel.api.api_exception_handler",
    # Uploads per user, e.g. "20/hour" (unset: no limit); counted in the shared cache.
    "DEFAULT_THROTTLE_RATES": {"upload": env("DCMODEL_UPLOAD_RATE", default=None)},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dcmodel API",
    "DESCRIPTION": (
        "Import Excel models, recalculate every formula, and review where the result "
        "differs from Excel's cached values. See README.md, section JSON API."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CellStatusEnum": "imports.models.Cell.Status",
        "ValueTypeEnum": "imports.models.ValueTypes",
        "MismatchKindEnum": "validation.models.Mismatch.Kind",
        "ReviewStateEnum": "validation.models.Mismatch.Review",
        "JobStatusEnum": "jobs.models.JobRun.Status",
        "JobKindEnum": "jobs.models.JobRun.Kind",
        "StageEnum": "imports.services.stages.Stage",
    },
    # Swagger UI and Redoc from the installed sidecar package: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
INSTALLED_APPS.append("drf_spectacular_sidecar")  # its static files: the docs assets

# Uploads: the size limit is enforced while the body streams in (imports/uploads.py),
# before Django's own handlers spool it to memory or disk.
FILE_UPLOAD_HANDLERS = [
    "imports.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# --- dcmodel -----------------------------------------------------------------------
DCMODEL_EVALUATOR = env("DCMODEL_EVALUATOR", default="node_eval.client.HyperFormulaEvaluator")
DCMODEL_NODE = env("DCMODEL_NODE", default="node")
# Every request to the engine has this deadline (seconds); a build of a very large
# workbook gets DCMODEL_ENGINE_BUILD_TIMEOUT. Both stay below the job timeout.
DCMODEL_ENGINE_TIMEOUT = env.float("DCMODEL_ENGINE_TIMEOUT", default=120.0)
DCMODEL_ENGINE_BUILD_TIMEOUT = env.float("DCMODEL_ENGINE_BUILD_TIMEOUT", default=900.0)
DCMODEL_ENGINE_HEAP_MB = env.int("DCMODEL_ENGINE_HEAP_MB", default=3072)
# Extra HyperFormula configuration (JSON), for experiments: '{"smartRounding": false}'.
DCMODEL_ENGINE_OPTIONS = env.json("DCMODEL_ENGINE_OPTIONS", default={})
# Keep one Node process for successive imports of one Python process (batch runs).
DCMODEL_ENGINE_REUSE = env.bool("DCMODEL_ENGINE_REUSE", default=False)
# Validation tolerances: |calculated - cached| <= max(rel * max(|a|, |b|), abs).
DCMODEL_ABS_TOL = env.float("DCMODEL_ABS_TOL", default=1e-9)
DCMODEL_REL_TOL = env.float("DCMODEL_REL_TOL", default=1e-9)
# Upload and content limits (RELIABILITY.md 1.7).
DCMODEL_MAX_UPLOAD_BYTES = env.int("DCMODEL_MAX_UPLOAD_BYTES", default=100 * 1024 * 1024)
DCMODEL_MAX_CELLS = env.int("DCMODEL_MAX_CELLS", default=5_000_000)
# A processing job whose heartbeat is older than this (seconds) is failed as dead.
DCMODEL_STALE_AFTER = env.int("DCMODEL_STALE_AFTER", default=60)
# Address-space cap of each Django-Q worker process (0: none), see jobs/apps.py.
DCMODEL_WORKER_MEMORY_MB = env.int("DCMODEL_WORKER_MEMORY_MB", default=6144)
DCMODEL_CORPUS_DIR = Path(
    env("DCMODEL_CORPUS_DIR", default=str(BASE_DIR.parent / "shared" / "corpus"))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
