"""PDF of circulars and attachments with WeasyPrint, in the GB/T 9704-2012 layout.

WeasyPrint reads nothing but the fonts (``PortalURLFetcher``): no other file, no network.
Renders are cached by a fingerprint of everything printed and of everything that prints it
(``render_digest``: the templates, the code, the library's version, the fonts), so an unchanged
document is served again without rendering, and a deploy or newly installed fonts change the next
download.
"""

import atexit
import functools
import hashlib
import json
import mimetypes
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.cache import cache
from django.template.loader import render_to_string

from lib.fragments import files_digest

from . import fonts
from .templatetags.circulars import chart_svg

CACHE_SECONDS = 24 * 60 * 60


class RefusedResource(ValueError):
    pass


def _fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class PortalURLFetcher(URLFetcher):
        """Serve the allowed font files; refuse every other file and every network address."""

        def __init__(self, allowed_dirs, **kwargs):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, **kwargs)
            self.allowed_dirs = [Path(d).resolve() for d in allowed_dirs]

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise RefusedResource(f"refused: {url}")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
                raise RefusedResource(f"refused: {url}")
            if not path.is_file():
                raise RefusedResource(f"missing: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return PortalURLFetcher


_FONT_CONFIG = None


def _font_config():
    """One font configuration per process: building it costs more than a page."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONT_CONFIG = FontConfiguration()
        # Release it before the interpreter tears down the C bindings it needs.
        atexit.register(_release_font_config)
    return _FONT_CONFIG


def _release_font_config():
    global _FONT_CONFIG
    _STYLESHEETS.clear()
    _FONT_CONFIG = None


def render_html(circular, tables, paragraphs=()):
    """The document as HTML; its stylesheet comes separately (``stylesheet()``)."""
    # Each attachment with its chart, if it is one. The 附件标题 above a chart is its caption:
    # the chart is drawn without a title of its own, so that the title is printed once.
    attachments = [
        (table, chart_svg(replace(table, title="")) if table.chart else None) for table in tables
    ]
    return render_to_string(
        "circulars/print.html",
        {
            "circular": circular,
            "tables": tables,
            "attachments": attachments,
            "paragraphs": paragraphs,
        },
    )


_STYLESHEETS = {}


def stylesheet():
    """The print stylesheet with its font faces, parsed once per process (per content)."""
    from weasyprint import CSS

    text = fonts.font_faces() + render_to_string("circulars/print.css", {"fonts": fonts.stacks()})
    key = hashlib.sha256(text.encode()).hexdigest()
    if key not in _STYLESHEETS:
        fetcher = _fetcher_class()(fonts.font_dirs())
        _STYLESHEETS[key] = CSS(string=text, font_config=_font_config(), url_fetcher=fetcher)
    return _STYLESHEETS[key]


def html_to_pdf(html):
    document = _layout(html)
    # GB/T 9704 puts the 版记 on an even page (封四). It is laid out at the foot of the page
    # where the text ends, or of the next page when it does not fit there. When that page is
    # odd, the document is laid out once more with the 版记 moved on: to the next page when it
    # shared an odd page with text; after a blank page when it stood alone, because the even
    # page of text before it was full (and then neither of the two pages is numbered, §7.5).
    placed = _colophon_page(document)
    if placed is not None:
        number, alone = placed
        if number % 2 == 1:
            document = _layout(html, colophon="after-blank-page" if alone else "next-page")
    return document.write_pdf()


def _layout(html, colophon=None):
    """The laid-out document; ``colophon`` names the class that moves the 版记 on."""
    from weasyprint import HTML

    fetcher = _fetcher_class()(fonts.font_dirs())
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    if colophon:
        anchor = document.etree_element.find(".//*[@id='colophon-anchor']")
        anchor.set("class", f"{anchor.get('class')} {colophon}")
    return document.render(stylesheets=[stylesheet()], font_config=_font_config())


COLOPHON_IDS = {"colophon", "colophon-anchor"}


def _colophon_page(document):
    """The number of the page the 版记 is on and whether it stands there alone (no part of the
    notice or of an attachment is on that page), or None for a document without 版记."""
    for number, page in enumerate(document.pages, start=1):
        if "colophon" in page.anchors:
            return number, set(page.anchors) <= COLOPHON_IDS
    return None


def fingerprint(*parts):
    payload = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# What shapes a printed document besides its data, read once per process (a deploy restarts
# it): the templates and the code of the circulars and of the shared printing helpers. Broad on
# purpose: an unrelated change costs one render, a forgotten file a stale document.
PRINTING_SOURCES = ["templates/circulars/*", "circulars/*.py", "lib/*.py"]


@functools.cache
def _code_digest():
    import weasyprint

    return files_digest(PRINTING_SOURCES, prefix=f"weasyprint {weasyprint.__version__}")


def _font_files():
    """The font files a render may use, as they are now: installing one changes the output."""
    folders = fonts.font_dirs()
    found = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in {".otf", ".ttf", ".ttc", ".otc"}:
                    state = path.stat()
                    found.append((str(path), state.st_size, state.st_mtime_ns))
    return found


def render_digest():
    """A digest of everything that shapes a render besides the document's data."""
    return fingerprint(_code_digest(), _font_files())


def cached_pdf(key, produce):
    """The PDF for ``key`` from the cache, or produced and cached."""
    return cache.get_or_set(f"circulars:pdf:{render_digest()}:{key}", produce, CACHE_SECONDS)
