import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_every_source_string_has_an_english_translation(tmp_path):
    """Re-extract the strings from a copy of the sources: none may be new or untranslated."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    skip = shutil.ignore_patterns(".*", "__pycache__", "var", "tests", "*.mo")
    shutil.copytree(base, copy, ignore=skip)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_pages_are_chinese_by_default(viewer_client):
    html = viewer_client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "河南省知识产权质押融资统计报送系统" in html


def test_the_language_switch_turns_the_portal_english(viewer_client):
    response = viewer_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = viewer_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Henan IP Pledge Financing Reporting Portal" in html
    assert "简体中文" in html  # the way back


def test_the_ranked_table_headings_are_translated(viewer_client):
    from tests.factories import ReportingPeriodFactory

    ReportingPeriodFactory(year=2020)
    viewer_client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    html = viewer_client.get("/reports/2020/trademark/").content.decode()
    for heading in ("Rank by amount", "City", "Amount (10,000 yuan)", "Projects", "Trademarks"):
        assert f">{heading}<" in html.replace("\n", "").replace("  ", "")
    assert "Henan Trademark Pledge Financing Statistics, 2020" in html
