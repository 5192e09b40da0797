from odoo import api, fields, models

from ..models.common import kopdes_today
from ..models.kopdes_loan_payment import OVERPAYMENT_MODES


class KopdesLoanPaymentWizard(models.TransientModel):
    _name = "kopdes.loan.payment.wizard"
    _description = "Register a Loan Payment"

    loan_id = fields.Many2one("kopdes.loan", required=True, readonly=True)
    company_id = fields.Many2one(related="loan_id.company_id")
    currency_id = fields.Many2one(related="loan_id.currency_id")
    member_id = fields.Many2one(related="loan_id.member_id")
    date = fields.Date(
        string="Payment Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    source = fields.Selection(
        [("cash", "Cash or bank"), ("savings", "Voluntary savings")],
        string="Paid From",
        required=True,
        default="cash",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Received In",
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', '=', company_id)]",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
    )
    settle = fields.Boolean(string="Repay Everything (Early Repayment)")
    amount_overdue = fields.Monetary(string="Due Now", compute="_compute_amounts")
    payoff_amount = fields.Monetary(string="Early Repayment Amount", compute="_compute_amounts")
    amount = fields.Monetary(
        required=True, compute="_compute_amount", store=True, readonly=False, precompute=True
    )
    overpayment = fields.Selection(
        OVERPAYMENT_MODES,
        string="Anything Above What Is Due Goes To",
        required=True,
        default="next",
    )
    savings_balance = fields.Monetary(
        string="Voluntary Savings Available", compute="_compute_savings_balance"
    )
    note = fields.Text()

    @api.depends("loan_id")
    def _compute_journal_id(self):
        for wizard in self:
            if not wizard.journal_id and wizard.loan_id:
                wizard.journal_id = wizard.loan_id.company_id._kopdes_savings_cash_journal()

    @api.depends("loan_id", "date")
    def _compute_amounts(self):
        for wizard in self:
            loan = wizard.loan_id.with_context(date=wizard.date)
            wizard.amount_overdue = loan.amount_overdue if loan else 0.0
            wizard.payoff_amount = (
                loan._kopdes_payoff_amount(wizard.date) if loan and loan.state == "active" else 0.0
            )

    @api.depends("loan_id", "settle", "date")
    def _compute_amount(self):
        for wizard in self:
            if wizard.settle:
                wizard.amount = wizard.payoff_amount
            elif not wizard.amount:
                wizard.amount = wizard.amount_overdue or wizard.loan_id.next_due_amount

    @api.depends("member_id", "source")
    def _compute_savings_balance(self):
        for wizard in self:
            account = (
                wizard.member_id._kopdes_savings_account("sukarela") if wizard.member_id else False
            )
            wizard.savings_balance = account.available_balance if account else 0.0

    def action_confirm(self):
        self.ensure_one()
        payment = self.loan_id._kopdes_pay(
            self.amount,
            date=self.date,
            journal=self.journal_id,
            overpayment=self.overpayment,
            settle=self.settle,
            source=self.source,
            note=self.note,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.loan.payment",
            "res_id": payment.id,
            "view_mode": "form",
        }
