from django.urls import register_converter


class UnitCodeConverter:
    """A GB/T 2260 code: six digits."""

    regex = r"\d{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return getattr(value, "code", value)


# Registered once, here, for every URLconf that imports this module.
register_converter(UnitCodeConverter, "unit")
