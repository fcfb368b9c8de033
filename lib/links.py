"""Links that apps higher up add to a lower app's page (``settings.PAGE_LINKS``).

A page names its place (``"reporting:report"``); the settings list, for each place, the
functions of the apps above it that have something to link there, in the order they show.
The lower app knows none of them.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def page_links(place, user, obj):
    """(label, url) pairs of every function listed for ``place``, given the user and the
    object the page shows."""
    return [
        link
        for path in settings.PAGE_LINKS.get(place, ())
        for link in import_string(path)(user, obj)
    ]
