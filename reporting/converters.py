from django.urls import register_converter

from .models import IPKind


class IPKindConverter:
    regex = "|".join(IPKind.values)

    def to_python(self, value):
        return IPKind(value)

    def to_url(self, value):
        return IPKind(value).value


# Registered once, here, for every URLconf that imports this module.
register_converter(IPKindConverter, "kind")
