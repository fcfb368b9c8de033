"""Settings of the pledge-financing portal, driven by environment variables.

They fail closed: the portal runs in production mode unless ``DJANGO_DEBUG`` says otherwise
(``make run`` and the tests say so), refuses to start without a real ``DJANGO_SECRET_KEY`` and
``DJANGO_ALLOWED_HOSTS``, and refuses any value it does not understand, naming the variable,
rather than reading it as "off". Every variable is listed in ``.env.example`` and the README.
"""

import datetime
import difflib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable the portal reads, as env() records it: .env.example and the README list the same.
ENVIRONMENT_VARIABLES = []
# Variables Django itself reads: never ours, never refused.
DJANGOS_OWN_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_COLORS",
    "DJANGO_SUPERUSER_USERNAME",
    "DJANGO_SUPERUSER_EMAIL",
    "DJANGO_SUPERUSER_PASSWORD",
    "DJANGO_AUTORELOAD_ENV",
    "DJANGO_WATCHMAN_TIMEOUT",
    "DJANGO_TEST_PROCESSES",
    "DJANGO_LIVE_TEST_SERVER_ADDRESS",
    "DJANGO_RUNSERVER_HIDE_WARNING",
}
# Variables that meant something once: starting with one set would silently ignore it.
RETIRED_VARIABLES = {
    "DJANGO_BEHIND_PROXY": "DJANGO_BEHIND_PROXY is replaced by DJANGO_TRUSTED_PROXIES, the "
    "number of reverse proxies in front of the portal (1 behind one proxy, 0 without).",
}
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


def env(name, default=""):
    ENVIRONMENT_VARIABLES.append(name)
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_bool(name, default):
    value = env(name)
    if not value:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is neither true nor false: write true or false (or 1/0, yes/no)."
    )


