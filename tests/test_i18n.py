import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
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


CHINESE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
LIBRARIES = Path(django.__file__).resolve().parent.parent  # where the libraries are installed


def po_entries(path):
    """(references, msgctxt, msgid) of each entry of a catalogue, its header left out."""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        references, fields, field = [], {}, None
        for line in block.splitlines():
            start = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
            if line.startswith("#:"):
                references += line[2:].split()
            elif start:
                field = start[1]
                fields[field] = ast.literal_eval(start[2])
            elif line.startswith('"') and field:
                fields[field] += ast.literal_eval(line)
        if fields.get("msgid"):
            yield references, fields.get("msgctxt"), fields["msgid"]


@pytest.mark.parametrize("catalogue", ["django.po", "djangojs.po"])
def test_every_entry_of_the_chinese_catalogue_is_translated(catalogue):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CHINESE / catalogue)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # Nothing but the count: no warning, no untranslated or fuzzy entry.
    assert re.fullmatch(r"\d+ translated messages?\.\n", result.stderr), result.stderr


def has_words(path, msgid):
    """Whether a source file has these words: as a string of a module, or in the text of a
    template (which writes {{ name }} where the catalogue has %(name)s) or of a script."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return any(
            isinstance(node, ast.Constant) and node.value == msgid
            for node in ast.walk(ast.parse(text))
        )
    return msgid in re.sub(r"\{\{ ?(\w+) ?\}\}", r"%(\1)s", text)


@pytest.mark.parametrize("catalogue", ["django.po", "djangojs.po"])
def test_every_chinese_entry_translates_words_a_library_still_has(catalogue):
    """Each entry names the file its words come from, and the words are still there, exactly
    (a library's new version may reword them)."""
    gone = []
    for references, _context, msgid in po_entries(CHINESE / catalogue):
        assert references, f"{msgid!r}: say which file it comes from (#: path)"
        for reference in references:
            path = LIBRARIES / reference
            if not path.exists():
                path = Path(settings.BASE_DIR) / reference
            if not has_words(path, msgid):
                gone.append(f"{reference}: {msgid!r}")
    assert not gone, gone


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
    from tests.support.factories import ReportingPeriodFactory

    ReportingPeriodFactory(year=2020)
    viewer_client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    html = viewer_client.get("/reports/2020/trademark/").content.decode()
    for heading in ("Rank by amount", "City", "Amount (10,000 yuan)", "Projects", "Trademarks"):
        assert f">{heading}<" in html.replace("\n", "").replace("  ", "")
    assert "Henan Trademark Pledge Financing Statistics, 2020" in html
