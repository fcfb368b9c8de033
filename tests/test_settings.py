import subprocess
import sys

import pytest
from django.conf import settings

from tests.support.commands import PRODUCTION, clean_environment, manage


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    env = {**PRODUCTION, "DATABASE_URL": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DATABASE_URL must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_with_nothing_set_the_web_server_is_in_production_mode_and_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=settings.BASE_DIR,
        env=clean_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "set DJANGO_DEBUG=true, as `make run` does" in result.stderr


def start(**env):
    """The web server's start (what gunicorn imports), in a process of its own."""
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=settings.BASE_DIR,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("host", [".cn", ".gov.cn", ".com.cn", ".", ".localhost"])
def test_production_refuses_hosts_that_cover_a_public_suffix(host):
    result = manage(
        "check", **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": f"zscq.example.gov.cn,{host}"}
    )
    assert result.returncode != 0
    assert f"DJANGO_ALLOWED_HOSTS: {host} answers to every host name under a public suffix" in (
        result.stderr
    )


def test_production_accepts_a_domain_of_its_own_with_its_hosts_below():
    result = manage("check", **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ".example.gov.cn"})
    assert result.returncode == 0, result.stderr


def test_production_refuses_the_public_local_key_in_any_form():
    padded = "local-development-only-never-use-in-production" + "x" * 20
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": padded})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "check"),
    [
        ("DJANGO_SECRET_KEY", "a" * 50, "security.W009"),
        ("DJANGO_SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("DJANGO_SECURE_SSL_REDIRECT", "false", "security.W008"),
    ],
)
def test_the_web_server_refuses_to_start_on_a_deployment_warning_not_silenced(
    variable, value, check
):
    result = start(**{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert "The deployment checks refuse to start the portal" in result.stderr
    assert f"({check})" in result.stderr
    # Silenced by name, on purpose, it starts.
    result = start(**{**PRODUCTION, variable: value, "DJANGO_SILENCED_CHECKS": check})
    assert result.returncode == 0, result.stderr


def test_the_web_server_starts_in_production_with_nothing_to_silence():
    result = start(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["migrate", "--no-input"],
        ["backup", "var/refused.backup"],
        ["restore", "var/refused.backup"],
        ["remind_deadlines"],
    ],
)
def test_a_command_without_database_url_refuses_unless_the_run_is_explicitly_local(command):
    """A production checkout run without its environment (DATABASE_URL) must not quietly work
    on the local SQLite file: only DJANGO_DEBUG=true, as make sets it, says it is local."""
    local_file = settings.BASE_DIR / "var" / "db.sqlite3"
    before = local_file.stat().st_mtime_ns if local_file.exists() else None
    for env in ({}, {**PRODUCTION, "DATABASE_URL": ""}):
        result = manage(*command, **env)
        assert result.returncode != 0
        assert "DATABASE_URL must be set when DJANGO_DEBUG is off" in result.stderr
        assert "For a local run set DJANGO_DEBUG=true" in result.stderr
    after = local_file.stat().st_mtime_ns if local_file.exists() else None
    assert after == before
    assert not (settings.BASE_DIR / "var" / "refused.backup").exists()


def test_a_command_against_a_named_database_is_production_unless_debug_says_otherwise():
    result = manage("check", DATABASE_URL="sqlite:///var/production-check.sqlite3")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_local_run_needs_only_debug_on():
    result = manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "ture", "DJANGO_DEBUG='ture' is neither true nor false"),
        ("DJANGO_DEBUG", "off", "DJANGO_DEBUG='off' is neither true nor false"),
        (
            "DJANGO_SECURE_SSL_REDIRECT",
            "ture",
            "DJANGO_SECURE_SSL_REDIRECT='ture' is neither true nor false",
        ),
        ("DJANGO_SECURE_COOKIES", "flase", "DJANGO_SECURE_COOKIES='flase' is neither"),
        ("DJANGO_EMAIL_USE_TLS", "y", "DJANGO_EMAIL_USE_TLS='y' is neither true nor false"),
        ("DJANGO_SECURE_HSTS_PRELOAD", "enabled", "DJANGO_SECURE_HSTS_PRELOAD='enabled'"),
        ("DJANGO_SECURE_HSTS_SECONDS", "1y", "DJANGO_SECURE_HSTS_SECONDS='1y' is not a whole"),
        ("DJANGO_EMAIL_PORT", "smtp", "DJANGO_EMAIL_PORT='smtp' is not a whole number"),
        ("DJANGO_AXES_FAILURE_LIMIT", "0", "DJANGO_AXES_FAILURE_LIMIT='0' is not a whole number"),
        ("DJANGO_TRUSTED_PROXIES", "yes", "DJANGO_TRUSTED_PROXIES='yes' is not a whole number"),
        ("DJANGO_IMPORT_MAX_MB", "10MB", "DJANGO_IMPORT_MAX_MB='10MB' is not a whole number"),
        ("DJANGO_LOG_LEVEL", "info", "DJANGO_LOG_LEVEL='info' is not one of: DEBUG, INFO"),
        ("DJANGO_ALLOWED_HOSTS", "*", "'*' is refused in production"),
        ("DJANGO_ALLOWED_HOSTS", "zscq.example.gov.cn,*", "'*' is refused in production"),
        (
            "DJANGO_SECURE_SSL_REDIRCT",
            "true",
            "DJANGO_SECURE_SSL_REDIRCT is not a setting of the portal "
            "(did you mean DJANGO_SECURE_SSL_REDIRECT?)",
        ),
        (
            "DJANGO_BEHIND_PROXY",
            "true",
            "DJANGO_BEHIND_PROXY is replaced by DJANGO_TRUSTED_PROXIES",
        ),
        ("DJANGO_CIRCULAR_FONT_FILES", "/srv/fang.ttf", "'/srv/fang.ttf' is not role=path"),
        ("DJANGO_LOCAL_LOGIN", "superusers", "DJANGO_LOCAL_LOGIN='superusers' is not one of"),
        ("DJANGO_LOCAL_LOGIN", "none", "DJANGO_CAS_SERVER_URL is not set: nobody could log in"),
        ("DJANGO_OTP_REQUIRED_ROLES", "reviewers", "reviewers is not a role; the roles are"),
        ("DJANGO_CAS_VERSION", "1", "DJANGO_CAS_VERSION='1' is not one of: 2, 3"),
        (
            "DJANGO_CAS_SERVER_URL",
            "http://ids.example.gov.cn/cas/",
            "tickets are validated over HTTPS only in production",
        ),
    ],
)
def test_production_refuses_a_value_it_does_not_understand(variable, value, message):
    result = manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0, result.stdout
    assert message in result.stderr, result.stderr[-600:]


