from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import repayment as repayment_tools
from ..tools import schedule as schedule_tools

INTEREST_METHODS = [
    ("flat", "Flat (on the original principal)"),
    ("effective", "Effective (declining balance, equal principal)"),
    ("annuity", "Annuity (equal installments)"),
    ("murabahah", "Murabahah (fixed margin on the cost price)"),
]
FREQUENCIES = [("monthly", "Monthly"), ("weekly", "Weekly")]
FEE_TYPES = [("percent", "Percentage of the amount"), ("fixed", "Fixed amount")]
FEE_MODES = [("deducted", "Deducted from the disbursement"), ("separate", "Paid separately")]
LATE_FEE_MODES = [
    ("none", "No late fee"),
    ("rate", "Percentage of the overdue installment per day"),
    ("fixed", "Fixed amount per day"),
]
EARLY_RULES = [
    ("none", "Only the interest already due"),
    ("current", "Interest up to the running installment"),
    ("all", "All the scheduled interest"),
]
MAX_ANNUAL_RATE = 100
MAX_TERM = 520


class KopdesLoanProduct(models.Model):
    _name = "kopdes.loan.product"
    _description = "Loan Product"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, size=10, help="Short code, printed on loan documents.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text()
    method = fields.Selection(
        INTEREST_METHODS,
        string="Interest Method",
        required=True,
        default="flat",
        tracking=True,
    )
    annual_rate = fields.Float(
        string="Annual Rate / Margin (%)",
        digits=(16, 4),
        required=True,
        tracking=True,
        help="Interest per year in percent; for murabahah the margin per year on the cost "
        "price, fixed for the whole contract.",
    )
    frequency = fields.Selection(FREQUENCIES, required=True, default="monthly", tracking=True)
    min_term = fields.Integer(
        string="Minimum Installments", required=True, default=1, tracking=True
    )
    max_term = fields.Integer(
        string="Maximum Installments", required=True, default=12, tracking=True
    )
    default_term = fields.Integer(string="Default Installments", default=12)
    min_amount = fields.Monetary(string="Minimum Amount", tracking=True)
    max_amount = fields.Monetary(
        string="Maximum Amount", tracking=True, help="Zero means no maximum."
    )
    grace_periods = fields.Integer(
        string="Maximum Grace Installments",
        help="Installments at the start of the loan that pay interest (or margin) only.",
    )
    admin_fee_type = fields.Selection(FEE_TYPES, required=True, default="percent")
    admin_fee_value = fields.Float(string="Admin Fee", digits=(16, 4))
    admin_fee_mode = fields.Selection(
        FEE_MODES, string="Admin Fee Payment", required=True, default="deducted"
    )
    late_fee_mode = fields.Selection(
        LATE_FEE_MODES, string="Late Fee", required=True, default="rate", tracking=True
    )
    late_fee_value = fields.Float(
        string="Late Fee Rate or Amount",
        digits=(16, 4),
        help="Percent of the overdue installment per day, or rupiah per day.",
    )
    late_fee_grace_days = fields.Integer(
        help="No late fee while an installment is this many days late or less.",
    )
    early_repayment_rule = fields.Selection(
        EARLY_RULES,
        string="Future Interest on Early Repayment",
        required=True,
        default="current",
        help="What a member who repays everything early pays of the interest not yet due.",
    )
    collateral_eligible_rate = fields.Float(
        string="Eligible Collateral (%)",
        digits=(16, 2),
        help="Share of the declared value of physical collateral deducted from the base of "
        "the provision. Blocked savings always count in full.",
    )
    account_principal_id = fields.Many2one(
        "account.account",
        string="Loan Receivable Account",
        required=True,
        check_company=True,
        domain="[('account_type', 'in', "
        "('asset_current', 'asset_non_current', 'asset_receivable'))]",
    )
    account_interest_receivable_id = fields.Many2one(
        "account.account",
        string="Interest Receivable Account",
        required=True,
        check_company=True,
        help="Accrued interest (or margin) and late fees not yet paid.",
    )
    account_interest_income_id = fields.Many2one(
        "account.account",
        string="Interest Income Account",
        required=True,
        check_company=True,
        help="Interest income; for murabahah the margin income.",
    )
    account_fee_income_id = fields.Many2one(
        "account.account", string="Admin Fee Income Account", required=True, check_company=True
    )
    account_late_fee_id = fields.Many2one(
        "account.account",
        string="Late Fee Account",
        required=True,
        check_company=True,
        help="Late-fee income; for murabahah a social-fund (dana kebajikan) liability, since "
        "late fees of a sharia sale are not income.",
    )
    approval_limit_ids = fields.One2many(
        "kopdes.loan.approval.limit", "product_id", string="Approval Limits"
    )
    loan_ids = fields.One2many("kopdes.loan", "product_id", string="Loans")
    loan_count = fields.Integer(compute="_compute_loan_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code of a loan product is unique."),
    ]

    # ------------------------------------------------------------------ computes

    def _compute_loan_count(self):
        counts = dict(
            self.env["kopdes.loan"]._read_group(
                [("product_id", "in", self.ids)], ["product_id"], ["__count"]
            )
        )
        for product in self:
            product.loan_count = counts.get(product, 0)

    # ---------------------------------------------------------- constraints

    @api.constrains("annual_rate")
    def _check_annual_rate(self):
        for product in self:
            if not 0 <= product.annual_rate <= MAX_ANNUAL_RATE:
                raise ValidationError(
                    _(
                        "The annual rate of %(product)s must lie between 0 and %(max)s percent.",
                        product=product.name,
                        max=MAX_ANNUAL_RATE,
                    )
                )

    @api.constrains("min_term", "max_term", "default_term", "grace_periods")
    def _check_terms(self):
        for product in self:
            if not 1 <= product.min_term <= product.max_term <= MAX_TERM:
                raise ValidationError(
                    _(
                        "The installments of %(product)s must satisfy 1 <= minimum <= maximum "
                        "<= %(max)s.",
                        product=product.name,
                        max=MAX_TERM,
                    )
                )
            if product.default_term and not (
                product.min_term <= product.default_term <= product.max_term
            ):
                raise ValidationError(
                    _(
                        "The default number of installments of %(product)s lies outside its "
                        "minimum and maximum.",
                        product=product.name,
                    )
                )
            if not 0 <= product.grace_periods < product.max_term:
                raise ValidationError(
                    _(
                        "The grace installments of %(product)s must be fewer than its maximum "
                        "number of installments.",
                        product=product.name,
                    )
                )

    @api.constrains("min_amount", "max_amount")
    def _check_amounts(self):
        for product in self:
            if product.min_amount < 0 or product.max_amount < 0:
                raise ValidationError(_("Loan amounts cannot be negative."))
            if product.max_amount and product.min_amount > product.max_amount:
                raise ValidationError(
                    _(
                        "The minimum amount of %(product)s is above its maximum.",
                        product=product.name,
                    )
                )

    @api.constrains(
        "admin_fee_type",
        "admin_fee_value",
        "late_fee_mode",
        "late_fee_value",
        "late_fee_grace_days",
    )
    def _check_fees(self):
        for product in self:
            if product.admin_fee_value < 0 or product.late_fee_value < 0:
                raise ValidationError(_("Fees cannot be negative."))
            if product.admin_fee_type == "percent" and product.admin_fee_value > 100:
                raise ValidationError(_("An admin fee percentage cannot exceed 100."))
            if product.late_fee_mode == "rate" and product.late_fee_value > 100:
                raise ValidationError(_("A daily late fee percentage cannot exceed 100."))
            if product.late_fee_grace_days < 0:
                raise ValidationError(_("Late fee grace days cannot be negative."))

    @api.constrains("collateral_eligible_rate")
    def _check_collateral_rate(self):
        for product in self:
            if not 0 <= product.collateral_eligible_rate <= 100:
                raise ValidationError(_("The eligible share of collateral lies between 0 and 100."))

    @api.constrains("method", "account_late_fee_id")
    def _check_murabahah_social_fund(self):
        for product in self:
            if product.method == "murabahah" and product.account_late_fee_id.internal_group in (
                "income",
                "expense",
            ):
                raise ValidationError(
                    _(
                        "Late fees of the murabahah product %(product)s go to a social fund "
                        "(a liability account), not to income.",
                        product=product.name,
                    )
                )

    @api.onchange("method")
    def _onchange_method(self):
        company = self.company_id or self.env.company
        if self.method == "murabahah" and company.kopdes_loan_social_fund_account_id:
            self.account_late_fee_id = company.kopdes_loan_social_fund_account_id
            if company.kopdes_loan_margin_income_account_id:
                self.account_interest_income_id = company.kopdes_loan_margin_income_account_id
        elif self.method != "murabahah" and company.kopdes_loan_late_fee_account_id:
            self.account_late_fee_id = company.kopdes_loan_late_fee_account_id
            self.account_interest_income_id = company.kopdes_loan_interest_income_account_id

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            defaults = company._kopdes_loan_default_accounts()
            if vals.get("method") == "murabahah":
                defaults["account_late_fee_id"] = company.kopdes_loan_social_fund_account_id
                defaults["account_interest_income_id"] = (
                    company.kopdes_loan_margin_income_account_id
                )
            for field_name, account in defaults.items():
                if not vals.get(field_name) and account:
                    vals[field_name] = account.id
        return super().create(vals_list)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        defaults = company._kopdes_loan_default_accounts()
        for field_name, account in defaults.items():
            if field_name in fields_list and not values.get(field_name) and account:
                values[field_name] = account.id
        return values

    # --------------------------------------------------------------- actions

    def action_view_loans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_action"
        )
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {"default_product_id": self.id}
        return action

    # --------------------------------------------------------------- helpers

    def _kopdes_admin_fee(self, amount):
        """The admin fee of a loan of ``amount``, in whole rupiah."""
        self.ensure_one()
        if self.admin_fee_type == "fixed":
            return schedule_tools.round_half_up(schedule_tools.to_decimal(self.admin_fee_value))
        return schedule_tools.round_half_up(
            schedule_tools.to_decimal(amount)
            * schedule_tools.to_decimal(self.admin_fee_value)
            / 100
        )

    def _kopdes_late_fee_tool_mode(self):
        self.ensure_one()
        return {
            "rate": repayment_tools.FEE_RATE,
            "fixed": repayment_tools.FEE_FIXED,
        }.get(self.late_fee_mode)

    def _kopdes_approval_limit(self, user=None):
        """The largest amount ``user`` may approve for this product (0: none).

        The most specific limit wins: the user's own limit for this product, then the
        user's limit for all products, then the limits of the user's groups for this
        product, then those for all products (the largest within a level).
        """
        self.ensure_one()
        user = user or self.env.user
        limits = (
            self.env["kopdes.loan.approval.limit"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    "|",
                    ("product_id", "=", False),
                    ("product_id", "=", self.id),
                    "|",
                    ("user_id", "=", user.id),
                    ("group_id", "in", user.groups_id.ids),
                ]
            )
        )
        levels = (
            limits.filtered(lambda lim: lim.user_id and lim.product_id),
            limits.filtered(lambda lim: lim.user_id and not lim.product_id),
            limits.filtered(lambda lim: lim.group_id and lim.product_id),
            limits.filtered(lambda lim: lim.group_id and not lim.product_id),
        )
        for level in levels:
            if level:
                return max(level.mapped("max_amount"))
        return 0.0
