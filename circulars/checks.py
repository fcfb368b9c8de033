from django.core.checks import Warning, register

from .fonts import missing_fonts


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
