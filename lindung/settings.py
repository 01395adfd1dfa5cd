"""Lindung settings: one module, driven by environment variables (see .env.example).

SQLite (WAL) by default so `make run` needs nothing else; PostgreSQL when DATABASE_URL is set.
Bad values fail loudly at start-up rather than being silently replaced.
"""

from __future__ import annotations

import datetime as dt
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


def weak_secret_key(key: str) -> str | None:
    """Why `key` is too weak to sign sessions and password-reset links, or None. The bar is
    Django's own deployment check (security.W009): at least 50 characters, at least 5
    different ones, not a generated development key (`django-insecure-...`)."""
    if key.startswith("django-insecure-"):
        return "it is a development key (django-insecure-...)"
    if len(key) < 50:
        return f"it has {len(key)} characters, at least 50 are needed"
    if len(set(key)) < 5:
        return f"it has only {len(set(key))} different characters, at least 5 are needed"
    return None


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if PRODUCTION and key and (weakness := weak_secret_key(key)) is not None:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: {weakness}. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'` "
            "(docs/deployment.md, Secrets)."
        )
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
# Old keys still accepted for signatures (sessions, reset links) while rotating: set the new
# key as SECRET_KEY, the old one here, remove it after SESSION_ABSOLUTE_SECONDS / a day.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
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
    # Lockout after repeated failed logins; TOTP second factor (issue 15 point 1).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "lindung.privacy",
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
    "django_otp.middleware.OTPMiddleware",
    # Before any view reads a parameter: a NUL character is refused with 400.
    "lindung.common.middleware.NulRefusedMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells the user why they were logged out.
    "lindung.accounts.middleware.SessionLifetimeMiddleware",
    # A signed-in user still owing the second factor reaches only the code page.
    "lindung.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a locked-out login into the Indonesian lockout page.
    "axes.middleware.AxesMiddleware",
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
# The page size of a new SQLite database: 16 KiB, not SQLite's 4 KiB. Lindung writes in bulk
# (a verification run's 100.000 verdicts are 51 MB): each page is a frame of the WAL, written
# and then checkpointed into the database with a system call of its own, so a quarter of the
# pages is a quarter of the calls. A full-size `lindung verify` commits and checkpoints in
# 0,14-0,20 s instead of 0,22-0,28 s, and reads its rows in 0,35-0,53 s instead of
# 0,43-0,58 s (docs/benchmarks.md, issue 10 session 15).
SQLITE_PAGE_SIZE = 16_384
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
                    # Before the WAL switch: it takes effect on a new database only (an
                    # existing one keeps its own, docs/deployment.md).
                    f"PRAGMA page_size={SQLITE_PAGE_SIZE};"
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
    # No character 4+ times in a row, at least 6 different ones; not an Indonesian
    # common password; none of the last 5 (issue 15 point 1).
    {"NAME": "lindung.accounts.passwords.RepetitionValidator"},
    {"NAME": "lindung.accounts.passwords.IndonesianCommonPasswordValidator"},
    {"NAME": "lindung.accounts.passwords.HistoryValidator"},
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

# --- Lockout and second factor (issue 15 point 1, docs/security.md) ---------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses any login, even with the right password, while locked out.
    # (with the wider rules per address and per account: lindung.accounts.lockout).
    "lindung.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# LOCKOUT_FAILURES failed logins for one account from one address lock that pair for
# LOCKOUT_MINUTES (goal S6). Per pair, not per address alone: a Pemda office shares one
# public address, and one person's typos must not lock out the whole office.
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And wider: an address failing this often over any accounts, an account failing this often
# over any addresses, within the same cool-off, is refused too (lindung.accounts.lockout).
LOCKOUT_ADDRESS_FAILURES = env_int("LOCKOUT_ADDRESS_FAILURES", 30)
LOCKOUT_ACCOUNT_FAILURES = env_int("LOCKOUT_ACCOUNT_FAILURES", 20)
# The same address the audit log records (X-Forwarded-For only behind TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "lindung.audit.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "lindung.accounts.mfa_views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True  # the audit log already records every login
AXES_VERBOSE = False
# TOTP second factor for every staff role. Off by default in development and tests (the
# demo logins and the suite's force_login); production refuses to start without it.
LINDUNG_MFA_REQUIRED = env_bool("LINDUNG_MFA_REQUIRED", PRODUCTION)
if PRODUCTION and not LINDUNG_MFA_REQUIRED:
    raise ImproperlyConfigured("LINDUNG_MFA_REQUIRED cannot be switched off in production")
OTP_TOTP_ISSUER = "Lindung"
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

# Raw uploaded files and register snapshots' rows are destroyed after this many days by
# `lindung retention purge` (UU PDP Ps. 16(2), 43-44; docs/security.md "Retention"): a
# program year plus the year its accounts are audited (BPK), then the rows kept in the
# database are the record.
LINDUNG_RETENTION_DAYS = env_int("LINDUNG_RETENTION_DAYS", 730)
if LINDUNG_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("LINDUNG_RETENTION_DAYS must be a positive number of days")

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
# SMTP relay of the Pemda (docs/deployment.md, E-mail): STARTTLS on 587 by default.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
# Error reports (500s) by e-mail, NIKs scrubbed: "ADMINS=Tim TI <ti@pemda.go.id>,ops@x.go.id".
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [
    (entry.split("<")[0].strip() or entry, entry.split("<")[-1].rstrip(">").strip())
    for entry in env_list("ADMINS", [])
]

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
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
