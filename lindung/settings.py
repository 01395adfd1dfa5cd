"""Lindung settings: one module, driven by environment variables (see .env.example).

SQLite (WAL) by default so `make run` needs nothing else; PostgreSQL when DATABASE_URL is set.
Bad values fail loudly at start-up rather than being silently replaced.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LINDUNG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


LINDUNG_ENV = os.environ.get("LINDUNG_ENV", "development")
if LINDUNG_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"LINDUNG_ENV must be development, test or production, got {LINDUNG_ENV!r}"
    )
PRODUCTION = LINDUNG_ENV == "production"

# Off unless asked for (LINDUNG_DEBUG=1), also in development: `make run` serves like the
# product, with the Indonesian error pages instead of Django's debug page.
DEBUG = env_bool("LINDUNG_DEBUG", default=False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # Development and tests: a random key kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o750)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "lindung.common",
    "lindung.audit",
    "lindung.regions",
    "lindung.accounts",
    "lindung.rules",
    "lindung.programs",
    "lindung.workers",
    "lindung.intake",
    "lindung.register",
    "lindung.verification",
    "lindung.enrollment",
    "lindung.billing",
    "lindung.claims",
    "lindung.monitoring",
    "lindung.demo",
    "lindung.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages only (whitenoise answers static files above): the CSP header and no-store.
    "csp.middleware.CSPMiddleware",
    "lindung.common.headers.NoStoreMiddleware",
    "lindung.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads a parameter: a NUL character is refused with 400.
    "lindung.common.middleware.NulRefusedMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells the user why they were logged out.
    "lindung.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "lindung.urls"
WSGI_APPLICATION = "lindung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lindung" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lindung.accounts.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o750)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "lindung.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing with "database is locked" mid-transaction (SQLite has no
                # SELECT ... FOR UPDATE).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and sessions ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # BSSN 4/2021 (web application standard): at least 12 characters with upper and lower
    # case, a digit and a symbol. See docs/decisions/0003-password-policy.md.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "lindung.accounts.passwords.CompositionValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Idle timeout: the cookie lives SESSION_IDLE_SECONDS after the last request.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
# Absolute lifetime, enforced by SessionLifetimeMiddleware (ASVS 7.3.2).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60

if LINDUNG_ENV == "test":
    # Tests create many users; the production hasher's 1M PBKDF2 rounds would dominate.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0 = trust none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The address the public reaches Lindung at: the QR code on participants' cards opens
# its status check (<LINDUNG_PUBLIC_URL>/cek/).
LINDUNG_PUBLIC_URL = os.environ.get("LINDUNG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Internationalisation ---------------------------------------------------------------
# The interface speaks Bahasa Indonesia; source strings are written in Indonesian and
# wrapped in gettext (docs/decisions/0002-indonesian-source-strings.md).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia"))]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off: ids and codes rendered in templates must stay plain; amounts and counts for people
# go through the `rupiah` and `thousands` filters.
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [BASE_DIR / "lindung" / "locale"]
# Long Indonesian dates ("6 Desember 2026") wherever a template prints a plain date.
FORMAT_MODULE_PATH = ["lindung.common.formats"]

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "lindung" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded agency files live outside MEDIA_ROOT's public URL space: never served, only read
# by the importer (ASVS 5.3.2: stored under server-generated names).
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", VAR_DIR / "uploads"))
# Register snapshots are immutable: a columnar copy of each (Parquet) spares verification the
# database read of a million rows. Only a cache: deleting it costs the next run a few seconds.
REGISTER_CACHE_DIR = Path(os.environ.get("REGISTER_CACHE_DIR", VAR_DIR / "register-cache"))
# Agency lists: Django must accept the file before our own checks look at it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
INTAKE_MAX_BYTES = env_int("INTAKE_MAX_BYTES", 50 * 1024 * 1024)
INTAKE_MAX_ROWS = env_int("INTAKE_MAX_ROWS", 200_000)
# Feedback files of lists up to this many rows are written while the user waits; larger
# ones (60.000 rows take about 16 s) are written by a background job with a progress page.
INTAKE_FEEDBACK_SYNC_ROWS = env_int("INTAKE_FEEDBACK_SYNC_ROWS", 5_000)

# --- Background tasks -------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The process running a job beats for it this often (0: never, the tests' default, which
# hand-set heartbeats); a running job silent this long lost its process and is marked failed
# (lindung.common.jobs, issue 15 point 5).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 0 if LINDUNG_ENV == "test" else 30)
JOB_DEAD_AFTER_SECONDS = env_int("JOB_DEAD_AFTER_SECONDS", 3 * 60)

# --- E-mail (password reset) ------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lindung@localhost")

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4, issue 15 point 4): scripts and styles only from our
# own static files; no inline script, handler or style attribute, no eval (htmx runs with
# allowEval off, see base.html). QR codes on pages are data: images.
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
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Personal data (NIK) must not leak into error e-mails.
DEFAULT_EXCEPTION_REPORTER_FILTER = "lindung.common.errors.PersonalDataReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # NIK-shaped runs are masked in every log line (issue 15, point 3).
    "formatters": {"scrubbed": {"()": "lindung.common.errors.NikScrubbingFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "scrubbed"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
