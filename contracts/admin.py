"""Contracts in the admin: read-only, exported through django-import-export (formula-safe).

They change only through the import engine (the portal's upload page or import_pledges),
which checks every row and derives the report's figures; the admin is no back door.
"""

from django.contrib import admin

from lib.admin_exports import SafeExportMixin
from reporting.models import PledgeReport

from .models import PledgeContract
from .resources import PledgeContractResource


@admin.register(PledgeContract)
class PledgeContractAdmin(SafeExportMixin, admin.ModelAdmin):
    resource_classes = [PledgeContractResource]
    list_display = [
        "registration_number",
        "pledgor",
        "bank_group",
        "kind",
        "amount",
        "effective_on",
        "report",
    ]
    list_filter = ["kind", "report__period", "bank_group"]
    search_fields = ["pledgor", "uscc", "bank", "registration_number"]
    list_select_related = ["report__unit", "report__period"]

    def get_queryset(self, request):
        # An unsubmitted draft's contracts are its unit's: not listed, found or exported here.
        drafts = PledgeReport.objects.unsubmitted_drafts()
        return super().get_queryset(request).exclude(report__in=drafts)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
