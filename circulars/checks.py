from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register

from .fonts import ROLES, missing_fonts


@register()
def fandol_fonts(app_configs, **kwargs):
    """Printed circulars need their fonts; without them WeasyPrint quietly picks others."""
    missing = missing_fonts()
    if not missing:
        return []
    return [
        Warning(
            f"Fonts for the printed circulars are missing: {', '.join(missing)}.",
            hint="Run `make fonts` (scripts/fetch-fonts.sh) or set DJANGO_CIRCULAR_FANDOL_DIR.",
            id="circulars.W001",
        )
    ]


@register()
def licensed_fonts(app_configs, **kwargs):
    """A licensed font named for no role, or not found, would be silently left out."""
    errors = []
    for role, path in settings.CIRCULAR_FONT_FILES.items():
        if role not in ROLES:
            errors.append(
                Error(
                    f"DJANGO_CIRCULAR_FONT_FILES names an unknown role {role!r}.",
                    hint=f"Roles: {', '.join(ROLES)}.",
                    id="circulars.E001",
                )
            )
        elif not Path(path).is_file():
            errors.append(
                Error(
                    f"DJANGO_CIRCULAR_FONT_FILES: no font file at {path} (role {role}).",
                    id="circulars.E002",
                )
            )
    return errors
