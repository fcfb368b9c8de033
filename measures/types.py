"""The four types of measure a unit reports (``MeasureType``: policies, funds, events and good
practice), and what the pages, forms and imports need of each. (A "kind" is patent or
trademark: ``reporting.models.IPKind``.)"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Event, Policy, Practice, RiskFund


@dataclass(frozen=True)
class MeasureType:
    slug: str  # in URLs: /measures/2020/410300/policies/
    model: type
    label: object  # 政策措施
    fields: tuple  # what a form or an import sets, in order
    listed: tuple  # the columns of the report page's list
    has_document: bool = False

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def related_name(self):
        """The report's list of them is named by the type's slug (``report.policies``)."""
        return self.slug

    def items(self, report):
        """The report's items of this type."""
        return getattr(report, self.slug).all()


MEASURE_TYPES = {
    measure_type.slug: measure_type
    for measure_type in (
        MeasureType(
            "policies",
            Policy,
            _("政策措施"),
            (
                "title",
                "issuer",
                "document_number",
                "issued_on",
                "type",
                "amount",
                "in_force",
            ),
            ("title", "document_number", "issued_on", "type", "amount", "in_force"),
            has_document=True,
        ),
        MeasureType(
            "funds",
            RiskFund,
            _("风险补偿资金"),
            (
                "title",
                "scope",
                "size",
                "banks",
                "loans_count",
                "loans_amount",
                "compensation_paid",
            ),
            (
                "title",
                "scope",
                "size",
                "bank_groups",
                "loans_count",
                "loans_amount",
                "compensation_paid",
            ),
        ),
        MeasureType(
            "events",
            Event,
            _("活动"),
            (
                "type",
                "title",
                "held_on",
                "place",
                "organiser",
                "banks_attending",
                "enterprises_attending",
                "intended_credit",
                "loans_granted",
            ),
            ("held_on", "type", "title", "place", "enterprises_attending", "intended_credit"),
        ),
        MeasureType(
            "practices",
            Practice,
            _("经验做法"),
            ("title", "text"),
            ("title",),
            has_document=True,
        ),
    )
}

# Each type by the model of its items.
MEASURE_TYPE_OF = {measure_type.model: measure_type for measure_type in MEASURE_TYPES.values()}
