import logging

from odoo import _, models

from odoo.addons.account.models.chart_template import template

_logger = logging.getLogger(__name__)

# template xml id -> (code prefix, number, name, account type); the code is the prefix, then
# the number padded to the chart's code length (8 digits in l10n_id: 31300001), the next
# free number when the chart already uses that code
SAVINGS_ACCOUNTS = {
    "kopdes_savings_pokok": ("313", 1, "Simpanan Pokok Anggota", "equity"),
    "kopdes_savings_wajib": ("314", 1, "Simpanan Wajib Anggota", "equity"),
    "kopdes_savings_sukarela": ("215", 1, "Simpanan Sukarela Anggota", "liability_current"),
    "kopdes_savings_berjangka": ("216", 1, "Simpanan Berjangka Anggota", "liability_current"),
    "kopdes_savings_interest": ("915", 1, "Beban Jasa Simpanan Anggota", "expense"),
    # PPh final (PP 15/2009) withheld on the interest of voluntary savings, owed to the state
    "kopdes_savings_pph": ("217", 1, "Utang PPh Final Bunga Simpanan", "liability_current"),
}


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    # ------------------------------------------------------------ templates
    # Declared for every chart (no template code): l10n_id, the generic chart and any other.

    @template(model="account.account")
    def _get_kopdes_savings_account_account(self, template_code):
        return self._kopdes_template_accounts(template_code, SAVINGS_ACCOUNTS)

    @template(model="account.journal")
    def _get_kopdes_savings_account_journal(self, template_code):
        return {
            "kopdes_savings": {
                "name": _("Member Savings"),
                "code": "SMPN",
                "type": "general",
                "sequence": 20,
                "show_on_dashboard": False,
            },
        }

    @template(model="res.company")
    def _get_kopdes_savings_res_company(self, template_code):
        return {
            self.env.company.id: {
                "kopdes_savings_journal_id": "kopdes_savings",
                "kopdes_savings_cash_journal_id": "cash",
                "kopdes_savings_pph_account_id": "kopdes_savings_pph",
            }
        }

    # -------------------------------------------------------------- loading

    def _load(self, template_code, company, install_demo):
        """After a chart of accounts is loaded (new company, branch, first setup), add the
        standard savings products on top of the accounts the templates made."""
        res = super()._load(template_code, company, install_demo)
        env = self.env()  # the registry may have changed if the chart installed a module
        if "kopdes.savings.product" in env:
            env["res.company"].browse(company.id)._kopdes_savings_setup()
        return res

    def _kopdes_template_code_digits(self, template_code):
        """The length of the chart's account codes (its ``code_digits``, 6 by default)."""
        for code in self._get_parent_template(template_code) + [None]:
            for func in self._template_register[code].get("template_data", []):
                data = func(self, template_code) or {}
                if data.get("code_digits"):
                    return int(data["code_digits"])
        return 6

    def _kopdes_template_accounts(self, template_code, specs, taken=()):
        """Account template data of ``specs`` (``{xml id: (prefix, number, name, type)}``)
        with codes of the chart's length that neither the chart nor ``taken`` use."""
        digits = self._kopdes_template_code_digits(template_code)
        taken = set(taken)
        for values in self._parse_csv(template_code, "account.account").values():
            code = str(values.get("code") or "")
            taken.add(f"{code:<0{digits}}")
        accounts = {}
        for xmlid, (prefix, number, name, account_type) in specs.items():
            width = max(digits - len(prefix), len(str(number)))
            code = prefix + str(number).rjust(width, "0")
            while code in taken:
                number += 1
                code = prefix + str(number).rjust(width, "0")
            taken.add(code)
            accounts[xmlid] = {
                "name": name,
                "code": code,
                "account_type": account_type,
                "reconcile": False,
            }
        return accounts

    def _kopdes_load_missing_templates(
        self, companies, account_specs, journal_method, company_method
    ):
        """Install step for companies whose chart was loaded before the addon was installed
        (Odoo only reads the templates when a chart is loaded): create the addon's accounts
        (``account_specs``, see ``SAVINGS_ACCOUNTS``) and journals (the template methods
        named ``journal_method`` and ``company_method``), or adopt the ones an
        earlier version made (same name and type of account, same journal code), then fill
        the company fields that are still empty. Branches get only the company fields: they
        share the accounts and journals of their root company."""
        for company in companies.filtered("chart_template").sorted("parent_path"):
            ChartTemplate = self.with_company(company).with_context(
                default_company_id=company.id, allowed_company_ids=company.ids, lang="en_US"
            )
            template_code = company.chart_template
            data = {}
            if not company.parent_id:
                Account = (
                    self.env["account.account"]
                    .sudo()
                    .with_company(company)
                    .with_context(lang="en_US")
                )
                existing = Account.search([("company_ids", "in", company.id)])
                accounts = ChartTemplate._kopdes_template_accounts(
                    template_code, account_specs, taken=existing.mapped("code")
                )
                data["account.account"] = ChartTemplate._kopdes_adopt(
                    company,
                    accounts,
                    lambda vals, existing=existing: existing.filtered(
                        lambda a: a.name == vals["name"] and a.account_type == vals["account_type"]
                    )[:1],
                )
                journals = (
                    self.env["account.journal"].sudo().search([("company_id", "=", company.id)])
                )
                data["account.journal"] = ChartTemplate._kopdes_adopt(
                    company,
                    getattr(ChartTemplate, journal_method)(template_code) or {},
                    lambda vals, journals=journals: journals.filtered(
                        lambda j: j.code == vals["code"]
                    )[:1],
                )
            company_data = getattr(ChartTemplate, company_method)(template_code) or {}
            company_data = company_data.get(company.id, {})
            company_vals = {
                fname: value for fname, value in company_data.items() if not company[fname]
            }
            if company_vals:
                data["res.company"] = {company.id: company_vals}
            data = {model: records for model, records in data.items() if records}
            if data:
                ChartTemplate._load_data(data)
                _logger.info("KopDes chart templates loaded on %s: %s", company.name, list(data))

    def _kopdes_adopt(self, company, records, find_existing):
        """The template records of ``records`` still to create: those that exist under
        their xml id are left out, those ``find_existing`` finds get the xml id."""
        to_create = {}
        for xmlid, vals in records.items():
            if self.ref(xmlid, raise_if_not_found=False):
                continue
            existing = find_existing(vals)
            if existing:
                self.env["ir.model.data"]._update_xmlids(
                    [
                        {
                            "xml_id": f"account.{company.id}_{xmlid}",
                            "record": existing,
                            "noupdate": True,
                        }
                    ]
                )
            else:
                to_create[xmlid] = vals
        return to_create
