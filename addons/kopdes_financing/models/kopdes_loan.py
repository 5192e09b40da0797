"""The loan: its fields, computes and CRUD.

The state machine and the arrears are in ``kopdes_loan_workflow.py``; the schedule and
the accruals on the installments (``kopdes.loan.line``), payments, payoff and settlement
amounts on ``kopdes.loan.payment``, rescheduling on ``kopdes.loan.reschedule``,
write-off on ``kopdes.loan.write.off``, provisions on ``kopdes.loan.month.end`` and the
journal entries in ``kopdes.move.mixin``.
"""

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_format import kopdes_format_amount
from odoo.addons.kopdes_members.models.kopdes_system import kopdes_without_defaults

from .common import kopdes_is_posting, kopdes_today
from .kopdes_loan_product import (
    EARLY_RULES,
    FEE_MODES,
    FREQUENCIES,
    INTEREST_METHODS,
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
    "prepared_by_id",
    "submitted_by_id",
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
    "write_off_id",
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
    _inherit = ["mail.thread", "mail.activity.mixin", "kopdes.move.mixin"]
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
        LOAN_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
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
    # four eyes (maker-checker): neither may approve the loan (see ``action_approve``)
    prepared_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="Who recorded the application (set when it is created).",
    )
    submitted_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="Who sent the application for approval.",
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
    write_off_id = fields.Many2one(
        "kopdes.loan.write.off", string="Write-Off", readonly=True, copy=False
    )
    member_overdue = fields.Boolean(string="Member in Arrears", compute="_compute_member_overdue")
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
        today = self._kopdes_as_of()
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
        overdue = self.member_id._kopdes_members_overdue(self._kopdes_as_of())
        for loan in self:
            loan.member_overdue = loan.member_id in overdue

    @api.onchange(*TERM_FIELDS)
    def _onchange_kopdes_schedule_preview(self):
        """Show the schedule (and so the installment) while the application is typed:
        new installments in the form only, made like the saved schedule; saving
        regenerates the real one (``create``/``write``), never from these."""
        Line = self.env["kopdes.loan.line"]
        for loan in self:
            if loan.state not in ("draft", "submitted"):
                continue
            vals_list = Line._kopdes_draft_schedule_vals(loan) or []
            loan.line_ids = [Command.clear()] + [Command.create(vals) for vals in vals_list]
            loan.current_line_ids = loan.line_ids

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, protected=PROTECTED_FIELDS, vals_list=vals_list)
        for vals in vals_list:
            if PROTECTED_FIELDS & {key for key, value in vals.items() if value} and (
                not kopdes_is_posting(self.env)
            ):
                raise UserError(
                    _("A loan starts as an application; its status changes with the buttons.")
                )
            # whoever records the application prepared it (four eyes), also when a copy
            vals.setdefault("prepared_by_id", self.env.uid)
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
        self.env["kopdes.loan.line"]._kopdes_generate(loans)
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
            self.env["kopdes.loan.line"]._kopdes_generate(
                self.filtered(lambda loan: loan.state in ("draft", "submitted"))
            )
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

    def action_view_write_off(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_write_off_action"
        )
        action.update(
            {"res_id": self.write_off_id.id, "view_mode": "form", "views": [(False, "form")]}
        )
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
        self.env["kopdes.loan.line"]._kopdes_generate(
            self.filtered(lambda loan: loan.state in ("draft", "submitted"))
        )
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

    def _kopdes_reschedule(self, date, term, annual_rate, reason, grace_periods=0, first_due=None):
        """Replace the open installments by a new schedule; see
        :meth:`kopdes.loan.reschedule._kopdes_reschedule_loan`."""
        self.ensure_one()
        return self.env["kopdes.loan.reschedule"]._kopdes_reschedule_loan(
            self, date, term, annual_rate, reason, grace_periods=grace_periods, first_due=first_due
        )

    def _kopdes_payoff_amount(self, date):
        """What repays the loan in full on ``date`` (see the payment side)."""
        self.ensure_one()
        return self.env["kopdes.loan.payment"]._kopdes_payoff_amount(self, date)

    def _kopdes_exit_plan(self, date, pending_fees=True):
        """What repays the loan in full on ``date``, split by account (see the payment
        side, :meth:`kopdes.loan.payment._kopdes_exit_plan`)."""
        self.ensure_one()
        return self.env["kopdes.loan.payment"]._kopdes_exit_plan(self, date, pending_fees)

    @api.model
    def _kopdes_accrue_late_fees(self, date, company=None, loans=None):
        """Charge late fees up to ``date``; see ``kopdes.loan.line._kopdes_accrue_late_fees``."""
        return self.env["kopdes.loan.line"]._kopdes_accrue_late_fees(date, company, loans)

    # --------------------------------------------------------------- helpers

    @api.model
    def _kopdes_today(self):
        """The cooperative's today, for every check and posting; never from the context."""
        return kopdes_today(self.env, self[:1].company_id or self.env.company)

    @api.model
    def _kopdes_as_of(self):
        """The date the displayed figures (amount overdue, next due, payoff) are computed
        for: the ``date`` context key of a screen (e.g. the payment wizard's date), else
        today. Display only: nothing is checked or posted with it."""
        return fields.Date.to_date(self.env.context.get("date")) or self._kopdes_today()

    def _kopdes_format(self, amount):
        """``amount`` in the loan's currency, e.g. ``Rp 20.000`` (the one KopDes formatter)."""
        return kopdes_format_amount(self.env, amount, self[:1].currency_id or None)

    def _kopdes_open_wizard(self, model, name, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_loan_id": self[:1].id, "active_ids": self.ids, **(context or {})},
        }

    @api.model
    def _kopdes_move_context(self):
        return {"kopdes_loan_posting": True}

    def _kopdes_create_move(self, lines, date, ref, journal=None, company=None, **extra):
        """Create and post one journal entry linked to this loan (or to none when called
        on several or no loans); ``extra`` goes into the move's values."""
        company = company or self.company_id
        journal = journal or company._kopdes_loan_journal()
        if not journal:
            raise UserError(_("The cooperative has no chart of accounts for its loans yet."))
        vals = self._kopdes_prepare_move_vals(
            journal,
            date,
            lines,
            ref,
            kopdes_loan_id=self.id if len(self) == 1 else False,
            **extra,
        )
        return self.with_company(company)._kopdes_make_moves([vals])

    @api.model
    def _kopdes_active_loan_filter(self, company, loans=None):
        if loans is not None:
            return SQL("loan.state = 'active' AND loan.id = ANY(%s)", list(loans.ids))
        return SQL("loan.state = 'active' AND loan.company_id = %s", company.id)
