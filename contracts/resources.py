from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import PledgeContract


class PledgeContractResource(resources.ModelResource):
    """Contracts as the admin exports them: the unit and period by name, not by database id."""

    unit = fields.Field(attribute="report__unit__name", column_name="地市")
    period = fields.Field(attribute="report__period__slug", column_name="报送周期")
    # The labels of the export form's boxes (lib.admin_exports) for the columns that are no
    # field of a contract.
    export_labels = {"unit": _("地市"), "period": _("报送周期")}

    class Meta:
        model = PledgeContract
        fields = [
            "unit", "period", "kind", "pledgor", "uscc", "is_sme", "bank", "bank_group",
            "registration_number", "items", "amount", "effective_on", "loan_term_months",
        ]  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("report__unit", "report__period")
