from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_system

from .account_chart_template import SHOP_ACCOUNTS
from .kopdes_kasbon import KASBON_POSTING

KASBON_LIMIT_MODES = [
    ("savings", "Multiple of voluntary savings"),
    ("fixed", "Fixed amount"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_kasbon_journal_id = fields.Many2one(
        "account.journal",
        string="Shop Credit Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the entries of kasbon sales and repayments.",
    )
    kopdes_kasbon_account_id = fields.Many2one(
        "account.account",
        string="Shop Credit Receivable",
        check_company=True,
        domain="[('account_type', '=', 'asset_receivable')]",
        help="The members' kasbon receivable (partner = member).",
    )
    kopdes_kasbon_limit_mode = fields.Selection(
        KASBON_LIMIT_MODES,
        string="Default Kasbon Limit",
        default="savings",
        required=True,
        help="The kasbon limit of a member without a limit of their own: a multiple of the "
        "member's simpanan sukarela balance, or the same fixed amount for every member.",
    )
    kopdes_kasbon_savings_multiple = fields.Float(
        string="Multiple of Voluntary Savings",
        default=1.0,
        help="With the limit from savings: limit = this multiple x the simpanan sukarela balance.",
    )
    kopdes_kasbon_fixed_limit = fields.Monetary(
        string="Fixed Kasbon Limit",
        currency_field="currency_id",
        default=500000.0,
    )
    kopdes_kasbon_term_days = fields.Integer(
        string="Kasbon Term (Days)",
        default=30,
        help="A kasbon sale is due this many days after the sale.",
    )
    kopdes_kasbon_room_step = fields.Monetary(
        string="Kasbon Room Rounded Down To",
        currency_field="currency_id",
        default=1000.0,
        help="The cashier sees the remaining kasbon room rounded down to this step.",
    )

    @api.constrains(
        "kopdes_kasbon_savings_multiple",
        "kopdes_kasbon_fixed_limit",
        "kopdes_kasbon_term_days",
        "kopdes_kasbon_room_step",
    )
    def _check_kopdes_kasbon(self):
        for company in self:
            if (
                company.kopdes_kasbon_savings_multiple < 0
                or company.kopdes_kasbon_fixed_limit < 0
                or company.kopdes_kasbon_room_step < 0
            ):
                raise ValidationError(_("Kasbon limits cannot be negative."))
            if company.kopdes_kasbon_term_days < 1:
                raise ValidationError(_("The kasbon term is at least one day."))

    @api.model
    def _kopdes_shop_setup_all(self):
        """Install step: the kasbon account, journal and POS payment method of every
        cooperative that has a chart of accounts."""
        companies = self.sudo().search([("chart_template", "!=", False)])
        self.env["account.chart.template"].sudo()._kopdes_load_missing_templates(
            companies,
            SHOP_ACCOUNTS,
            "_get_kopdes_shop_account_journal",
            "_get_kopdes_shop_res_company",
        )
        for company in companies:
            account = company.kopdes_kasbon_account_id
            if account and not account.reconcile:
                account.reconcile = True
            company._kopdes_kasbon_pos_payment_method()

    def _kopdes_kasbon_pos_payment_method(self):
        """The company's POS payment method "Kasbon Anggota", created on first use."""
        self.ensure_one()
        Method = self.env["pos.payment.method"].sudo().with_context(active_test=False)
        method = Method.search(
            [("company_id", "=", self.id), ("kopdes_kasbon_payment", "=", True)], limit=1
        )
        if not method:
            method = Method.create(
                {
                    "name": _("Kasbon Anggota"),
                    "company_id": self.id,
                    "split_transactions": True,
                    "kopdes_kasbon_payment": True,
                }
            )
        return method

    # ------------------------------------------------------------------ demo

    @api.model
    def _kopdes_shop_demo(self, config_xmlid, sales):
        """Demo data: the "Kasbon Anggota" method in the demo shop and a few kasbon sales
        synced like the till's (``sales``: ``[(member xml id, amount, days ago, repaid)]``),
        in a session that is closed again, so the demo shop opens as usual. Generated, always
        the same: one sale repaid in cash, one overdue, one above a manager's own limit."""
        config = self.env.ref(config_xmlid, raise_if_not_found=False)
        if not config or not config.company_id.chart_template:
            return
        company = config.company_id
        # demo data is loaded before the install hook: set the cooperatives up first
        self._kopdes_shop_setup_all()
        method = company._kopdes_kasbon_pos_payment_method()
        config.payment_method_ids = [(4, method.id)]
        if (
            config.current_session_id
            or not sales
            or self.env["kopdes.kasbon"].search_count([("company_id", "=", company.id)], limit=1)
        ):
            return
        # the shop's till is opened by a POS user (the administrator), as the system
        env = self.env(
            user=self.env.ref("base.user_admin"),
            context=dict(self.env.context, allowed_company_ids=company.ids),
            su=True,
        )
        config = config.with_env(env)
        product = env["product.product"].search(
            [("available_in_pos", "=", True), ("company_id", "in", (company.id, False))],
            order="id",
            limit=1,
        )
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, "")
        Kasbon = env["kopdes.kasbon"]
        for index, (member_xmlid, amount, days_ago, repaid) in enumerate(sales):
            member = env.ref(member_xmlid)
            vals = {
                "amount_paid": amount,
                "amount_return": 0,
                "amount_tax": 0,
                "amount_total": amount,
                "date_order": fields.Datetime.now(),
                "pricelist_id": config.pricelist_id.id,
                "name": f"Order demo-kasbon-{index}",
                "lines": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "price_unit": amount,
                            "qty": 1,
                            "price_subtotal": amount,
                            "price_subtotal_incl": amount,
                            "tax_ids": [(5,)],
                        },
                    )
                ],
                "partner_id": member.partner_id.id,
                "session_id": session.id,
                "sequence_number": index + 1,
                "payment_ids": [
                    (0, 0, {"amount": amount, "payment_method_id": method.id, "name": "demo"})
                ],
                "uuid": f"kopdes-demo-kasbon-{company.id}-{index}",
                "user_id": env.uid,
                "to_invoice": False,
                "state": "paid",
            }
            order = env["pos.order"].browse(env["pos.order"]._process_order(vals, False))
            kasbon = Kasbon.search([("pos_order_id", "=", order.id)])
            if days_ago:
                kopdes_system(kasbon, KASBON_POSTING).write(
                    {
                        "date": kasbon.date - timedelta(days=days_ago),
                        "due_date": kasbon.due_date - timedelta(days=days_ago),
                    }
                )
            if repaid:
                env["kopdes.kasbon.repayment"]._kopdes_repay(
                    member, repaid, "cash", journal=company._kopdes_savings_cash_journal()
                )
        session.action_pos_session_closing_control()
