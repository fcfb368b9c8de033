"""A cached document changes with whatever shapes it, not only with its data."""

import pytest
from django.core.cache import cache

from circulars import pdf


@pytest.fixture
def renders(settings, tmp_path):
    """An empty cache, fonts in a folder of the test's own, and a counter of renders."""
    cache.clear()
    settings.CIRCULAR_FANDOL_DIR = tmp_path / "fonts"
    settings.CIRCULAR_FONT_FILES = {}
    (tmp_path / "fonts").mkdir()
    count = {"n": 0}

    def produce():
        count["n"] += 1
        return b"%PDF render " + str(count["n"]).encode()

    return produce, count, tmp_path / "fonts"


def test_the_same_document_is_rendered_once(renders):
    produce, count, _fonts = renders
    assert pdf.cached_pdf("k", produce) == pdf.cached_pdf("k", produce) == b"%PDF render 1"
    assert count["n"] == 1


def test_fonts_installed_after_a_render_change_the_next_download(renders):
    produce, count, fonts = renders
    before = pdf.cached_pdf("k", produce)
    (fonts / "FandolFang-Regular.otf").write_bytes(b"a font")
    after = pdf.cached_pdf("k", produce)
    assert (before, after, count["n"]) == (b"%PDF render 1", b"%PDF render 2", 2)


def test_a_changed_template_or_code_changes_the_key(renders, tmp_path, settings):
    produce, count, _fonts = renders
    (tmp_path / "templates" / "circulars").mkdir(parents=True)
    template = tmp_path / "templates" / "circulars" / "print.css"
    template.write_text("@page { size: A4 }")
    settings.BASE_DIR = tmp_path
    pdf._code_digest.cache_clear()
    try:
        first = pdf.render_digest()
        pdf.cached_pdf("k", produce)
        template.write_text("@page { size: A4; margin: 37mm 26mm 35mm 28mm }")
        pdf._code_digest.cache_clear()  # as a deploy's restart does
        assert pdf.render_digest() != first
        pdf.cached_pdf("k", produce)
        assert count["n"] == 2
    finally:
        pdf._code_digest.cache_clear()


def test_the_digest_reads_the_real_printing_sources(settings):
    sources = [path for pattern in pdf.PRINTING_SOURCES for path in settings.BASE_DIR.glob(pattern)]
    names = {path.name for path in sources}
    assert {"print.html", "print.css", "pdf.py", "printed.py", "numbers.py"} <= names
