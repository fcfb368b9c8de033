"""Fonts of the printed circulars.

The CSS names the official fonts first (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312), so a
machine that has them uses them; ``CIRCULAR_FONT_FILES`` can point at licensed font files.
Otherwise the free Fandol fonts (simplified glyphs, full GB2312) that set-up fetches are used.
Every family is simplified Chinese: no traditional-only font can stand in for a missing glyph.
"""

from pathlib import Path

from django.conf import settings
from django.utils.safestring import mark_safe

# role → (official names, Fandol file, weight)
ROLES = {
    "fang": (["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"], "FandolFang-Regular.otf", 400),
    "hei": (["黑体", "SimHei"], "FandolHei-Regular.otf", 400),
    "kai": (["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"], "FandolKai-Regular.otf", 400),
    "song": (["宋体", "SimSun"], "FandolSong-Regular.otf", 400),
    "xiaobiaosong": (["方正小标宋简体", "FZXiaoBiaoSong-B05S"], "FandolSong-Bold.otf", 700),
}
FANDOL_FAMILIES = {
    "FandolFang-Regular.otf": "FandolFang",
    "FandolHei-Regular.otf": "FandolHei",
    "FandolKai-Regular.otf": "FandolKai",
    "FandolSong-Regular.otf": "FandolSong",
    "FandolSong-Bold.otf": "FandolSong",
}


def font_dirs():
    """Folders the PDF renderer may read fonts from (and nothing else)."""
    dirs = [Path(settings.CIRCULAR_FANDOL_DIR)]
    dirs += [Path(path).parent for path in settings.CIRCULAR_FONT_FILES.values()]
    return [d.resolve() for d in dirs]


def missing_fonts():
    """Fandol files that are not where set-up should have put them."""
    folder = Path(settings.CIRCULAR_FANDOL_DIR)
    return [name for name in FANDOL_FAMILIES if not (folder / name).is_file()]


def font_faces():
    """@font-face rules for the licensed files (if configured) and the Fandol files."""
    rules = []
    for role, path in settings.CIRCULAR_FONT_FILES.items():
        if role in ROLES:
            weight = ROLES[role][2]
            rules.append(_face(f"Licensed-{role}", Path(path), weight))
    folder = Path(settings.CIRCULAR_FANDOL_DIR)
    for filename, family in FANDOL_FAMILIES.items():
        weight = 700 if filename.endswith("Bold.otf") else 400
        rules.append(_face(family, folder / filename, weight))
    return mark_safe("\n".join(rules))


def _face(family, path, weight):
    return f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); font-weight: {weight}; }}'


def stacks():
    """The font-family list of each role, official names first."""
    result = {}
    for role, (official, filename, _weight) in ROLES.items():
        names = list(official)
        if role in settings.CIRCULAR_FONT_FILES:
            names.insert(0, f"Licensed-{role}")
        names.append(FANDOL_FAMILIES[filename])
        result[role] = mark_safe(", ".join(f'"{name}"' for name in names))
    return result
