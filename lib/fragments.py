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


def files_digest(patterns, prefix="", skipped=()):
    """A digest of the files the glob ``patterns`` find below the project, names and contents:
    what a cache key holds so that a deploy that changes them changes the key."""
    digest = hashlib.sha256(prefix.encode())
    base = Path(settings.BASE_DIR)
    for pattern in patterns:
        for path in sorted(base.glob(pattern)):
            if path.is_file() and path.relative_to(base).parts[0] not in skipped:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def source_digest():
    """``files_digest`` of ``SOURCES``, read once per process (a deploy restarts it)."""
    return files_digest(SOURCES, skipped=SKIPPED)[:16]


def cached_value(name, key_parts, compute):
    """What ``compute()`` returns (anything the cache can hold but None), from the cache when
    ``key_parts`` are unchanged."""
    payload = repr((name, tuple(key_parts), get_language(), source_digest()))
    key = f"fragment:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"
    return cache.get_or_set(key, compute, SECONDS)


def cached_fragment(name, key_parts, render):
    """The HTML ``render()`` returns, from the cache when ``key_parts`` are unchanged."""
    html = cached_value(name, key_parts, lambda: str(render()))
    return mark_safe(html)  # noqa: S308 (rendered by our own templates, escaped there)
