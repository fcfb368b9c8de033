"""A CAS server for the tests (django-mama-cas): the identity platform the portal logs in
through, started on the loopback by ``tests.support.cas`` with users of its own."""

import os

SECRET_KEY = "cas-server-of-the-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "mama_cas",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.support.cas_server.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CAS_SERVER_DB"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The portal runs on localhost and this server on 127.0.0.1; cookies of their own names all
# the same (a browser keeps cookies per host, not per port).
SESSION_COOKIE_NAME = "cas_server_session"
CSRF_COOKIE_NAME = "cas_server_csrftoken"
MAMA_CAS_ENABLE_SINGLE_SIGN_OUT = True
MAMA_CAS_SERVICES = [
    {
        # The portal's service address, and its log-in page (where its log-out returns).
        "SERVICE": r"^http://localhost:\d+/accounts/(cas/)?login/",
        "CALLBACKS": ["tests.support.cas_server.attributes.platform_attributes"],
        "LOGOUT_ALLOW": True,
    }
]
MAMA_CAS_FOLLOW_LOGOUT_URL = True
