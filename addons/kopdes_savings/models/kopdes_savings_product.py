from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from odoo.addons.kopdes_members.models.kopdes_format import kopdes_format_amount

SAVINGS_KINDS = [
    ("pokok", "Simpanan Pokok"),
    ("wajib", "Simpanan Wajib"),
    ("sukarela", "Simpanan Sukarela"),
    ("berjangka", "Simpanan Berjangka"),
]

WITHDRAWAL_POLICIES = [
    ("exit", "Only on exit from the cooperative"),
    ("anytime", "At any time"),
    ("maturity", "At maturity"),
]

# withdrawal policies a kind may have; the first one is the default
KIND_POLICIES = {
    "pokok": ("exit",),
    "wajib": ("exit", "anytime"),
    "sukarela": ("anytime",),
    "berjangka": ("maturity", "anytime"),
}


class KopdesSavingsProduct(models.Model):
    _name = "kopdes.savings.product"
    _description = "Savings Product"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        size=8,
        tracking=True,
        help="Short code used in account numbers, e.g. SW for simpanan wajib.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(SAVINGS_KINDS, required=True, tracking=True, index=True)
    amount = fields.Monetary(
        tracking=True,
        help="Pokok: the amount paid once on joining. Wajib: the amount due every period.",
    )
    period = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        default="monthly",
        tracking=True,
        help="How often a wajib due is raised.",
    )
    withdrawal_policy = fields.Selection(
        WITHDRAWAL_POLICIES,
        string="Withdrawals",
        required=True,
        compute="_compute_withdrawal_policy",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Pokok is only refunded on exit; wajib on exit unless the product allows "
        "withdrawals at any time; sukarela at any time; berjangka at maturity.",
    )
    minimum_balance = fields.Monetary(
        help="Balance that must stay in the account after a withdrawal (saldo minimum).",
    )
    term_months = fields.Integer(
        string="Term (Months)", default=12, help="Term of a time deposit (berjangka)."
    )
    interest_rate = fields.Float(
        string="Interest Rate (% per Year)",
        digits=(16, 4),
        tracking=True,
        help="Jasa simpanan per year, credited at month end (sukarela and berjangka).",
    )
    interest_base = fields.Selection(
        [("minimum", "Minimum balance of the month"), ("average", "Average daily balance")],
        default="minimum",
        tracking=True,
    )
    interest_min_balance = fields.Monetary(
        string="Minimum Balance for Interest",
        help="Accounts whose interest base is below this amount earn nothing that month.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'general')]",
        tracking=True,
    )
    account_id = fields.Many2one(
        "account.account",
        string="Savings Account",
        required=True,
        check_company=True,
        tracking=True,
        help="Members' equity for pokok and wajib, a liability to members for sukarela and "
        "berjangka.",
    )
    interest_account_id = fields.Many2one(
        "account.account",
        string="Interest Expense Account",
        check_company=True,
        help="Expense account debited when interest (jasa simpanan) is credited.",
    )
    savings_account_ids = fields.One2many(
        "kopdes.savings.account", "product_id", string="Member Accounts"
    )
    savings_account_count = fields.Integer(compute="_compute_savings_account_stats")
    total_balance = fields.Monetary(compute="_compute_savings_account_stats")
    note = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The code of a savings product must be unique in the cooperative.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "The amount cannot be negative."),
        (
            "minimum_balance_positive",
            "CHECK(minimum_balance >= 0)",
            "The minimum balance cannot be negative.",
        ),
        (
            "interest_rate_range",
            "CHECK(interest_rate >= 0 AND interest_rate <= 100)",
            "The interest rate is a percentage between 0 and 100.",
        ),
    ]

    @api.depends("kind")
    def _compute_withdrawal_policy(self):
        for product in self:
            allowed = KIND_POLICIES.get(product.kind, ("anytime",))
            if product.withdrawal_policy not in allowed:
                product.withdrawal_policy = allowed[0]

    def _compute_savings_account_stats(self):
        stats = {
            product: (count, balance)
            for product, count, balance in self.env["kopdes.savings.account"]._read_group(
                [("product_id", "in", self.ids)], ["product_id"], ["__count", "balance:sum"]
            )
        }
        for product in self:
            product.savings_account_count, product.total_balance = stats.get(product, (0, 0.0))

    @api.constrains("kind", "withdrawal_policy")
    def _check_withdrawal_policy(self):
        labels = dict(self._fields["withdrawal_policy"]._description_selection(self.env))
        for product in self:
            if product.withdrawal_policy not in KIND_POLICIES[product.kind]:
                raise ValidationError(
                    _(
                        "%(product)s: withdrawals '%(policy)s' are not possible for this kind "
                        "of savings.",
                        product=product.name,
                        policy=labels[product.withdrawal_policy],
                    )
                )

    @api.constrains("kind", "amount")
    def _check_amount(self):
        for product in self:
            if (
                product.kind in ("pokok", "wajib")
                and product.currency_id.compare_amounts(product.amount, 0.0) <= 0
            ):
                raise ValidationError(
                    _(
                        "%(product)s: simpanan pokok and wajib need an amount.",
                        product=product.name,
                    )
                )

    @api.constrains("kind", "interest_rate", "interest_account_id")
    def _check_interest(self):
        for product in self:
            if not product.interest_rate:
                continue
            if product.kind not in ("sukarela", "berjangka"):
                raise ValidationError(
                    _(
                        "%(product)s: only simpanan sukarela and berjangka earn interest.",
                        product=product.name,
                    )
                )
            if not product.interest_account_id:
                raise ValidationError(
                    _(
                        "%(product)s: choose the expense account for the interest.",
                        product=product.name,
                    )
                )

    @api.constrains("kind", "term_months")
    def _check_term(self):
        for product in self:
            if product.kind == "berjangka" and product.term_months <= 0:
                raise ValidationError(
                    _("%(product)s: a time deposit needs a term in months.", product=product.name)
                )

    @api.constrains("kind", "company_id", "active")
    def _check_one_pokok_wajib(self):
        """Members get one pokok and one wajib account automatically: one such product each."""
        for product in self.filtered(lambda p: p.active and p.kind in ("pokok", "wajib")):
            others = self.search_count(
                [
                    ("company_id", "=", product.company_id.id),
                    ("kind", "=", product.kind),
                    ("id", "!=", product.id),
                ]
            )
            if others:
                raise ValidationError(
                    _(
                        "A cooperative has a single active product of the kind %(kind)s.",
                        kind=dict(SAVINGS_KINDS)[product.kind],
                    )
                )

    def write(self, vals):
        locked = [name for name in ("kind", "account_id", "company_id") if name in vals]
        if locked:
            used = self.filtered(
                lambda p: self.env["kopdes.savings.account"].search_count(
                    [("product_id", "=", p.id)], limit=1
                )
            )
            for product in used:
                for name in locked:
                    current = product[name]
                    if product._fields[name].type == "many2one":
                        current = current.id
                    if current != vals[name]:
                        raise UserError(
                            _(
                                "The kind, account and cooperative of a savings product that "
                                "members already use cannot change: %(product)s",
                                product=product.name,
                            )
                        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered("savings_account_ids")
        if used:
            raise UserError(
                _(
                    "Savings products that members use are never deleted; archive them "
                    "instead: %(products)s",
                    products=", ".join(used.mapped("name")),
                )
            )

    def action_view_accounts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_account_action"
        )
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {"default_product_id": self.id}
        return action

    def _kopdes_allows_withdrawal(self, account, on_date, exit_settlement=False):
        """Return an error message when ``account`` may not be withdrawn from, else False."""
        self.ensure_one()
        if exit_settlement:
            return False
        if self.withdrawal_policy == "exit":
            return _(
                "%(product)s can only be withdrawn when the member leaves the cooperative.",
                product=self.name,
            )
        if (
            self.withdrawal_policy == "maturity"
            and account.maturity_date
            and on_date < account.maturity_date
        ):
            return _(
                "This time deposit matures on %(date)s and cannot be withdrawn before.",
                date=format_date(self.env, account.maturity_date),
            )
        return False

    def _kopdes_format(self, amount):
        """``amount`` written with the cooperative's currency, e.g. Rp 20.000 (the one
        KopDes formatter)."""
        return kopdes_format_amount(self.env, amount, self[:1].currency_id or None)

    def _kopdes_rounding_unit(self):
        """Unit interest is rounded down to: whole rupiah (rupiah have no decimals in
        practice), the currency's rounding for other currencies."""
        currency = self[:1].currency_id or self.env.company.currency_id
        return 1.0 if currency.name == "IDR" else currency.rounding
