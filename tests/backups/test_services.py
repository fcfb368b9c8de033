"""The pieces of the backups that need no database."""

from django.utils.translation import gettext_lazy as _

from backups import services


def test_the_password_reaches_postgresql_tools_through_the_environment_only():
    settings_dict = services.database_settings(
        url="postgres://portal:s%3Acret@db.example.org:5433/portal?sslmode=require"
    )
    environment = services.libpq_environment(settings_dict)
    assert (
        environment.items()
        >= {
            "PGDATABASE": "portal",
            "PGUSER": "portal",
            "PGPASSWORD": "s:cret",
            "PGHOST": "db.example.org",
            "PGPORT": "5433",
            "PGSSLMODE": "require",
        }.items()
    )


def test_messages_are_chinese_first_then_english_once_translated():
    assert services.bilingual(_("内容")) == "内容\nContent"