def env_int(name, default, minimum=0):
    value = env(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number of at least {minimum}.")
    return number


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_choice(name, default, choices):
    value = env(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def covers_a_public_suffix(host):
    """Whether ``.host`` would answer to names anyone can register (``.cn``, ``.gov.cn``, ``.``)."""
    from publicsuffixlist import PublicSuffixList

    name = host.strip(".").lower()
    return not name or PublicSuffixList().is_public(name)


DEBUG = env_bool("DJANGO_DEBUG", False)

_LOCAL_SECRET_KEY = "local-development-only-never-use-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if DEBUG:
    SECRET_KEY = SECRET_KEY or _LOCAL_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    # Production must be configured on purpose, never by falling back to placeholders: a web
    # server or a command (migrate, backup, restore, remind_deadlines…) started without its
    # environment refuses, naming every variable it lacks, rather than work on a local file.
    _missing = []
    if not os.environ.get("DATABASE_URL", "").strip():
        _missing.append(
            "DATABASE_URL must be set when DJANGO_DEBUG is off (postgres://... in production; "
            "an explicit sqlite:///path is accepted)."
        )
    if not SECRET_KEY or _LOCAL_SECRET_KEY in SECRET_KEY or len(SECRET_KEY) < 50:
        _missing.append(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
            "when DJANGO_DEBUG is off (production, the default)."
        )
    if not ALLOWED_HOSTS:
        _missing.append("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
    if _missing:
        raise ImproperlyConfigured(
            " ".join(_missing) + " For a local run set DJANGO_DEBUG=true, as `make run` does."
        )
    if "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must name the portal's host names; '*' is refused in production."
        )
    # A leading dot answers to every name below: below a public suffix (.cn, .gov.cn), that is
    # any host anyone can register.
    _wide = [
        host for host in ALLOWED_HOSTS if host.startswith(".") and covers_a_public_suffix(host)
    ]
    if _wide:
        raise ImproperlyConfigured(
            f"DJANGO_ALLOWED_HOSTS: {', '.join(_wide)} answers to every host name under a public "
            "suffix; name the portal's own host (zscq.example.gov.cn), or a domain of your own "
            "(.example.gov.cn)."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Django's system checks the installation chooses to live with, by name (security.W008…): in
# production every other warning of the deployment checks stops the web server (config/wsgi.py).
SILENCED_SYSTEM_CHECKS = env_list("DJANGO_SILENCED_CHECKS")
# A refused form is a page of the portal that says to reload it (Django's is rendered bare).
CSRF_FAILURE_VIEW = "lib.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tables2",
    "simple_history",
    # The rules are registered by accounts.roles, the one module that decides who may do what.
    "rules",
    # The audit trail: below every app of the portal, it knows none of them.
    "audit",
    # django-axes, named in the user's language (accounts.apps.AxesConfig)
    "accounts.apps.AxesConfig",
    # The second factor (TOTP and single-use recovery codes) and CAS single sign-on: the
    # portal's log-in (accounts.views) drives them; their admin pages are not offered.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_cas_ng",
    # The portal's own apps, lowest layer first (tests/test_layers.py holds them to it).
    "cities",
    "accounts",
    "periods",
    "uploads",
    "workflow",
    "reporting",
    "contracts",
    "measures",
    "analysis",
    "circulars",
    # Knows no app: backs up whatever tables there are.
    "backups",
    # On top of every app: the home page, the navigation and the one loaddemo.
    "portal",
    "import_export",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside every middleware that may answer on its own (a refused host is answered by
    # CommonMiddleware, a refused form by CsrfViewMiddleware): every response carries them.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The request being answered, for the links of the e-mail it sends (in a local run) and
    # for the audit trail (who, from where).
    "lib.requests.CurrentRequestMiddleware",
    # Idle and absolute session limits; a password that must change before anything else; no
    # session of a role that needs a second factor without one.
    "accounts.sessions.SessionLimitsMiddleware",
    # Records each download and each refused page (403) in the audit trail.
    "audit.middleware.AuditMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed log-ins and refuses locked-out ones before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # CAS single sign-on (off unless DJANGO_CAS_SERVER_URL is set): a ticket, never a password.
    "accounts.cas.CASBackend",
]

ROOT_URLCONF = "config.urls"

# What the apps above reporting link from its pages, page by page and in this order
# (``lib.links``): each function (user, the object shown) returns (label, url) pairs.
# Written here, where every app is known: reporting knows none of them.
PAGE_LINKS = {
    # A report of figures: its contracts, its unit's measures, its unit's history.
    "reporting:report": [
        "contracts.links.report_page_links",
        "measures.links.report_page_links",
        "analysis.links.report_page_links",
    ],
    # A ranked table: its PDF in the layout of the circular's attachment.
    "reporting:ranked_table": ["circulars.links.ranked_table_links"],
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default of a local run (DJANGO_DEBUG on); DATABASE_URL selects
# PostgreSQL in production, where it must be set (above): a misspelt name would otherwise put
# the official data in a local file nobody backs up.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: wait for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's rules; the length rule (10 characters) is ours only for a refusal that reads in Chinese.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.NotBlankValidator"},
    {"NAME": "accounts.passwords.HistoryValidator", "OPTIONS": {"count": 5}},
]
# A password must be changed after this many days (and at once when someone else set it).
PASSWORD_MAX_AGE_DAYS = env_int("DJANGO_PASSWORD_MAX_AGE_DAYS", 90, minimum=1)

# Lock-out after repeated failed log-ins (django-axes; accounts.lockout says how). Offices share
# one NAT address, so a user name is locked from one address after AXES_FAILURE_LIMIT failures,
# and an address only after AXES_ADDRESS_FAILURE_LIMIT failures across user names (spraying).
# A lock lifts a cool-off after the failure that set it (tries while locked do not extend it),
# or at once when an administrator deletes the attempts in the admin (or runs `axes_reset`).
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_AXES_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 30, minimum=1)
)
AXES_HANDLER = "accounts.lockout.LockoutHandler"
# The order matters: LockoutHandler reads the user name's count first, the address's second.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "lib.client_ip.client_ip"

# The audit trail keeps every event at least this long (the Cybersecurity Law asks six months);
# only `audit_prune` removes older ones.
AUDIT_RETENTION_DAYS = env_int("DJANGO_AUDIT_RETENTION_DAYS", 180, minimum=180)

# Who may still log in with a local password once single sign-on is on: everyone ("all"), the
# console-made emergency account only ("superuser"), or nobody ("none").
LOCAL_LOGIN = env_choice("DJANGO_LOCAL_LOGIN", "all", ("all", "superuser", "none"))

# CAS single sign-on through the province's identity platform (django-cas-ng): off unless the
# server's address is set. A CAS user is the local account of the same user name (or of the
# value of CAS_USERNAME_ATTRIBUTE, such as 工号); roles and units stay the 安全管理员's to grant.
CAS_SERVER_URL = env("DJANGO_CAS_SERVER_URL") or None
CAS_VERSION = env_choice("DJANGO_CAS_VERSION", "3", ("2", "3"))
CAS_USERNAME_ATTRIBUTE = env("DJANGO_CAS_USERNAME_ATTRIBUTE", "cas:user")
# An unknown CAS user is recorded as an inactive account awaiting a role (never logged in).
CAS_CREATE_INACTIVE = env_bool("DJANGO_CAS_CREATE_INACTIVE", False)
# The attribute by which the platform says it used more than a password: without it, a CAS
# log-in asks the portal's own second factor. Unset: the platform's authentication stands.
CAS_REQUIRE_ATTRIBUTE = env("DJANGO_CAS_REQUIRE_ATTRIBUTE")
# Seconds to wait for the CAS server to validate a ticket.
CAS_TIMEOUT_SECONDS = env_int("DJANGO_CAS_TIMEOUT_SECONDS", 5, minimum=1)
CAS_CREATE_USER = False


def _cas_session():
    """The HTTP session tickets are validated with: a time-out, a bounded answer, no DTD."""
    from accounts.cas import bounded_session

    return bounded_session()


CAS_SESSION_FACTORY = _cas_session
CAS_REDIRECT_URL = "home"
# Without a ?next=, a CAS log-in goes home (not back to the page it was clicked on, the log-in).
CAS_IGNORE_REFERER = True
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
if CAS_SERVER_URL and not CAS_SERVER_URL.endswith("/"):
    CAS_SERVER_URL += "/"
if not DEBUG:
    if CAS_SERVER_URL and not CAS_SERVER_URL.startswith("https://"):
        raise ImproperlyConfigured(
            f"DJANGO_CAS_SERVER_URL={CAS_SERVER_URL!r}: tickets are validated over HTTPS only "
            "in production (https://…)."
        )
if LOCAL_LOGIN != "all" and not CAS_SERVER_URL:
    raise ImproperlyConfigured(
        f"DJANGO_LOCAL_LOGIN={LOCAL_LOGIN!r} turns local passwords off, but DJANGO_CAS_SERVER_URL "
        "is not set: nobody could log in. Set the CAS server, or DJANGO_LOCAL_LOGIN=all."
    )

# The second factor (TOTP, RFC 6238, django-otp): the roles that must have one (the rest may
# enrol). Wrong codes count against the log-in lock-out above, so django-otp's own growing
# delays stay off (they would also refuse a right code typed just after a wrong one).
SECOND_FACTOR_ROLES = ("submitter", "reviewer", "administrator", "security", "auditor", "superuser")
OTP_REQUIRED_ROLES = env_list(
    "DJANGO_OTP_REQUIRED_ROLES", "reviewer,administrator,security,auditor,superuser"
)
if OTP_REQUIRED_ROLES == ["none"]:
    OTP_REQUIRED_ROLES = []
_unknown_roles = sorted(set(OTP_REQUIRED_ROLES) - set(SECOND_FACTOR_ROLES))
if _unknown_roles:
    raise ImproperlyConfigured(
        f"DJANGO_OTP_REQUIRED_ROLES: {', '.join(_unknown_roles)} is not a role; the roles are "
        f"{', '.join(SECOND_FACTOR_ROLES)} (or none)."
    )
OTP_TOTP_ISSUER = "河南省知识产权质押融资报送系统"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The admin shows the history of reports but never reverts to an old version: state and figures
# change only through the workflow's services.
SIMPLE_HISTORY_REVERT_DISABLED = True

# django-import-export (admin exports): only who may view may export. Formula cells are escaped
# by the portal's own export formats (lib.admin_exports), the one escaping every export uses;
# the library's (one leading "=" dropped, every XLSX number made text) stays off.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# The upload between the admin's preview and its confirmation: in the shared file cache (every
# worker sees it, nothing is served from it, entries expire after a day).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

# Uploads of figures: the largest file accepted.
IMPORT_MAX_BYTES = env_int("DJANGO_IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
# Documents attached to measures (a policy's PDF, DOCX or OFD): the largest kept.
MEASURE_DOCUMENT_MAX_BYTES = env_int("DJANGO_DOCUMENT_MAX_MB", 10, minimum=1) * 1024 * 1024

# Rendered documents are cached by fingerprint; a file cache is shared by all workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# Minutes without a request after which a log-in ends (SESSION_COOKIE_AGE ends it in any case).
SESSION_IDLE_MINUTES = env_int("DJANGO_SESSION_IDLE_MINUTES", 30, minimum=1)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS: read (and checked) in every mode, applied in production only.
_ssl_redirect = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
_secure_cookies = env_bool("DJANGO_SECURE_COOKIES", True)
_hsts_seconds = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
_hsts_subdomains = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
_hsts_preload = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Reverse proxies in front of the portal. Each appends the address it saw to X-Forwarded-For,
# so the client is the entry this many places from the right; whatever stands further left
# was written by the client. The lock-out and the logs use that address.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
if not DEBUG:
    SECURE_SSL_REDIRECT = _ssl_redirect
    SESSION_COOKIE_SECURE = _secure_cookies
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = _hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _hsts_subdomains
    SECURE_HSTS_PRELOAD = _hsts_preload
    if TRUSTED_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The portal's address as users reach it, for links in e-mail: in production always; in a local
# run (DEBUG) for e-mail sent by commands, while e-mail sent from a page links to the address
# that page was reached at (lib.email_links).
PORTAL_BASE_URL = env("DJANGO_PORTAL_BASE_URL", "http://127.0.0.1:8000")
# The service address CAS tickets are issued for: in production the portal's address as users
# reach it (a proxy may rewrite the host the portal sees), in a local run the page's own.
if not DEBUG:
    CAS_ROOT_PROXIED_AS = PORTAL_BASE_URL

# Fonts of the printed circulars: the free Fandol fonts set-up fetches, and optionally licensed
# official font files, as "role=path" pairs (roles: fang, hei, kai, song, xiaobiaosong).
CIRCULAR_FANDOL_DIR = Path(env("DJANGO_CIRCULAR_FANDOL_DIR", BASE_DIR / "var" / "fonts" / "fandol"))
CIRCULAR_FONT_FILES = {}
for _item in env_list("DJANGO_CIRCULAR_FONT_FILES"):
    _role, _sep, _path = _item.partition("=")
    if not (_sep and _role.strip() and _path.strip()):
        raise ImproperlyConfigured(f"DJANGO_CIRCULAR_FONT_FILES: {_item!r} is not role=path.")
    CIRCULAR_FONT_FILES[_role.strip()] = _path.strip()

# How the title of a table whose period is still open is marked: 2021年河南省专利质押融资初步统计表
# (preliminary) or 2021年河南省专利质押融资统计表（征求意见稿） (consultation).
OPEN_TABLE_MARK = env_choice(
    "DJANGO_OPEN_TABLE_MARK", "preliminary", ("preliminary", "consultation")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Records about a request (refused hosts, CSRF failures, errors) name the client's address,
    # the same one the lock-out counts (DJANGO_TRUSTED_PROXIES).
    "filters": {"client": {"()": "lib.client_ip.ClientAddressFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client"], "formatter": "plain"}
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "DJANGO_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
    # django-axes logs every log-in at INFO; failures and lock-outs are WARNING.
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Content-Security-Policy: every page runs and styles itself only from the portal's own static
# files: no inline <script>, <style>, style="…" or on…= handlers, nothing from another host, no
# plug-ins, no framing, forms post only here. Charts are inline SVG drawn on the server (DOM, not
# an image load), so images need no data: source. A page that breaks this shows a violation in
# the browser's console, and the tests walk every page for one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if CAS_SERVER_URL:
    # The log-out form leads on to the identity platform's log-out (browsers hold a form's
    # redirects to form-action too).
    from urllib.parse import urlsplit as _urlsplit

    _platform = _urlsplit(CAS_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_platform.scheme}://{_platform.netloc}"
    )

# A DJANGO_ variable the portal does not read is a misspelling or a retired name: starting
# anyway would quietly run without what its author meant to set.
for _name in sorted(os.environ):
    if _name in RETIRED_VARIABLES:
        raise ImproperlyConfigured(RETIRED_VARIABLES[_name])
    if (
        _name.startswith("DJANGO_")
        and _name not in ENVIRONMENT_VARIABLES
        and _name not in DJANGOS_OWN_VARIABLES
    ):
        _close = difflib.get_close_matches(_name, ENVIRONMENT_VARIABLES, n=1)
        raise ImproperlyConfigured(
            f"{_name} is not a setting of the portal"
            + (f" (did you mean {_close[0]}?)" if _close else "")
            + "; the variables are listed in .env.example."
        )
