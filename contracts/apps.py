from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("质押合同与银行")

    def ready(self):
        from reporting import demo_drafts, report_links

        from .demo import fill_demo_draft

        report_links.register(contract_links)
        demo_drafts.register(fill_demo_draft)


def contract_links(user, report):
    """The report page links its pledge contracts: the list, its imports and the template."""
    from django.urls import reverse

    url = reverse("contracts:report_contracts", args=[report.period.slug, report.unit.code])
    return [(_("质押合同明细"), url)]
