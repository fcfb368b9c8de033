"""Resolve a reporting unit's name as people write it.

Clerks write 南阳, 南阳市, 南阳市市场监督管理局, ' 南阳　市 ' or 济源 for 济源示范区.
``UnitResolver`` loads the units once (two queries) and resolves any number of
names, so an import of thousands of rows does not query per row.
"""

import difflib
import re
import unicodedata

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lib.wording import join_names

from .models import ReportingUnit, UnitAlias

# Names of the bodies that report for a unit; "南阳市市场监督管理局" means 南阳市.
_ORGAN_SUFFIXES = (
    "市场监督管理局",
    "市场监管局",
    "知识产权管理局",
    "知识产权局",
    "知识产权管局",
    "人民政府",
)
_PROVINCE_PREFIX = "河南省"
_BRACKETED = re.compile(r"\([^()]*\)$")


class UnknownUnitError(ValueError):
    """No reporting unit has this name; ``suggestions`` are the closest units."""

    def __init__(self, name, suggestions=()):
        self.name = name
        self.suggestions = list(suggestions)
        super().__init__(str(self.message))

    @property
    def message(self):
        if self.suggestions:
            return format_lazy(
                _("未知的填报单位“{name}”。是否指：{choices}？"),
                name=self.name,
                choices=join_names(unit.name for unit in self.suggestions),
            )
        return format_lazy(_("未知的填报单位“{name}”。"), name=self.name)

    def __str__(self):
        return str(self.message)


def normalize_name(text):
    """Fold the ways a unit's name is typed into one key.

    NFKC turns full-width spaces, digits and brackets into their ASCII forms;
    all whitespace goes; a trailing organ name and a leading 河南省 go.
    """
    key = "".join(unicodedata.normalize("NFKC", str(text)).split())
    if key.startswith(_PROVINCE_PREFIX) and len(key) > len(_PROVINCE_PREFIX):
        key = key[len(_PROVINCE_PREFIX) :]
    changed = True
    while changed:
        changed = False
        stripped = _BRACKETED.sub("", key)  # 南阳市市场监管局(知识产权局)
        for suffix in _ORGAN_SUFFIXES:
            if stripped.endswith(suffix) and len(stripped) > len(suffix):
                stripped = stripped[: -len(suffix)]
        if stripped and stripped != key:
            key, changed = stripped, True
    return key


class UnitResolver:
    def __init__(self, units=None):
        units = list(units if units is not None else ReportingUnit.objects.all())
        by_pk = {unit.pk: unit for unit in units}
        self._lookup = {}
        for unit in units:
            for spelling in (unit.name, unit.short_name):
                self._lookup.setdefault(normalize_name(spelling), unit)
        for alias in UnitAlias.objects.filter(unit__in=units).only("unit_id", "name"):
            self._lookup.setdefault(normalize_name(alias.name), by_pk[alias.unit_id])

    def resolve(self, name):
        key = normalize_name(name or "")
        if not key:
            raise UnknownUnitError(str(name or "").strip())
        unit = self._lookup.get(key)
        if unit is not None:
            return unit
        raise UnknownUnitError(str(name).strip(), self.closest(key))

    def closest(self, key, limit=3):
        matches = difflib.get_close_matches(key, self._lookup, n=limit * 3, cutoff=0.5)
        found = []
        for match in matches:
            unit = self._lookup[match]
            if unit not in found:
                found.append(unit)
        return found[:limit]


def resolve_unit(name):
    """The reporting unit called ``name``; raises ``UnknownUnitError`` otherwise."""
    return UnitResolver().resolve(name)