@pytest.mark.parametrize("value", ["ture", "enabled"])
def test_a_local_run_refuses_a_misspelt_value_too(value):
    result = manage("check", DJANGO_DEBUG="true", DJANGO_EMAIL_USE_TLS=value)
    assert result.returncode != 0
    assert f"DJANGO_EMAIL_USE_TLS='{value}' is neither true nor false" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), (" false ", False), ("0", False),
     ("No", False), ("", True)],
)  # fmt: skip
def test_booleans_are_the_six_words(monkeypatch, value, expected):
    from config import settings as portal_settings

    monkeypatch.setattr(portal_settings, "ENVIRONMENT_VARIABLES", [])
    monkeypatch.setenv("DJANGO_X_TEST", value)
    assert portal_settings.env_bool("DJANGO_X_TEST", True) is expected


def test_behind_a_proxy_https_is_recognised_only_with_trusted_proxies():
    script = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    without = manage("shell", "-c", script, **PRODUCTION)
    behind = manage("shell", "-c", script, **PRODUCTION, DJANGO_TRUSTED_PROXIES="1")
    assert without.stdout.splitlines()[-1] == "None", without.stderr
    assert behind.stdout.splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", behind.stderr


def test_the_licensed_font_roles_are_checked(tmp_path):
    result = manage(
        "check", DJANGO_DEBUG="true", DJANGO_CIRCULAR_FONT_FILES=f"fangsong={tmp_path}/a.ttf"
    )
    assert result.returncode != 0
    assert "DJANGO_CIRCULAR_FONT_FILES names an unknown role 'fangsong'" in result.stderr


def test_the_portal_speaks_chinese_first_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def _env_example():
    lines = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    return [line.split("=", 1) for line in lines if line and not line.startswith("#")]


def _readme_variables():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 配置 · Configuration", 1)[1].split("\n### ", 1)[0]
    return [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]


def test_env_example_and_the_readme_list_every_variable_line_for_line():
    from config import settings as portal_settings

    names = [name for name, _value in _env_example()]
    assert names == _readme_variables()
    assert sorted(names) == sorted(set(portal_settings.ENVIRONMENT_VARIABLES))
    assert len(names) == len(set(names))


def test_the_env_example_starts_a_production_portal_behind_one_proxy():
    env = dict(_env_example())
    env["DJANGO_SECRET_KEY"] = PRODUCTION["DJANGO_SECRET_KEY"]
    script = "from django.conf import settings; print(settings.DEBUG, settings.TRUSTED_PROXIES)"
    result = manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False 1"
