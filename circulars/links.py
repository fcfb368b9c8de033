from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def ranked_table_links(user, ranking):
    """A ranked table (approved figures only) prints as the circular's attachment: a PDF."""
    if ranking.provisional:
        return []
    url = reverse("circulars:attachment_pdf", args=[ranking.period.slug, ranking.kind])
    return [(_("PDF（印发格式）"), url)]
