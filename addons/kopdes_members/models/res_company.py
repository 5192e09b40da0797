from odoo import _, api, fields, models


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
        """Demo data: give a demo cooperative a chart of accounts (Indonesian when installed)."""
        chart_template = self.env["account.chart.template"]
        for company in self.filtered(lambda c: not c.chart_template):
            l10n_id = self.env["ir.module.module"].search(
                [("name", "=", "l10n_id"), ("state", "=", "installed")]
            )
            template = "id" if l10n_id else "generic_coa"
            chart_template.try_loading(template, company, install_demo=False)
