from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_without_defaults

from ..tools import repayment as repayment_tools
from .common import kopdes_is_posting, kopdes_system

PAYMENT_SOURCES = [
    ("cash", "Cash or bank"),
    ("savings", "Voluntary savings"),
    ("exit", "Exit settlement"),
]
OVERPAYMENT_MODES = [
    ("next", "Next installments"),
    ("savings", "Voluntary savings"),
]


class KopdesLoanPayment(models.Model):
    """A repayment of a loan: posted at once with its journal entry, never changed;
    a wrong payment is reversed, which restores the installments exactly."""

    _name = "kopdes.loan.payment"
    _description = "Loan Payment"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, index=True)
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    loan_id = fields.Many2one(
        "kopdes.loan",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
        ondelete="restrict",
    )
    member_id = fields.Many2one(related="loan_id.member_id", store=True, index=True)
    partner_id = fields.Many2one(related="loan_id.partner_id")
    product_id = fields.Many2one(related="loan_id.product_id", store=True)
    date = fields.Date(required=True, readonly=True, index=True)
    amount = fields.Monetary(string="Amount Received", readonly=True)
    amount_late_fee = fields.Monetary(string="Late Fees", readonly=True)
    amount_interest = fields.Monetary(string="Interest", readonly=True)
    amount_principal = fields.Monetary(string="Principal", readonly=True)
    amount_waived = fields.Monetary(
        string="Interest Waived",
        readonly=True,
        help="Future interest waived by an early repayment.",
    )
    amount_to_savings = fields.Monetary(string="To Voluntary Savings", readonly=True)
    source = fields.Selection(PAYMENT_SOURCES, required=True, default="cash", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True, check_company=True)
    overpayment = fields.Selection(OVERPAYMENT_MODES, default="next", readonly=True)
    is_settlement = fields.Boolean(string="Early Repayment", readonly=True)
    state = fields.Selection(
        [("posted", "Posted"), ("reversed", "Reversed")],
        default="posted",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    reversal_move_id = fields.Many2one("account.move", string="Reversal Entry", readonly=True)
    allocation_ids = fields.One2many("kopdes.loan.allocation", "payment_id", readonly=True)
    reversed_by_id = fields.Many2one("res.users", readonly=True)
    reversed_date = fields.Date(readonly=True)
    reversal_reason = fields.Text(readonly=True)
    note = fields.Text(readonly=True)
    savings_transaction_id = fields.Many2one(
        "kopdes.savings.transaction",
        string="Savings Withdrawal",
        readonly=True,
        help="The withdrawal from voluntary savings that paid this installment.",
    )
    savings_deposit_id = fields.Many2one(
        "kopdes.savings.transaction",
        readonly=True,
        help="The deposit of what was paid above the installments due.",
    )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        # only the posting code makes payments: nothing comes from the caller's defaults
        self = kopdes_without_defaults(self)
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_posting(self.env):
            raise UserError(_("Posted loan payments cannot be changed; reverse them instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Loan payments are never deleted; reverse them instead."))

    # --------------------------------------------------------------- actions

    def action_open_reverse_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Reverse Payment"),
            "res_model": "kopdes.loan.payment.reverse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_payment_id": self[:1].id},
        }

    def action_print_receipt(self):
        return self.env.ref("kopdes_financing.action_report_kopdes_loan_receipt").report_action(
            self
        )

    def action_reverse(self, reason, date=None):
        """Reverse posted payments: negative allocations and reversed journal entries."""
        self.env["kopdes.loan"]._kopdes_check_officer()
        if not (reason or "").strip():
            raise UserError(_("Write why the payment is reversed."))
        for payment in self:
            if payment.state != "posted":
                raise UserError(_("%(name)s is already reversed.", name=payment.name))
            if payment.source == "exit":
                raise UserError(_("Deductions of an exit settlement cannot be reversed here."))
            if payment.loan_id.state not in ("active", "closed"):
                raise UserError(
                    _(
                        "%(loan)s is written off; its payments can no longer be reversed.",
                        loan=payment.loan_id.name,
                    )
                )
            # the rescheduling spread what was left after this payment over a new schedule;
            # undoing the payment now would put money back on installments that no longer
            # exist (the new schedule would not owe it and a write-off would miss it)
            if payment.allocation_ids.line_id.filtered("rescheduled"):
                last = payment.loan_id.reschedule_ids.sorted("date")[-1:]
                raise UserError(
                    _(
                        "%(name)s was paid before %(loan)s was rescheduled on %(date)s; it "
                        "can no longer be reversed. Correct it with a journal entry instead.",
                        name=payment.name,
                        loan=payment.loan_id.name,
                        date=format_date(self.env, last.date),
                    )
                )
        today = self.env["kopdes.loan"]._kopdes_today()
        for payment in self:
            loan = payment.loan_id
            loan._kopdes_lock()
            reversal_date = max(fields.Date.to_date(date) if date else today, payment.date)
            kopdes_system(self.env["kopdes.loan.allocation"]).create(
                payment.allocation_ids.filtered(
                    lambda a: not a.reversal_of_id
                )._kopdes_reversal_vals(reversal_date)
            )
            reversal_move = self.env["account.move"]
            if payment.move_id:
                reversal_move = kopdes_system(payment.move_id)._reverse_moves(
                    [
                        {
                            "date": reversal_date,
                            "ref": _(
                                "Reversal of %(name)s: %(reason)s", name=payment.name, reason=reason
                            ),
                        }
                    ]
                )
                reversal_move.kopdes_loan_id = loan
                reversal_move._post(soft=False)
            payment._kopdes_reverse_savings(reason)
            payment.sudo().with_context(kopdes_loan_posting=True).write(
                {
                    "state": "reversed",
                    "reversal_move_id": reversal_move.id,
                    "reversed_by_id": self.env.uid,
                    "reversed_date": reversal_date,
                    "reversal_reason": reason,
                }
            )
            if loan.state == "closed":
                loan.sudo().with_context(kopdes_loan_posting=True).write(
                    {"state": "active", "closed_date": False}
                )
            loan.message_post(
                body=_(
                    "Payment %(name)s of %(amount)s reversed. Reason: %(reason)s",
                    name=payment.name,
                    amount=loan._kopdes_format(payment.amount),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            loan._kopdes_update_arrears(today, loans=loan)
        return True

    # --------------------------------------------------------------- posting

    @api.model
    def _kopdes_register(
        self,
        loan,
        amount,
        date=None,
        journal=None,
        overpayment="next",
        settle=False,
        source="cash",
        note=False,
        savings_account=None,
    ):
        """Check, allocate and post one repayment of ``loan``; see ``kopdes.loan._kopdes_pay``."""
        loan.ensure_one()
        loan._kopdes_check_officer()
        today = loan._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        currency = loan.currency_id
        self._kopdes_check_input(loan, amount, date, today, journal, overpayment, source)
        savings_account = self._kopdes_source_savings_account(loan, source, savings_account)
        loan._kopdes_lock()
        self.env["kopdes.loan.line"]._kopdes_accrue_late_fees(date, loans=loan)
        lines = loan.line_ids.filtered(lambda line: not line.rescheduled).sorted(
            lambda line: (line.due_date, line.sequence)
        )
        waive = {}
        if settle:
            to_pay = self._kopdes_settlement_interest(loan, date)
            waive = {
                line: line.interest_residual - to_pay.get(line, 0.0)
                for line in lines
                if currency.compare_amounts(line.interest_residual, to_pay.get(line, 0.0)) > 0
            }
        dues = []
        for line in lines:
            if not settle and overpayment == "savings" and line.due_date > date:
                continue
            dues.append(
                repayment_tools.Due(
                    line.id,
                    round(line.late_fee_residual),
                    round(line.interest_residual - waive.get(line, 0.0)),
                    round(line.principal_residual),
                )
            )
        owed = sum(due.total for due in dues)
        allocations, rest = repayment_tools.allocate(round(amount), dues)
        if settle and currency.compare_amounts(amount, owed) < 0:
            raise UserError(
                _(
                    "Repaying %(loan)s in full on %(date)s takes %(amount)s.",
                    loan=loan.name,
                    date=format_date(self.env, date),
                    amount=loan._kopdes_format(owed),
                )
            )
        if rest and (overpayment != "savings" or source == "savings"):
            raise UserError(
                _(
                    "The payment is %(rest)s more than %(loan)s still owes (%(owed)s). Lower the "
                    "amount or put the rest into voluntary savings.",
                    rest=loan._kopdes_format(rest),
                    loan=loan.name,
                    owed=loan._kopdes_format(owed),
                )
            )
        if not allocations:
            if rest and overpayment == "savings":
                raise UserError(
                    _(
                        "Nothing of %(loan)s is due yet on %(date)s; pay towards the next "
                        "installments instead.",
                        loan=loan.name,
                        date=format_date(self.env, date),
                    )
                )
            raise UserError(_("%(loan)s has nothing due to pay.", loan=loan.name))
        payment = self._kopdes_create_payment(
            loan,
            date,
            {
                "amount": amount,
                "source": source,
                "journal_id": journal.id if journal else False,
                "overpayment": overpayment,
                "is_settlement": settle,
                "note": note,
            },
        )
        payment._kopdes_post(lines, allocations, waive, rest, journal, savings_account)
        payment._kopdes_payments_posted()
        return payment.with_env(self.env)

    @api.model
    def _kopdes_create_payment(self, loan, date, vals):
        """A payment of ``loan`` on ``date`` numbered from the cooperative's sequence, created
        by the posting code (payments cannot be created or written from the client)."""
        name = (
            self.env["ir.sequence"]
            .sudo()
            .with_company(loan.company_id)
            .with_context(ir_sequence_date=date)
            .next_by_code("kopdes.loan.payment")
        )
        return (
            self.sudo()
            .with_context(kopdes_loan_posting=True)
            .create(
                {
                    "name": name or "/",
                    "company_id": loan.company_id.id,
                    "loan_id": loan.id,
                    "date": date,
                    **vals,
                }
            )
        )

    def _kopdes_check_input(self, loan, amount, date, today, journal, overpayment, source):
        currency = loan.currency_id
        labels = dict(loan._fields["state"]._description_selection(self.env))
        if loan.state != "active":
            raise UserError(
                _(
                    "%(loan)s is %(state)s and takes no payments.",
                    loan=loan.name,
                    state=labels[loan.state].lower(),
                )
            )
        if not amount or currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(_("The amount must be greater than zero."))
        if not currency.is_zero(amount - round(amount)):
            raise UserError(_("Payments are in whole rupiah."))
        if date > today:
            raise UserError(_("A payment cannot be dated in the future."))
        if date < loan.disbursement_date:
            raise UserError(
                _(
                    "A payment cannot be dated before the disbursement on %(date)s.",
                    date=format_date(self.env, loan.disbursement_date),
                )
            )
        if overpayment not in ("next", "savings"):
            raise UserError(_("Unknown choice for the overpayment."))
        if source == "cash":
            if not journal or journal.type not in ("cash", "bank"):
                raise UserError(_("Choose the cash or bank journal that receives the money."))
            if journal.company_id not in loan.company_id.parent_ids:
                raise UserError(_("The journal belongs to another cooperative."))
        elif source != "savings":
            raise UserError(_("Unknown source of the payment."))

    def _kopdes_source_savings_account(self, loan, source, savings_account):
        """The voluntary savings account a payment comes from (source ``savings``)."""
        if source != "savings":
            return savings_account
        account = savings_account or loan.member_id._kopdes_savings_account("sukarela")
        if not account:
            raise UserError(
                _(
                    "%(member)s has no voluntary savings account to pay from.",
                    member=loan.member_id.display_name,
                )
            )
        if account.member_id != loan.member_id:
            raise UserError(_("Only the borrower's own savings can repay the loan."))
        return account

    def _kopdes_post(self, lines, allocations, waive, rest, journal, savings_account):
        self.ensure_one()
        loan = self.loan_id
        company = loan.company_id
        product = loan.product_id
        by_id = {line.id: line for line in lines}
        Allocation = kopdes_system(self.env["kopdes.loan.allocation"])
        vals_list = []
        totals = defaultdict(float)
        used_receivable = defaultdict(float)
        for alloc in allocations:
            line = by_id[alloc.key]
            receivable = min(alloc.interest, max(line._kopdes_interest_receivable_open(), 0.0))
            used_receivable[line.id] += receivable
            vals_list.append(
                Allocation._kopdes_prepare_vals(
                    line,
                    "payment",
                    self.date,
                    principal=alloc.principal,
                    interest=alloc.interest,
                    interest_receivable=receivable,
                    late_fee=alloc.late_fee,
                    payment=self,
                )
            )
            totals["principal"] += alloc.principal
            totals["interest_receivable"] += receivable
            totals["interest_income"] += alloc.interest - receivable
            totals["late_fee"] += alloc.late_fee
        for line, waived in waive.items():
            receivable = max(
                min(waived, line._kopdes_interest_receivable_open() - used_receivable[line.id]),
                0.0,
            )
            vals_list.append(
                Allocation._kopdes_prepare_vals(
                    line,
                    "waiver",
                    self.date,
                    interest=waived,
                    interest_receivable=receivable,
                    payment=self,
                )
            )
            totals["waived"] += waived
            totals["waived_receivable"] += receivable
        allocated = totals["principal"] + totals["interest_receivable"] + totals["interest_income"]
        allocated += totals["late_fee"]
        label = _("Payment %(name)s %(loan)s", name=self.name, loan=loan.name)
        partner = loan.partner_id.id
        if self.source == "savings":
            debit_account = company._kopdes_loan_clearing_account()
            move_journal = company._kopdes_loan_journal()
        else:
            debit_account = journal.default_account_id
            move_journal = journal
            if not debit_account:
                raise UserError(
                    _("The journal %(journal)s has no default account.", journal=journal.name)
                )
        move_lines = [
            loan._kopdes_prepare_move_line_vals(debit_account, allocated, label, partner),
            loan._kopdes_prepare_move_line_vals(
                product.account_principal_id, -totals["principal"], label, partner
            ),
            loan._kopdes_prepare_move_line_vals(
                product.account_interest_receivable_id,
                -(totals["interest_receivable"] + totals["late_fee"] + totals["waived_receivable"]),
                label,
                partner,
            ),
            loan._kopdes_prepare_move_line_vals(
                product.account_interest_income_id,
                -totals["interest_income"] + totals["waived_receivable"],
                label,
                partner,
            ),
        ]
        move = loan._kopdes_create_move(move_lines, self.date, label, journal=move_journal)
        Allocation.create(vals_list)
        self.sudo().with_context(kopdes_loan_posting=True).write(
            {
                "move_id": move.id,
                "amount_principal": totals["principal"],
                "amount_interest": totals["interest_receivable"] + totals["interest_income"],
                "amount_late_fee": totals["late_fee"],
                "amount_waived": totals["waived"],
                "amount_to_savings": rest,
            }
        )
        if self.source == "savings":
            self._kopdes_withdraw_savings(savings_account, allocated, debit_account)
        if rest:
            self._kopdes_deposit_savings(rest, journal)
        self._kopdes_close_if_repaid()
        return move

    def _kopdes_close_if_repaid(self):
        """Close the loan when nothing is left; otherwise refresh its days past due."""
        self.ensure_one()
        loan = self.loan_id
        currency = loan.currency_id
        loan.line_ids.invalidate_recordset()
        remaining = loan.line_ids.filtered(lambda line: not line.rescheduled)
        if all(
            currency.is_zero(
                line.principal_residual + line.interest_residual + line.late_fee_residual
            )
            for line in remaining
        ):
            loan.sudo().with_context(kopdes_loan_posting=True).write(
                {
                    "state": "closed",
                    "closed_date": self.date,
                    "days_past_due": 0,
                    "collectability_id": False,
                    "provision_required": 0.0,
                }
            )
            loan.message_post(
                body=_("Repaid in full on %(date)s.", date=format_date(self.env, self.date)),
                subtype_xmlid="mail.mt_note",
            )
        else:
            loan._kopdes_update_arrears(loan._kopdes_today(), loans=loan)

    # ------------------------------------------------------------- savings

    def _kopdes_withdraw_savings(self, account, amount, clearing_account):
        """Take a payment from voluntary savings: a savings withdrawal into the clearing
        account that the payment's entry empties again."""
        self.ensure_one()
        if not amount:
            return
        # posted directly: the money does not leave the cooperative, so the withdrawal
        # approval rule for cash does not apply
        transaction = (
            self.env["kopdes.savings.transaction"]
            .sudo()
            .with_context(kopdes_loan_posting=True)
            .create(
                {
                    "account_id": account.id,
                    "member_id": account.member_id.id,
                    "company_id": account.company_id.id,
                    "type": "withdrawal",
                    "amount": amount,
                    "date": self.date,
                    "payment_journal_id": False,
                    "counterpart_account_id": clearing_account.id,
                    "ref": self.name,
                    "note": _("Repayment of loan %(loan)s", loan=self.loan_id.name),
                }
            )
        )
        transaction.sudo().with_context(kopdes_loan_posting=True)._kopdes_post()
        self.sudo().with_context(kopdes_loan_posting=True).write(
            {"savings_transaction_id": transaction.id}
        )

    def _kopdes_deposit_savings(self, amount, journal):
        """Put the rest of a payment on the member's voluntary savings."""
        self.ensure_one()
        member = self.loan_id.member_id.sudo()
        account = member._kopdes_savings_account("sukarela", create=True, open_date=self.date)
        transaction = account._kopdes_deposit(
            amount,
            self.date,
            payment_journal_id=journal.id,
            counterpart_account_id=journal.default_account_id.id,
            ref=self.name,
            note=_("Rest of the loan payment %(name)s", name=self.name),
        )
        self.sudo().with_context(kopdes_loan_posting=True).write(
            {"savings_deposit_id": transaction.id}
        )

    def _kopdes_reverse_savings(self, reason):
        self.ensure_one()
        for transaction in (self.savings_transaction_id | self.savings_deposit_id).sudo():
            if transaction.state == "posted" and not transaction.reversed_by_id:
                transaction.action_reverse(reason=reason)

    # ----------------------------------------------------------- amounts

    @api.model
    def _kopdes_settlement_interest(self, loan, date):
        """``{line: interest to pay}`` of an early full repayment of ``loan`` on ``date``."""
        lines = loan.line_ids.filtered(lambda line: not line.rescheduled).sorted("sequence")
        return repayment_tools.early_interest(
            [(line, line.period_start, line.due_date, line.interest_residual) for line in lines],
            date,
            loan.early_repayment_rule or "all",
        )

    @api.model
    def _kopdes_payoff_amount(self, loan, date):
        """What repays ``loan`` in full on ``date`` (late fees charged so far, principal and
        the interest the product's early-repayment rule asks for)."""
        lines = loan.line_ids.filtered(lambda line: not line.rescheduled)
        interest = self._kopdes_settlement_interest(loan, date)
        return sum(
            line.principal_residual + line.late_fee_residual + interest.get(line, 0.0)
            for line in lines
        )

    # --------------------------------------------------------------- hooks

    def _kopdes_payments_posted(self):
        """Hook: these payments were just posted (allocations, entry and savings parts
        done; the loan closed when repaid). Called once per posting with all of them, by
        every posting path (cash, savings, exit settlement): receipts, scoring features.
        Does nothing by default."""
        return True
