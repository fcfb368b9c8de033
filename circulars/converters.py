from django.urls import register_converter


class FileFormatConverter:
    """The formats a circular is downloaded in."""

    regex = "pdf|docx|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# Registered once, here, for every URLconf that imports this module.
register_converter(FileFormatConverter, "fmt")
