from odoo import _, api, fields, models
from odoo.tools.translate import code_translations


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_member_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Member Pricelist",
        help="Pricelist given to active members, also at the Point of Sale.",
    )
    kopdes_member_sequence_id = fields.Many2one(
        "ir.sequence", string="Member Number Sequence", copy=False
    )
    kopdes_four_eyes = fields.Boolean(
        string="Four Eyes (Maker-Checker)",
        default=True,
        help="Whoever prepared a loan application or a withdrawal that needs approval cannot "
        "approve it: another manager must.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._kopdes_setup_members()
        return companies

    def _kopdes_member_sequence(self):
        """The company's member-number sequence, created on first use."""
        self.ensure_one()
        if not self.kopdes_member_sequence_id:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": _("Member Numbers of %(company)s", company=self.name),
                        "code": "kopdes.member",
                        "prefix": "AGT-",
                        "padding": 5,
                        "company_id": self.id,
                        "implementation": "no_gap",
                    }
                )
            )
            self.sudo().kopdes_member_sequence_id = sequence
        return self.sudo().kopdes_member_sequence_id

    def _kopdes_next_member_numbers(self, count):
        """``count`` new member numbers of the company, reserved in one step."""
        self.ensure_one()
        if not count:
            return []
        sequence = self._kopdes_member_sequence()
        if sequence.use_date_range or sequence.implementation != "no_gap":
            return [sequence.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            "SELECT number_next FROM ir_sequence WHERE id = %s FOR UPDATE", [sequence.id]
        )
        first = self.env.cr.fetchone()[0]
        step = sequence.number_increment
        self.env.cr.execute(
            "UPDATE ir_sequence SET number_next = number_next + %s WHERE id = %s",
            [count * step, sequence.id],
        )
        sequence.invalidate_recordset(["number_next", "number_next_actual"])
        return [sequence.get_next_char(first + i * step) for i in range(count)]

    def _kopdes_member_pricelist(self):
        """The company's member pricelist, created on first use."""
        self.ensure_one()
        if not self.kopdes_member_pricelist_id:
            pricelist = (
                self.env["product.pricelist"]
                .sudo()
                .create(
                    {
                        "name": _("Member Prices"),
                        "company_id": self.id,
                        "currency_id": self.currency_id.id,
                        "sequence": 50,
                    }
                )
            )
            self.sudo().kopdes_member_pricelist_id = pricelist
        self._kopdes_general_pricelist()
        self._kopdes_translate_setup_names()
        return self.sudo().kopdes_member_pricelist_id

    def _kopdes_general_pricelist(self):
        """The pricelist everybody else falls back to: the first one by sequence that is not
        the member pricelist, created when the company has none."""
        self.ensure_one()
        Pricelist = self.env["product.pricelist"].sudo()
        domain = [
            ("company_id", "in", [False, self.id]),
            ("id", "!=", self.kopdes_member_pricelist_id.id),
            ("sequence", "<", self.kopdes_member_pricelist_id.sequence or 50),
        ]
        general = Pricelist.search(domain, order="sequence, id", limit=1)
        if not general:
            general = Pricelist.create(
                {
                    "name": _("General Prices"),
                    "company_id": self.id,
                    "currency_id": self.currency_id.id,
                    "sequence": 10,
                }
            )
        return general

    def _kopdes_setup_members(self):
        for company in self:
            company._kopdes_member_sequence()
            company._kopdes_member_pricelist()

    def _kopdes_demo_setup_company(self):
        """Demo data: give a demo cooperative a chart of accounts (Indonesian when installed,
        else the generic one) and keep it in its own currency: the generic chart switches a
        new company to the currency of its fiscal country (US dollars), while the demo
        cooperative, its pricelists and its prices are in rupiah."""
        chart_template = self.env["account.chart.template"]
        l10n_id = self.env["ir.module.module"].search(
            [("name", "=", "l10n_id"), ("state", "=", "installed")]
        )
        template = "id" if l10n_id else "generic_coa"
        for company in self.filtered(lambda c: not c.chart_template):
            currency = company.currency_id
            chart_template.try_loading(template, company, install_demo=False)
            if company.currency_id != currency:
                company.currency_id = currency

    def _kopdes_setup_names(self):
        """``(record, field, English source, module)`` of what the setup created with a name
        users see (pricelists in the POS, journals); other KopDes addons add theirs."""
        names = []
        Pricelist = self.env["product.pricelist"].sudo().with_context(lang="en_US")
        for company in self:
            if company.kopdes_member_pricelist_id:
                names.append(
                    (company.kopdes_member_pricelist_id, "name", "Member Prices", "kopdes_members")
                )
            general = Pricelist.search(
                [("company_id", "=", company.id), ("name", "=", "General Prices")]
            )
            names += [
                (pricelist, "name", "General Prices", "kopdes_members") for pricelist in general
            ]
        return names

    def _kopdes_translate_setup_names(self, langs=None):
        """Give those records the translation of their name in every active language (the
        setup runs in whatever language installs it, usually English), unless renamed."""
        if langs is None:
            langs = [code for code, _name in self.env["res.lang"].get_installed()]
        langs = [lang for lang in langs if lang != "en_US"]
        if not langs:
            return
        for record, field_name, source, module in self._kopdes_setup_names():
            record = record.sudo()
            if record.with_context(lang="en_US")[field_name] != source:
                continue
            values = {}
            for lang in langs:
                translated = code_translations.get_python_translations(module, lang).get(source)
                if translated:
                    values[lang] = translated
            if values:
                record.update_field_translations(field_name, values)
