from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import collectability as collectability_tools
from ..tools import repayment as repayment_tools
from ..tools import schedule as schedule_tools
from .common import kopdes_is_posting, kopdes_system
from .kopdes_loan_product import (
    EARLY_RULES,
    FEE_MODES,
    FREQUENCIES,
    INTEREST_METHODS,
    MAX_ANNUAL_RATE,
    MAX_TERM,
)

LOAN_STATES = [
    ("draft", "Application"),
    ("submitted", "Waiting for Approval"),
    ("approved", "Approved"),
    ("active", "Active"),
    ("closed", "Closed"),
    ("written_off", "Written Off"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
PURPOSES = [
    ("working_capital", "Working capital"),
    ("investment", "Investment"),
    ("consumption", "Consumption"),
    ("education", "Education"),
    ("health", "Health"),
    ("housing", "Housing"),
    ("other", "Other"),
]
COLLATERAL_TYPES = [
    ("none", "None"),
    ("savings", "Blocked savings"),
    ("vehicle", "Vehicle ownership book (BPKB)"),
    ("land", "Land or house certificate"),
    ("goods", "Financed goods (murabahah)"),
    ("other", "Other"),
]
# written by the workflow and the jobs only (sudo + posting context)
PROTECTED_FIELDS = {
    "state",
    "submitted_date",
    "approved_by_id",
    "approved_date",
    "approval_note",
    "approval_limit",
    "rejected_by_id",
    "rejection_reason",
    "override_by_id",
    "override_date",
    "override_reason",
    "disbursement_date",
    "disbursement_journal_id",
    "disbursement_move_id",
    "disbursed_by_id",
    "days_past_due",
    "dpd_date",
    "collectability_id",
    "eligible_collateral",
    "provision_required",
    "provision_date",
    "closed_date",
    "write_off_date",
    "write_off_reason",
    "write_off_move_id",
}
TERM_FIELDS = {
    "product_id",
    "amount",
    "term",
    "annual_rate",
    "grace_periods",
    "method",
    "frequency",
    "application_date",
    "first_due_date",
}


class KopdesLoan(models.Model):
    _name = "kopdes.loan"
    _description = "Member Loan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "application_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "member_id.member_number", "member_id.name"]

    name = fields.Char(
        string="Loan Number", readonly=True, copy=False, default=lambda self: _("New"), index=True
    )
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        LOAN_STATES, default="draft", required=True, readonly=True, tracking=True, index=True
    )
    member_id = fields.Many2one(
        "kopdes.member",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(related="member_id.partner_id", store=True, index=True)
    member_number = fields.Char(related="member_id.member_number", string="Member No.")
    village = fields.Char(related="member_id.village", store=True, index=True)
    officer_id = fields.Many2one(
        "res.users",
        string="Loan Officer",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    product_id = fields.Many2one(
        "kopdes.loan.product",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )
    method = fields.Selection(
        INTEREST_METHODS,
        string="Interest Method",
        compute="_compute_product_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    frequency = fields.Selection(
        FREQUENCIES, compute="_compute_product_terms", store=True, readonly=False, precompute=True
    )
    annual_rate = fields.Float(
        string="Annual Rate / Margin (%)",
        digits=(16, 4),
        compute="_compute_product_terms",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    early_repayment_rule = fields.Selection(
        EARLY_RULES,
        string="Future Interest on Early Repayment",
        compute="_compute_product_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    admin_fee_mode = fields.Selection(
        FEE_MODES,
        string="Admin Fee Payment",
        compute="_compute_product_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    amount = fields.Monetary(string="Loan Amount", required=True, tracking=True)
    term = fields.Integer(string="Installments", required=True, default=12, tracking=True)
    grace_periods = fields.Integer(string="Grace Installments", tracking=True)
    admin_fee = fields.Monetary(
        compute="_compute_admin_fee", store=True, readonly=False, precompute=True
    )
    purpose = fields.Selection(PURPOSES, required=True, default="working_capital")
    purpose_note = fields.Text(string="Purpose Details")
    collateral_type = fields.Selection(
        COLLATERAL_TYPES, string="Collateral", required=True, default="none"
    )
    collateral_description = fields.Char()
    collateral_value = fields.Monetary(
        string="Declared Collateral Value",
        help="Value of physical collateral; its eligible share lowers the provision.",
    )
    collateral_savings_account_id = fields.Many2one(
        "kopdes.savings.account",
        string="Blocked Savings Account",
        check_company=True,
        domain="[('member_id', '=', member_id), ('state', '=', 'open'), "
        "('kind', 'in', ('sukarela', 'berjangka'))]",
    )
    collateral_savings_amount = fields.Monetary(
        string="Blocked Savings",
        help="Voluntary savings blocked as collateral for this loan; counts in full against "
        "the provision and cannot be withdrawn while the loan is open.",
    )
    guarantor_id = fields.Many2one(
        "res.partner",
        check_company=True,
        help="Spouse, family member or another member who guarantees the loan.",
    )
    guarantor_relation = fields.Char(string="Relation to the Member")
    application_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, copy=False
    )
    submitted_date = fields.Date(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_date = fields.Datetime(readonly=True, copy=False)
    approval_note = fields.Text(string="Approval Reason", readonly=True, copy=False)
    approval_limit = fields.Monetary(
        readonly=True, copy=False, help="The approver's limit when the loan was approved."
    )
    rejected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    override_by_id = fields.Many2one(
        "res.users", string="Overdue Override By", readonly=True, copy=False, tracking=True
    )
    override_date = fields.Datetime(readonly=True, copy=False)
    override_reason = fields.Text(readonly=True, copy=False)
    disbursement_date = fields.Date(readonly=True, copy=False, tracking=True, index=True)
    first_due_date = fields.Date(copy=False, help="Leave empty: one period after the disbursement.")
    disbursement_journal_id = fields.Many2one(
        "account.journal", readonly=True, copy=False, check_company=True
    )
    disbursement_move_id = fields.Many2one("account.move", readonly=True, copy=False)
    disbursed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    maturity_date = fields.Date(compute="_compute_schedule_totals", store=True)
    line_ids = fields.One2many("kopdes.loan.line", "loan_id", string="Schedule", readonly=True)
    current_line_ids = fields.One2many(
        "kopdes.loan.line",
        "loan_id",
        string="Current Schedule",
        domain=[("rescheduled", "=", False)],
        readonly=True,
    )
    payment_ids = fields.One2many("kopdes.loan.payment", "loan_id", string="Payments")
    payment_count = fields.Integer(compute="_compute_counts")
    move_ids = fields.One2many("account.move", "kopdes_loan_id", string="Journal Entries")
    move_count = fields.Integer(compute="_compute_counts")
    reschedule_ids = fields.One2many("kopdes.loan.reschedule", "loan_id", string="Reschedulings")
    total_interest = fields.Monetary(compute="_compute_schedule_totals", store=True)
    installment_amount = fields.Monetary(
        string="Installment", compute="_compute_schedule_totals", store=True
    )
    principal_residual = fields.Monetary(
        string="Outstanding Principal", compute="_compute_residuals", store=True
    )
    interest_residual = fields.Monetary(
        string="Outstanding Interest", compute="_compute_residuals", store=True
    )
    amount_overdue = fields.Monetary(compute="_compute_overdue")
    late_fee_residual = fields.Monetary(string="Late Fees Due", compute="_compute_overdue")
    next_due_date = fields.Date(compute="_compute_overdue")
    next_due_amount = fields.Monetary(compute="_compute_overdue")
    payoff_amount = fields.Monetary(
        string="Early Repayment Amount",
        compute="_compute_overdue",
        help="What repays the loan in full today, with the product's rule on future interest.",
    )
    days_past_due = fields.Integer(readonly=True, copy=False, index=True, aggregator="max")
    dpd_date = fields.Date(string="Arrears As Of", readonly=True, copy=False)
    collectability_id = fields.Many2one(
        "kopdes.loan.collectability",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        tracking=True,
    )
    eligible_collateral = fields.Monetary(readonly=True, copy=False)
    provision_required = fields.Monetary(string="Required Provision", readonly=True, copy=False)
    provision_date = fields.Date(readonly=True, copy=False)
    closed_date = fields.Date(readonly=True, copy=False)
    write_off_date = fields.Date(readonly=True, copy=False)
    write_off_reason = fields.Text(readonly=True, copy=False)
    write_off_move_id = fields.Many2one("account.move", readonly=True, copy=False)
    member_overdue = fields.Boolean(
        string="Member Has Overdue Loans", compute="_compute_member_overdue"
    )
    note = fields.Html()

    # ------------------------------------------------------------------ computes

    @api.depends("product_id")
    def _compute_product_terms(self):
        for loan in self:
            product = loan.product_id
            if loan.state not in ("draft", "submitted", False) and loan.method:
                continue
            loan.method = product.method
            loan.frequency = product.frequency
            loan.annual_rate = product.annual_rate
            loan.early_repayment_rule = product.early_repayment_rule
            loan.admin_fee_mode = product.admin_fee_mode

    @api.depends("product_id", "amount")
    def _compute_admin_fee(self):
        for loan in self:
            if loan.state not in ("draft", "submitted", False) and loan.admin_fee:
                continue
            loan.admin_fee = (
                loan.product_id._kopdes_admin_fee(loan.amount) if loan.product_id else 0.0
            )

    @api.depends("line_ids.due_date", "line_ids.total", "line_ids.interest", "line_ids.rescheduled")
    def _compute_schedule_totals(self):
        for loan in self:
            lines = loan.line_ids.filtered(lambda line: not line.rescheduled)
            loan.maturity_date = max(lines.mapped("due_date"), default=False)
            loan.total_interest = sum(lines.mapped("interest"))
            first = lines.sorted("sequence")[:1]
            loan.installment_amount = first.total if first else 0.0

    @api.depends("line_ids.principal_residual", "line_ids.interest_residual")
    def _compute_residuals(self):
        for loan in self:
            if loan.state in ("draft", "submitted", "approved", "rejected", "cancelled"):
                loan.principal_residual = 0.0
                loan.interest_residual = 0.0
                continue
            loan.principal_residual = sum(loan.line_ids.mapped("principal_residual"))
            loan.interest_residual = sum(loan.line_ids.mapped("interest_residual"))

    def _compute_counts(self):
        payments = dict(
            self.env["kopdes.loan.payment"]._read_group(
                [("loan_id", "in", self.ids)], ["loan_id"], ["__count"]
            )
        )
        moves = dict(
            self.env["account.move"]
            .sudo()
            ._read_group([("kopdes_loan_id", "in", self.ids)], ["kopdes_loan_id"], ["__count"])
        )
        for loan in self:
            loan.payment_count = payments.get(loan, 0)
            loan.move_count = moves.get(loan.sudo(), 0)

    @api.depends_context("date")
    def _compute_overdue(self):
        today = self._kopdes_today()
        loans = self.filtered(lambda loan: loan.id and loan.state == "active")
        overdue = {}
        if loans:
            Line = self.env["kopdes.loan.line"]
            for loan, principal, interest in Line._read_group(
                [
                    ("loan_id", "in", loans.ids),
                    ("due_date", "<=", today),
                    ("rescheduled", "=", False),
                ],
                ["loan_id"],
                ["principal_residual:sum", "interest_residual:sum"],
            ):
                overdue[loan.id] = principal + interest
        for loan in self:
            lines = loan.line_ids.filtered(lambda line: not line.rescheduled)
            loan.late_fee_residual = sum(lines.mapped("late_fee_residual"))
            loan.amount_overdue = overdue.get(loan.id, 0.0) + loan.late_fee_residual
            upcoming = lines.filtered(
                lambda line: line.due_date > today and line.state in ("open", "partial")
            ).sorted("due_date")[:1]
            loan.next_due_date = upcoming.due_date
            loan.next_due_amount = upcoming.amount_residual
            loan.payoff_amount = (
                loan._kopdes_payoff_amount(today) if loan.state == "active" else 0.0
            )

    @api.depends("member_id")
    def _compute_member_overdue(self):
        overdue = self.member_id._kopdes_members_overdue(self._kopdes_today())
        for loan in self:
            loan.member_overdue = loan.member_id in overdue

    # ---------------------------------------------------------- constraints

    @api.constrains("amount", "term", "grace_periods", "annual_rate", "product_id", "state")
    def _check_terms(self):
        for loan in self.filtered(lambda loan: loan.state in ("draft", "submitted", "approved")):
            loan._kopdes_check_terms()

    @api.constrains("member_id", "product_id", "company_id")
    def _check_same_company(self):
        for loan in self:
            if loan.member_id.company_id != loan.company_id or (
                loan.product_id.company_id != loan.company_id
            ):
                raise ValidationError(
                    _("A loan, its member and its product belong to one cooperative.")
                )

    @api.constrains("member_id", "state")
    def _check_member_active(self):
        for loan in self.filtered(lambda loan: loan.state in ("draft", "submitted")):
            if loan.member_id.state != "active":
                raise ValidationError(
                    _(
                        "%(member)s is not an active member and cannot apply for a loan.",
                        member=loan.member_id.display_name,
                    )
                )

    @api.constrains(
        "collateral_value", "collateral_savings_amount", "collateral_savings_account_id"
    )
    def _check_collateral(self):
        for loan in self:
            if loan.collateral_value < 0 or loan.collateral_savings_amount < 0:
                raise ValidationError(_("Collateral values cannot be negative."))
            account = loan.collateral_savings_account_id
            if account and account.member_id != loan.member_id:
                raise ValidationError(
                    _("Only the borrower's own savings can be blocked as collateral.")
                )
            if loan.collateral_savings_amount and not account:
                raise ValidationError(
                    _("Choose the savings account that is blocked as collateral.")
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if PROTECTED_FIELDS & {key for key, value in vals.items() if value} and (
                not kopdes_is_posting(self.env)
            ):
                raise UserError(
                    _("A loan starts as an application; its status changes with the buttons.")
                )
            if vals.get("member_id") and "company_id" not in vals:
                vals["company_id"] = (
                    self.env["kopdes.member"].browse(vals["member_id"]).company_id.id
                )
        loans = super().create(vals_list)
        for loan in loans:
            if loan.name in (False, "New", _("New")):
                loan.name = (
                    self.env["ir.sequence"]
                    .sudo()
                    .with_company(loan.company_id)
                    .with_context(ir_sequence_date=loan.application_date)
                    .next_by_code("kopdes.loan")
                ) or _("New")
        loans._kopdes_generate_lines()
        return loans

    def write(self, vals):
        protected = PROTECTED_FIELDS & set(vals)
        if protected and not kopdes_is_posting(self.env):
            raise UserError(
                _("The status and decisions of a loan change only with the buttons on its form.")
            )
        if TERM_FIELDS & set(vals):
            locked = self.filtered(lambda loan: loan.state not in ("draft", "submitted"))
            if locked and not kopdes_is_posting(self.env):
                raise UserError(
                    _(
                        "The terms of %(loans)s are fixed once approved; reschedule the loan "
                        "instead.",
                        loans=", ".join(locked.mapped("name")),
                    )
                )
        if {"member_id", "company_id"} & set(vals) and self.filtered(
            lambda loan: loan.state not in ("draft", "submitted")
        ):
            raise UserError(_("The member and cooperative of an approved loan are fixed."))
        res = super().write(vals)
        if TERM_FIELDS & set(vals) and not kopdes_is_posting(self.env):
            self.filtered(
                lambda loan: loan.state in ("draft", "submitted")
            )._kopdes_generate_lines()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_disbursed(self):
        disbursed = self.filtered(lambda loan: loan.state not in ("draft", "rejected", "cancelled"))
        if disbursed:
            raise UserError(
                _(
                    "Only applications, rejected and cancelled loans can be deleted: %(loans)s",
                    loans=", ".join(disbursed.mapped("name")),
                )
            )

    # --------------------------------------------------------------- actions

    def action_submit(self):
        self._kopdes_check_officer()
        for loan in self:
            if loan.state != "draft":
                raise UserError(_("Only applications can be submitted for approval."))
            loan._kopdes_check_terms()
            loan._kopdes_check_member_can_borrow()
        kopdes_system(self).write({"state": "submitted", "submitted_date": self._kopdes_today()})
        self._kopdes_request_approval()
        return True

    def action_open_approve_wizard(self):
        return self._kopdes_open_wizard("kopdes.loan.approve.wizard", _("Approve Loan"))

    def action_open_reject_wizard(self):
        return self._kopdes_open_wizard(
            "kopdes.loan.approve.wizard", _("Reject Loan"), {"default_decision": "reject"}
        )

    def action_open_override_wizard(self):
        return self._kopdes_open_wizard("kopdes.loan.override.wizard", _("Override Overdue Block"))

    def action_open_disburse_wizard(self):
        return self._kopdes_open_wizard("kopdes.loan.disburse.wizard", _("Disburse Loan"))

    def action_open_payment_wizard(self):
        return self._kopdes_open_wizard("kopdes.loan.payment.wizard", _("Register Payment"))

    def action_open_settlement_wizard(self):
        return self._kopdes_open_wizard(
            "kopdes.loan.payment.wizard", _("Early Repayment"), {"default_settle": True}
        )

    def action_open_write_off_wizard(self):
        return self._kopdes_open_wizard("kopdes.loan.write.off.wizard", _("Write Off Loan"))

    def action_open_reschedule_wizard(self):
        return self._kopdes_open_wizard("kopdes.loan.reschedule.wizard", _("Reschedule Loan"))

    def action_approve(self, reason):
        """Approve submitted loans within the current user's approval limit."""
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the committee approves the loan."))
        now = fields.Datetime.now()
        for loan in self:
            if loan.state != "submitted":
                raise UserError(
                    _("Only loans waiting for approval can be approved: %(loan)s", loan=loan.name)
                )
            loan._kopdes_check_terms()
            loan._kopdes_check_member_can_borrow()
            loan._kopdes_check_blocked_savings()
            limit = loan.product_id._kopdes_approval_limit(self.env.user)
            if loan.currency_id.compare_amounts(loan.amount, limit) > 0:
                raise UserError(
                    _(
                        "%(loan)s asks for %(amount)s, above your approval limit of %(limit)s "
                        "for %(product)s. A committee member with a higher limit must approve it.",
                        loan=loan.name,
                        amount=loan._kopdes_format(loan.amount),
                        limit=loan._kopdes_format(limit),
                        product=loan.product_id.name,
                    )
                )
            kopdes_system(loan).write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": now,
                    "approval_note": reason,
                    "approval_limit": limit,
                }
            )
            loan.message_post(
                body=_(
                    "Approved by %(user)s (limit %(limit)s). Reason: %(reason)s",
                    user=self.env.user.name,
                    limit=loan._kopdes_format(limit),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            loan.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reject(self, reason):
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the loan is rejected."))
        for loan in self:
            if loan.state not in ("submitted", "approved"):
                raise UserError(_("Only submitted or approved loans can be rejected."))
        kopdes_system(self).write(
            {"state": "rejected", "rejected_by_id": self.env.uid, "rejection_reason": reason}
        )
        for loan in self:
            loan.message_post(
                body=_("Rejected. Reason: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note"
            )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self._kopdes_check_officer()
        for loan in self:
            if loan.state not in ("draft", "submitted", "approved"):
                raise UserError(_("Only loans not yet disbursed can be cancelled."))
        kopdes_system(self).write({"state": "cancelled"})
        return True

    def action_reset_to_draft(self):
        self._kopdes_check_officer()
        for loan in self:
            if loan.state not in ("rejected", "cancelled"):
                raise UserError(_("Only rejected or cancelled loans can go back to application."))
        kopdes_system(self).write(
            {
                "state": "draft",
                "approved_by_id": False,
                "approved_date": False,
                "approval_note": False,
                "rejected_by_id": False,
                "rejection_reason": False,
            }
        )
        self._kopdes_generate_lines()
        return True

    def action_override_overdue(self, reason):
        """A manager allows a member with an overdue loan to take this one."""
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the member may borrow despite the overdue loan."))
        for loan in self:
            if loan.state not in ("draft", "submitted"):
                raise UserError(_("The overdue block is overridden before approval."))
        kopdes_system(self).write(
            {
                "override_by_id": self.env.uid,
                "override_date": fields.Datetime.now(),
                "override_reason": reason,
            }
        )
        for loan in self:
            loan.message_post(
                body=_(
                    "Overdue block overridden by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_disburse(self, date=None, journal=None, first_due_date=None):
        """Pay out approved loans: the schedule from the disbursement date and the entry
        debiting the loan receivable against cash or bank (and the admin fee)."""
        self._kopdes_check_officer()
        today = self._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        for loan in self:
            if loan.state != "approved":
                raise UserError(
                    _("%(loan)s is not approved and cannot be disbursed.", loan=loan.name)
                )
            loan_journal = journal or loan.company_id._kopdes_savings_cash_journal()
            if not loan_journal or loan_journal.type not in ("cash", "bank"):
                raise UserError(_("Choose the cash or bank journal the money is paid from."))
            if loan_journal.company_id != loan.company_id:
                raise UserError(_("The journal belongs to another cooperative."))
            if date > today:
                raise UserError(_("A loan cannot be disbursed in the future."))
            if date < loan.application_date:
                raise UserError(_("A loan cannot be disbursed before its application date."))
            if loan.member_id.state != "active":
                raise UserError(
                    _(
                        "%(member)s is no longer an active member; the loan cannot be disbursed.",
                        member=loan.member_id.display_name,
                    )
                )
            loan._kopdes_check_member_can_borrow()
            loan._kopdes_check_blocked_savings()
            first_due = (
                fields.Date.to_date(first_due_date) if first_due_date else loan.first_due_date
            )
            if first_due and first_due <= date:
                raise UserError(_("The first installment falls due after the disbursement."))
            loan.sudo().with_context(kopdes_loan_posting=True).write(
                {"first_due_date": first_due or False}
            )
            loan._kopdes_generate_lines(start=date)
            move = loan._kopdes_create_move(
                loan._prepare_disbursement_move_line_vals(loan_journal),
                date,
                _("Disbursement %(loan)s", loan=loan.name),
                journal=loan_journal,
            )
            loan.sudo().with_context(kopdes_loan_posting=True).write(
                {
                    "state": "active",
                    "disbursement_date": date,
                    "disbursement_journal_id": loan_journal.id,
                    "disbursement_move_id": move.id,
                    "disbursed_by_id": self.env.uid,
                }
            )
            loan.message_post(
                body=_(
                    "Disbursed %(amount)s on %(date)s (%(journal)s).",
                    amount=loan._kopdes_format(loan.amount),
                    date=fields.Date.to_string(date),
                    journal=loan_journal.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._kopdes_update_arrears(today, loans=self)
        return True

    def action_print_schedule(self):
        return self.env.ref("kopdes_financing.action_report_kopdes_loan_schedule").report_action(
            self
        )

    def action_print_statement(self):
        return self.env.ref("kopdes_financing.action_report_kopdes_loan_statement").report_action(
            self
        )

    def action_view_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_payment_action"
        )
        action["domain"] = [("loan_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Journal Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("kopdes_loan_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_compute_schedule(self):
        self.filtered(lambda loan: loan.state in ("draft", "submitted"))._kopdes_generate_lines()
        return True

    # ----------------------------------------------------- payments (API)

    def _kopdes_pay(
        self,
        amount,
        date=None,
        journal=None,
        overpayment="next",
        settle=False,
        source="cash",
        note=False,
        savings_account=None,
    ):
        """Register a repayment of ``amount`` and return the posted payment.

        :param overpayment: ``next``: what exceeds the installments due goes to the next
            installments; ``savings``: it is deposited on the member's voluntary savings.
        :param settle: early full repayment with the product's rule on future interest.
        :param source: ``cash`` (the journal's cash or bank account) or ``savings`` (a
            withdrawal from the member's voluntary savings).
        """
        self.ensure_one()
        return self.env["kopdes.loan.payment"]._kopdes_register(
            self,
            amount,
            date=date,
            journal=journal,
            overpayment=overpayment,
            settle=settle,
            source=source,
            note=note,
            savings_account=savings_account,
        )

    def _kopdes_write_off(self, date=None, reason=None):
        """Write off active loans against the provision (PPAP)."""
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the loan is written off."))
        today = self._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        Allocation = kopdes_system(self.env["kopdes.loan.allocation"])
        for loan in self:
            if loan.state != "active":
                raise UserError(_("Only active loans can be written off: %(loan)s", loan=loan.name))
            if date > today or date < loan.disbursement_date:
                raise UserError(_("The write-off date lies between the disbursement and today."))
            loan._kopdes_lock()
            company = loan.company_id
            if not company.kopdes_loan_provision_account_id:
                raise UserError(_("Set the loan loss provision account of the cooperative first."))
            lines = loan.line_ids.filtered(lambda line: not line.rescheduled)
            vals_list = []
            principal = interest_rec = late_fee = 0.0
            for line in lines:
                receivable = line._kopdes_interest_receivable_open()
                if not (
                    line.principal_residual or line.interest_residual or line.late_fee_residual
                ):
                    continue
                vals_list.append(
                    {
                        "loan_id": loan.id,
                        "line_id": line.id,
                        "kind": "write_off",
                        "date": date,
                        "principal": line.principal_residual,
                        "interest": line.interest_residual,
                        "interest_receivable": receivable,
                        "late_fee": line.late_fee_residual,
                    }
                )
                principal += line.principal_residual
                interest_rec += receivable
                late_fee += line.late_fee_residual
            product = loan.product_id
            partner = loan.partner_id.id
            label = _("Write-off %(loan)s", loan=loan.name)
            move_lines = [
                loan._kopdes_line(company.kopdes_loan_provision_account_id, principal, label, None),
                loan._kopdes_line(product.account_principal_id, -principal, label, partner),
                loan._kopdes_line(product.account_interest_income_id, interest_rec, label, partner),
                loan._kopdes_line(product.account_late_fee_id, late_fee, label, partner),
                loan._kopdes_line(
                    product.account_interest_receivable_id,
                    -(interest_rec + late_fee),
                    label,
                    partner,
                ),
            ]
            move = loan._kopdes_create_move(move_lines, date, label)
            Allocation.create(vals_list)
            loan.sudo().with_context(kopdes_loan_posting=True).write(
                {
                    "state": "written_off",
                    "write_off_date": date,
                    "write_off_reason": reason,
                    "write_off_move_id": move.id,
                }
            )
            loan.message_post(
                body=_(
                    "Written off: principal %(principal)s. Reason: %(reason)s",
                    principal=loan._kopdes_format(principal),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _kopdes_reschedule(self, date, term, annual_rate, reason, grace_periods=0, first_due=None):
        """Replace the open installments of an active loan by a new schedule.

        The unpaid principal, plus the accrued interest and late fees still unpaid
        (capitalised), is spread over ``term`` new installments; interest not accrued yet
        is dropped. The old installments stay as history (``rescheduled``).
        """
        self.ensure_one()
        self._kopdes_check_manager()
        loan = self
        if loan.state != "active":
            raise UserError(_("Only active loans can be rescheduled."))
        if not (reason or "").strip():
            raise UserError(_("Write why the loan is rescheduled."))
        today = self._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        if date > today or date < loan.disbursement_date:
            raise UserError(_("The rescheduling date lies between the disbursement and today."))
        if not 1 <= term <= MAX_TERM:
            raise UserError(
                _("A new schedule has between 1 and %(max)s installments.", max=MAX_TERM)
            )
        if not 0 <= annual_rate <= MAX_ANNUAL_RATE:
            raise UserError(
                _("The annual rate must lie between 0 and %(max)s percent.", max=MAX_ANNUAL_RATE)
            )
        if not 0 <= grace_periods < term:
            raise UserError(_("The grace installments must be fewer than the installments."))
        first_due = fields.Date.to_date(first_due) if first_due else None
        if first_due and first_due <= date:
            raise UserError(_("The first new installment falls due after the rescheduling."))
        loan._kopdes_lock()
        loan._kopdes_accrue_late_fees(date, loans=loan)
        lines = loan.line_ids.filtered(lambda line: not line.rescheduled)
        principal = capital_interest = capital_fee = 0.0
        vals_list = []
        for line in lines:
            receivable = line._kopdes_interest_receivable_open()
            if not (line.principal_residual or line.interest_residual or line.late_fee_residual):
                continue
            vals_list.append(
                {
                    "loan_id": loan.id,
                    "line_id": line.id,
                    "kind": "reschedule",
                    "date": date,
                    "principal": line.principal_residual,
                    "interest": line.interest_residual,
                    "interest_receivable": receivable,
                    "late_fee": line.late_fee_residual,
                }
            )
            principal += line.principal_residual
            capital_interest += receivable
            capital_fee += line.late_fee_residual
        new_principal = int(loan.currency_id.round(principal + capital_interest + capital_fee))
        if new_principal <= 0:
            raise UserError(_("Nothing is left to reschedule on %(loan)s.", loan=loan.name))
        installments = loan._kopdes_schedule(
            new_principal, term, annual_rate, grace_periods, date, first_due
        )
        version = max(lines.mapped("schedule_version"), default=1) + 1
        reschedule = kopdes_system(self.env["kopdes.loan.reschedule"]).create(
            {
                "loan_id": loan.id,
                "date": date,
                "reason": reason,
                "principal_before": principal,
                "capitalised_interest": capital_interest,
                "capitalised_late_fee": capital_fee,
                "principal_after": new_principal,
                "term": term,
                "annual_rate": annual_rate,
                "grace_periods": grace_periods,
                "schedule_version": version,
                "old_maturity_date": loan.maturity_date,
            }
        )
        for vals in vals_list:
            vals["reschedule_id"] = reschedule.id
        capitalised = capital_interest + capital_fee
        if capitalised:
            label = _("Rescheduling %(loan)s: capitalised arrears", loan=loan.name)
            product = loan.product_id
            partner = loan.partner_id.id
            move = loan._kopdes_create_move(
                [
                    loan._kopdes_line(product.account_principal_id, capitalised, label, partner),
                    loan._kopdes_line(
                        product.account_interest_receivable_id, -capitalised, label, partner
                    ),
                ],
                date,
                label,
            )
            kopdes_system(reschedule).move_id = move
        self.env["kopdes.loan.allocation"].sudo().with_context(kopdes_loan_posting=True).create(
            vals_list
        )
        lines.sudo().with_context(kopdes_loan_posting=True).write({"rescheduled": True})
        next_sequence = max(loan.line_ids.mapped("sequence"), default=0)
        kopdes_system(self.env["kopdes.loan.line"]).create(
            loan._prepare_line_vals(installments, date, next_sequence, version)
        )
        loan.message_post(
            body=_(
                "Rescheduled on %(date)s: %(principal)s over %(term)s installments at "
                "%(rate)s%%. Reason: %(reason)s",
                date=fields.Date.to_string(date),
                principal=loan._kopdes_format(new_principal),
                term=term,
                rate=annual_rate,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        loan._kopdes_update_arrears(today, loans=loan)
        return reschedule

    # ------------------------------------------------------------ batch jobs

    @api.model
    def _kopdes_active_loan_filter(self, company, loans=None):
        if loans is not None:
            return SQL("loan.state = 'active' AND loan.id = ANY(%s)", list(loans.ids))
        return SQL("loan.state = 'active' AND loan.company_id = %s", company.id)

    @api.model
    def _kopdes_late_fee_increments(self, date, company=None, loans=None):
        """``[(line_id, fee, company_id, receivable, fee_account, partner_id)]``: the late
        fees of overdue installments from where they were charged up to ``date``.

        One query reads the overdue installments; the tool computes the increments.
        """
        date = fields.Date.to_date(date)
        company = company or (loans.company_id[:1] if loans else self.env.company)
        if loans is not None and not loans:
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, line.due_date, line.principal_residual + line.interest_residual,
                       line.late_fee_date, product.late_fee_grace_days, product.late_fee_mode,
                       product.late_fee_value, product.account_interest_receivable_id,
                       product.account_late_fee_id, loan.company_id, loan.partner_id
                  FROM kopdes_loan_line line
                  JOIN kopdes_loan loan ON loan.id = line.loan_id
                  JOIN kopdes_loan_product product ON product.id = loan.product_id
                 WHERE %s
                   AND line.rescheduled IS NOT TRUE
                   AND product.late_fee_mode != 'none'
                   AND product.late_fee_value > 0
                   AND line.due_date < %s
                   AND line.principal_residual + line.interest_residual > 0
                   AND (line.late_fee_date IS NULL OR line.late_fee_date < %s)
                """,
                self._kopdes_active_loan_filter(company, loans),
                date,
                date,
            )
        )
        result = []
        for (
            line_id,
            due_date,
            overdue,
            charged_until,
            grace_days,
            mode,
            value,
            receivable,
            fee_account,
            company_id,
            partner_id,
        ) in self.env.cr.fetchall():
            fee = repayment_tools.late_fee_increment(
                due_date,
                int(overdue),
                charged_until,
                date,
                grace_days or 0,
                mode,
                repayment_tools.to_decimal(value),
            )
            result.append((line_id, fee, company_id, receivable, fee_account, partner_id))
        return result

    @api.model
    def _kopdes_accrue_late_fees(self, date, company=None, loans=None):
        """Charge the late fees of overdue installments up to ``date`` (idempotent).

        One query reads, one writes, and one journal entry per cooperative books the fees
        (receivable against late-fee income, or the social fund for murabahah).
        """
        date = fields.Date.to_date(date)
        rows = self._kopdes_late_fee_increments(date, company, loans)
        ids, increments = [], []
        totals = defaultdict(float)
        for line_id, fee, company_id, receivable, fee_account, partner_id in rows:
            ids.append(line_id)
            increments.append(fee)
            if fee:
                key = (company_id, receivable, fee_account, partner_id if loans else None)
                totals[key] += fee
        if not ids:
            return self.env["account.move"]
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan_line line
                   SET late_fee = COALESCE(line.late_fee, 0) + inc.fee, late_fee_date = %s
                  FROM unnest(%s::int[], %s::numeric[]) AS inc(id, fee)
                 WHERE line.id = inc.id
                """,
                date,
                ids,
                increments,
            )
        )
        self.env["kopdes.loan.line"].invalidate_model()
        by_company = defaultdict(list)
        for (company_id, receivable, fee_account, partner_id), amount in totals.items():
            by_company[company_id].append((receivable, fee_account, partner_id, amount))
        moves = self.env["account.move"]
        for company_id, entries in by_company.items():
            company_rec = self.env["res.company"].browse(company_id)
            label = _("Late fees up to %(date)s", date=fields.Date.to_string(date))
            lines = []
            for receivable, fee_account, partner_id, amount in entries:
                lines.append(self._kopdes_line_ids(receivable, amount, label, partner_id))
                lines.append(self._kopdes_line_ids(fee_account, -amount, label, partner_id))
            loan = loans[:1] if loans else self.browse()
            moves |= loan._kopdes_create_move(lines, date, label, company=company_rec)
        return moves

    @api.model
    def _kopdes_accrue_interest(self, period_end, company):
        """Book as receivable the interest of every installment due up to ``period_end``
        not yet recognised (idempotent: a second run finds nothing). Returns the move."""
        period_end = fields.Date.to_date(period_end)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan_line line
                   SET interest_accrued = COALESCE(line.interest_accrued, 0) + todo.amount
                  FROM (
                        SELECT line.id,
                               line.interest - COALESCE(line.interest_accrued, 0)
                               - (line.interest_settled - line.interest_receivable_settled)
                               AS amount
                          FROM kopdes_loan_line line
                          JOIN kopdes_loan loan ON loan.id = line.loan_id
                         WHERE %s AND line.rescheduled IS NOT TRUE AND line.due_date <= %s
                       ) todo
                 WHERE line.id = todo.id AND todo.amount > 0
             RETURNING line.loan_id, todo.amount
                """,
                self._kopdes_active_loan_filter(company),
                period_end,
            )
        )
        per_loan = self.env.cr.fetchall()
        self.env["kopdes.loan.line"].invalidate_model()
        if not per_loan:
            return self.env["account.move"]
        self.env.cr.execute(
            SQL(
                """
                SELECT loan.id, product.account_interest_receivable_id,
                       product.account_interest_income_id
                  FROM kopdes_loan loan
                  JOIN kopdes_loan_product product ON product.id = loan.product_id
                 WHERE loan.id = ANY(%s)
                """,
                list({loan_id for loan_id, _amount in per_loan}),
            )
        )
        accounts = {loan_id: (rec, income) for loan_id, rec, income in self.env.cr.fetchall()}
        totals = defaultdict(float)
        for loan_id, amount in per_loan:
            totals[accounts[loan_id]] += float(amount)
        label = _("Interest accrued up to %(date)s", date=fields.Date.to_string(period_end))
        lines = []
        for (receivable, income), amount in sorted(totals.items()):
            lines.append(self._kopdes_line_ids(receivable, amount, label, None))
            lines.append(self._kopdes_line_ids(income, -amount, label, None))
        return self.browse()._kopdes_create_move(lines, period_end, label, company=company)

    @api.model
    def _kopdes_update_arrears(self, date, company=None, loans=None):
        """Days past due and collectability class of active loans as of ``date``: two
        queries whatever the number of loans."""
        date = fields.Date.to_date(date)
        company = company or (loans.company_id[:1] if loans else self.env.company)
        if loans is not None and not loans:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan loan
                   SET days_past_due = COALESCE(%s - sub.oldest, 0), dpd_date = %s
                  FROM (
                        SELECT loan.id,
                               MIN(line.due_date) FILTER (
                                   WHERE line.due_date < %s AND line.rescheduled IS NOT TRUE
                                     AND line.principal_residual + line.interest_residual > 0
                               ) AS oldest
                          FROM kopdes_loan loan
                     LEFT JOIN kopdes_loan_line line ON line.loan_id = loan.id
                         WHERE %s
                      GROUP BY loan.id
                       ) sub
                 WHERE loan.id = sub.id
                """,
                date,
                date,
                date,
                self._kopdes_active_loan_filter(company, loans),
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan loan
                   SET collectability_id = (
                        SELECT cls.id FROM kopdes_loan_collectability cls
                         WHERE cls.company_id = loan.company_id
                           AND cls.min_days <= loan.days_past_due
                      ORDER BY cls.min_days DESC LIMIT 1)
                 WHERE %s
                """,
                self._kopdes_active_loan_filter(company, loans),
            )
        )
        self.invalidate_model()

    @api.model
    def _kopdes_update_provisions(self, date, company):
        """Required provision (PPAP) of every active loan from its class, less eligible
        collateral: one read, the tool, one write. Returns the company's total."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT loan.id, loan.principal_residual,
                       LEAST(loan.collateral_savings_amount, GREATEST(savings.balance, 0)),
                       loan.collateral_value, product.collateral_eligible_rate,
                       cls.provision_rate, cls.deduct_collateral
                  FROM kopdes_loan loan
                  JOIN kopdes_loan_product product ON product.id = loan.product_id
             LEFT JOIN kopdes_loan_collectability cls ON cls.id = loan.collectability_id
             LEFT JOIN kopdes_savings_account savings
                    ON savings.id = loan.collateral_savings_account_id
                 WHERE %s
                """,
                self._kopdes_active_loan_filter(company),
            )
        )
        ids, provisions, collaterals = [], [], []
        total = 0
        for (
            loan_id,
            outstanding,
            blocked,
            declared,
            eligible_rate,
            rate,
            deduct,
        ) in self.env.cr.fetchall():
            outstanding = int(outstanding or 0)
            collateral = int(blocked or 0) + schedule_tools.round_down(
                schedule_tools.to_decimal(declared or 0)
                * schedule_tools.to_decimal(eligible_rate or 0)
                / 100
            )
            cls = collectability_tools.CollectabilityClass(
                "", "", 0, schedule_tools.to_decimal(rate or 0), bool(deduct), False
            )
            amount = collectability_tools.provision(outstanding, collateral, cls)
            ids.append(loan_id)
            provisions.append(amount)
            collaterals.append(collectability_tools.eligible_collateral(outstanding, collateral))
            total += amount
        if ids:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE kopdes_loan loan
                       SET provision_required = v.provision, eligible_collateral = v.collateral,
                           provision_date = %s
                      FROM unnest(%s::int[], %s::numeric[], %s::numeric[])
                           AS v(id, provision, collateral)
                     WHERE loan.id = v.id
                    """,
                    date,
                    ids,
                    provisions,
                    collaterals,
                )
            )
        # loans no longer active need no provision
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan SET provision_required = 0
                 WHERE company_id = %s AND state != 'active' AND provision_required != 0
                """,
                company.id,
            )
        )
        self.invalidate_model()
        return total

    @api.model
    def _kopdes_booked_provision(self, date, company):
        """The credit balance of the company's provision account up to ``date``."""
        account = company.kopdes_loan_provision_account_id
        if not account:
            return 0.0
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(credit - debit), 0) FROM account_move_line
                 WHERE account_id = %s AND company_id = %s AND parent_state = 'posted'
                   AND date <= %s
                """,
                account.id,
                company.id,
                date,
            )
        )
        return float(self.env.cr.fetchone()[0])

    @api.model
    def _kopdes_post_provision(self, date, company, required):
        """Post the difference between the required and the booked provision."""
        booked = self._kopdes_booked_provision(date, company)
        difference = company.currency_id.round(required - booked)
        if company.currency_id.is_zero(difference):
            return booked, self.env["account.move"]
        if not company.kopdes_loan_provision_expense_account_id:
            raise UserError(_("Set the provision accounts of the cooperative first."))
        label = _("Loan loss provision (PPAP) at %(date)s", date=fields.Date.to_string(date))
        lines = [
            self._kopdes_line_ids(
                company.kopdes_loan_provision_expense_account_id.id, difference, label, None
            ),
            self._kopdes_line_ids(
                company.kopdes_loan_provision_account_id.id, -difference, label, None
            ),
        ]
        return booked, self.browse()._kopdes_create_move(lines, date, label, company=company)

    @api.model
    def _cron_daily(self):
        """Late fees and days past due of every cooperative, up to today."""
        today = fields.Date.context_today(self)
        companies = (
            self.env["kopdes.loan"].sudo()._read_group([("state", "=", "active")], ["company_id"])
        )
        for (company,) in companies:
            loans = self.sudo().with_company(company)
            loans._kopdes_accrue_late_fees(today, company=company)
            loans._kopdes_update_arrears(today, company=company)

    # --------------------------------------------------------------- helpers

    @api.model
    def _kopdes_today(self):
        return fields.Date.to_date(self.env.context.get("date")) or fields.Date.context_today(self)

    def _kopdes_format(self, amount):
        currency = self.currency_id or self.env.company.currency_id
        return f"{currency.symbol} {amount:,.0f}".replace(",", ".")

    def _kopdes_open_wizard(self, model, name, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_loan_id": self[:1].id, "active_ids": self.ids, **(context or {})},
        }

    def _kopdes_check_officer(self):
        if not self.env.su and not self.env.user.has_group(
            "kopdes_members.group_kopdes_loan_officer"
        ):
            raise AccessError(_("Only loan officers (Petugas Pembiayaan) can do this."))

    def _kopdes_check_manager(self):
        if not self.env.su and not self.env.user.has_group("kopdes_members.group_kopdes_manager"):
            raise AccessError(_("Only a manager (Pengurus) of the cooperative can do this."))

    def _kopdes_lock(self):
        """Lock the loans until the end of the transaction (two tellers, one loan)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM kopdes_loan WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["state"])

    def _kopdes_check_terms(self):
        """Refuse amounts, terms and rates outside the product (clear message)."""
        self.ensure_one()
        product = self.product_id
        currency = self.currency_id
        if currency.compare_amounts(self.amount, 0.0) <= 0:
            raise ValidationError(_("The loan amount must be greater than zero."))
        if not currency.is_zero(self.amount - round(self.amount)):
            raise ValidationError(_("Loan amounts are in whole rupiah."))
        if product.min_amount and currency.compare_amounts(self.amount, product.min_amount) < 0:
            raise ValidationError(
                _(
                    "%(product)s lends at least %(min)s.",
                    product=product.name,
                    min=self._kopdes_format(product.min_amount),
                )
            )
        if product.max_amount and currency.compare_amounts(self.amount, product.max_amount) > 0:
            raise ValidationError(
                _(
                    "%(product)s lends at most %(max)s.",
                    product=product.name,
                    max=self._kopdes_format(product.max_amount),
                )
            )
        if not product.min_term <= self.term <= product.max_term:
            raise ValidationError(
                _(
                    "%(product)s has between %(min)s and %(max)s installments; %(term)s asked.",
                    product=product.name,
                    min=product.min_term,
                    max=product.max_term,
                    term=self.term,
                )
            )
        if not 0 <= self.grace_periods <= product.grace_periods or self.grace_periods >= self.term:
            raise ValidationError(
                _(
                    "%(product)s allows at most %(max)s grace installments, fewer than the "
                    "installments.",
                    product=product.name,
                    max=product.grace_periods,
                )
            )
        if not 0 <= self.annual_rate <= MAX_ANNUAL_RATE:
            raise ValidationError(
                _("The annual rate must lie between 0 and %(max)s percent.", max=MAX_ANNUAL_RATE)
            )

    def _kopdes_check_blocked_savings(self):
        """The savings blocked as collateral must be there, above what other loans block."""
        self.ensure_one()
        account = self.collateral_savings_account_id
        if not account or not self.collateral_savings_amount:
            return
        others = account._kopdes_blocked_amounts(exclude_loan=self).get(account.id, 0.0)
        free = account.balance - others
        if self.currency_id.compare_amounts(free, self.collateral_savings_amount) < 0:
            raise UserError(
                _(
                    "%(account)s has only %(free)s free to block as collateral; %(amount)s "
                    "is asked.",
                    account=account.display_name,
                    free=self._kopdes_format(max(free, 0.0)),
                    amount=self._kopdes_format(self.collateral_savings_amount),
                )
            )

    def _kopdes_check_member_can_borrow(self):
        """A member with an overdue loan needs a recorded manager's override."""
        self.ensure_one()
        if not self.company_id.kopdes_loan_block_overdue or self.override_by_id:
            return
        overdue = self.member_id._kopdes_members_overdue(self._kopdes_today())
        if overdue:
            raise UserError(
                _(
                    "%(member)s has an overdue loan. A manager (Pengurus) must override the "
                    "block, with a reason, before this loan can go ahead.",
                    member=self.member_id.display_name,
                )
            )

    def _kopdes_request_approval(self):
        group = self.env.ref("kopdes_members.group_kopdes_manager")
        for loan in self:
            approvers = group.users.filtered(
                lambda u, current=loan: (
                    not u.share
                    and current.company_id in u.company_ids
                    and current.product_id._kopdes_approval_limit(u) >= current.amount
                )
            )
            if approvers:
                loan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approvers[0].id,
                    summary=_("Approve loan"),
                    note=_(
                        "%(member)s asks for %(amount)s (%(product)s).",
                        member=loan.member_id.display_name,
                        amount=loan._kopdes_format(loan.amount),
                        product=loan.product_id.name,
                    ),
                )

    def _kopdes_schedule(self, principal, term, rate, grace, start, first_due=None):
        messages = {
            schedule_tools.PRINCIPAL: _("The loan amount must be a whole number above zero."),
            schedule_tools.TERM: _("A loan has at least one installment."),
            schedule_tools.GRACE: _("The grace installments must be fewer than the installments."),
            schedule_tools.RATE: _("The rate must be zero or more."),
            schedule_tools.METHOD: _("Unknown interest method."),
            schedule_tools.FREQUENCY: _("Unknown installment frequency."),
            schedule_tools.FIRST_DUE: _("The first installment falls due after the disbursement."),
        }
        try:
            return schedule_tools.compute(
                int(principal),
                schedule_tools.to_decimal(rate),
                term,
                self.method,
                self.frequency,
                start=start,
                grace=grace,
                first_due=first_due,
            )
        except schedule_tools.ScheduleError as err:
            raise UserError(messages[err.code]) from err

    def _prepare_line_vals(self, installments, start, offset=0, version=1):
        self.ensure_one()
        vals_list = []
        previous = start
        for item in installments:
            vals_list.append(
                {
                    "loan_id": self.id,
                    "sequence": offset + item.sequence,
                    "schedule_version": version,
                    "period_start": previous,
                    "due_date": item.due_date,
                    "principal": item.principal,
                    "interest": item.interest,
                }
            )
            previous = item.due_date
        return vals_list

    def _kopdes_generate_lines(self, start=None):
        """(Re)compute the schedule of loans not yet disbursed; at disbursement from the
        disbursement date, before as a preview from the application date."""
        vals_list = []
        for loan in self:
            if loan.state not in ("draft", "submitted", "approved"):
                continue
            if not (loan.product_id and loan.amount > 0 and loan.term > 0):
                continue
            begin = start or loan.application_date or self._kopdes_today()
            first_due = (
                loan.first_due_date if loan.first_due_date and loan.first_due_date > begin else None
            )
            try:
                installments = loan._kopdes_schedule(
                    loan.amount, loan.term, loan.annual_rate, loan.grace_periods, begin, first_due
                )
            except UserError:
                if start:
                    raise
                installments = []
            kopdes_system(loan.line_ids).unlink()
            vals_list += loan._prepare_line_vals(installments, begin)
        if vals_list:
            kopdes_system(self.env["kopdes.loan.line"]).create(vals_list)

    def _kopdes_settlement_interest(self, date):
        """``{line: interest to pay}`` of an early full repayment on ``date``."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.rescheduled).sorted("sequence")
        owed = repayment_tools.early_interest(
            [(line, line.period_start, line.due_date, line.interest_residual) for line in lines],
            date,
            self.early_repayment_rule or "all",
        )
        return owed

    def _kopdes_exit_plan(self, date, pending_fees=True):
        """What repays this loan in full on ``date``, split by account: ``receivable``
        (late fees, with those not charged yet, and accrued interest), ``income`` (interest
        not accrued yet) and ``principal``; ``lines`` gives the same per installment."""
        self.ensure_one()
        pending = {}
        if pending_fees:
            pending = {row[0]: row[1] for row in self._kopdes_late_fee_increments(date, loans=self)}
        to_pay = self._kopdes_settlement_interest(date)
        lines = self.line_ids.filtered(lambda line: not line.rescheduled).sorted(
            lambda line: (line.due_date, line.sequence)
        )
        plan = {"receivable": 0.0, "income": 0.0, "principal": 0.0, "lines": []}
        for line in lines:
            fee = line.late_fee_residual + pending.get(line.id, 0.0)
            interest = to_pay.get(line, 0.0)
            accrued = min(interest, max(line._kopdes_interest_receivable_open(), 0.0))
            plan["lines"].append((line, fee, accrued, interest - accrued, line.principal_residual))
            plan["receivable"] += fee + accrued
            plan["income"] += interest - accrued
            plan["principal"] += line.principal_residual
        return plan

    def _kopdes_payoff_amount(self, date):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.rescheduled)
        interest = self._kopdes_settlement_interest(date)
        return sum(
            line.principal_residual + line.late_fee_residual + interest.get(line, 0.0)
            for line in lines
        )

    @api.model
    def _kopdes_line_ids(self, account_id, amount, label, partner_id):
        """A move line dict from ids; positive ``amount`` debits, negative credits."""
        return {
            "name": label,
            "account_id": account_id,
            "partner_id": partner_id,
            "debit": amount if amount > 0 else 0.0,
            "credit": -amount if amount < 0 else 0.0,
        }

    def _kopdes_line(self, account, amount, label, partner_id):
        return self._kopdes_line_ids(account.id, amount, label, partner_id)

    def _prepare_disbursement_move_line_vals(self, journal):
        self.ensure_one()
        product = self.product_id
        partner = self.partner_id.id
        label = _("Disbursement %(loan)s", loan=self.name)
        cash = journal.default_account_id
        if not cash:
            raise UserError(
                _("The journal %(journal)s has no default account.", journal=journal.name)
            )
        fee = self.currency_id.round(self.admin_fee or 0.0)
        lines = [self._kopdes_line(product.account_principal_id, self.amount, label, partner)]
        if fee and self.admin_fee_mode == "deducted":
            lines.append(self._kopdes_line(cash, -(self.amount - fee), label, partner))
        else:
            lines.append(self._kopdes_line(cash, -self.amount, label, partner))
            if fee:
                lines.append(
                    self._kopdes_line(cash, fee, _("Admin fee %(loan)s", loan=self.name), partner)
                )
        if fee:
            lines.append(
                self._kopdes_line(
                    product.account_fee_income_id,
                    -fee,
                    _("Admin fee %(loan)s", loan=self.name),
                    partner,
                )
            )
        return lines

    def _kopdes_create_move(self, lines, date, ref, journal=None, company=None):
        """Create and post one journal entry linked to this loan (or to none)."""
        lines = [line for line in lines if line["debit"] or line["credit"]]
        if not lines:
            return self.env["account.move"]
        company = company or self.company_id
        journal = journal or company._kopdes_loan_journal()
        if not journal:
            raise UserError(_("The cooperative has no chart of accounts for its loans yet."))
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .with_context(kopdes_loan_posting=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": date,
                    "ref": ref,
                    "kopdes_loan_id": self.id if len(self) == 1 else False,
                    "line_ids": [Command.create(line) for line in lines],
                }
            )
        )
        move._post(soft=False)
        return move
