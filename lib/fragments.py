"""Rendered HTML that only changes when data changes, kept in the shared cache.

A fragment's key holds what its caller says shapes it (a data version that every recorded
change moves, the period, the kind...), the active language and a digest of the portal's own
templates, code and translations, read once per process: a deploy changes every key, so a
page is never rendered by yesterday's templates.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# What shapes a page besides its data. Broad on purpose: an unrelated change costs one render
# per fragment, a forgotten file a stale page.
SOURCES = [
    "templates/**/*.html",
    "*/*.py",
    "*/templatetags/*.py",
    "*/migrations/*.py",  # a data migration changes data no signal sees
    "locale/*/LC_MESSAGES/*.mo",
    "requirements.txt",  # a library's templates (django-tables2's) shape pages too
]
SKIPPED = {"tests", "bench", "scripts", ".venv", "var"}
SECONDS = 24 * 60 * 60


@functools.cache
def source_digest():
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for pattern in SOURCES:
        for path in sorted(base.glob(pattern)):
            if path.is_file() and path.relative_to(base).parts[0] not in SKIPPED:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_value(name, key_parts, compute):
    """What ``compute()`` returns (anything the cache can hold), from the cache when
    ``key_parts`` are unchanged."""
    payload = repr((name, tuple(key_parts), get_language(), source_digest()))
    key = f"fragment:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SECONDS)
    return value


def cached_fragment(name, key_parts, render):
    """The HTML ``render()`` returns, from the cache when ``key_parts`` are unchanged."""
    html = cached_value(name, key_parts, lambda: str(render()))
    return mark_safe(html)  # noqa: S308 (rendered by our own templates, escaped there)
