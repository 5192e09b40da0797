from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import (
    EXIT_SETTLEMENT,
    kopdes_system,
    kopdes_today,
)


class KopdesSavingsExitWizard(models.TransientModel):
    """Exit settlement: a member resigns or dies; the cooperative refunds all savings minus
    what the member owes, posts it, closes the accounts and changes the member's status.

    What is owed comes from ``kopdes.member._kopdes_exit_deduction_lines()`` (extended by
    kopdes_financing); the deducted part is credited to the accounts those lines name, in
    the same journal entry as the refund.
    """

    _name = "kopdes.savings.exit.wizard"
    _description = "Exit Settlement"

    member_id = fields.Many2one(
        "kopdes.member",
        required=True,
        domain="[('state', 'in', ('active', 'suspended'))]",
    )
    company_id = fields.Many2one(related="member_id.company_id")
    currency_id = fields.Many2one(related="member_id.company_id.currency_id")
    exit_type = fields.Selection(
        [("resigned", "Resignation"), ("deceased", "Death")],
        string="Reason of Exit",
        required=True,
        default="resigned",
    )
    date = fields.Date(
        string="Exit Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    reason = fields.Text(string="Notes", required=True)
    beneficiary = fields.Char(
        string="Paid To",
        help="Who receives the refund: the member, or the heir (ahli waris) when the member "
        "has died.",
    )
    payment_journal_id = fields.Many2one(
        "account.journal",
        string="Refund Paid With",
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', '=', company_id)]",
        compute="_compute_payment_journal_id",
        store=True,
        readonly=False,
    )
    line_ids = fields.One2many(
        "kopdes.savings.exit.wizard.line", "wizard_id", compute="_compute_line_ids", store=True
    )
    total_savings = fields.Monetary(compute="_compute_amounts")
    amount_owed = fields.Monetary(string="Owed to the Cooperative", compute="_compute_amounts")
    amount_deducted = fields.Monetary(string="Deducted", compute="_compute_amounts")
    net_refund = fields.Monetary(string="Refund", compute="_compute_amounts")
    remaining_debt = fields.Monetary(
        compute="_compute_amounts",
        help="What the member still owes after the savings have been used; it stays on the "
        "member's loans.",
    )

    @api.depends("member_id")
    def _compute_payment_journal_id(self):
        for wizard in self:
            wizard.payment_journal_id = wizard.member_id.company_id._kopdes_savings_cash_journal()

    @api.depends("member_id")
    def _compute_line_ids(self):
        for wizard in self:
            accounts = wizard.member_id.savings_account_ids.filtered(lambda a: a.state == "open")
            wizard.line_ids = [Command.clear()] + [
                Command.create({"account_id": account.id, "balance": account.balance})
                for account in accounts
            ]

    @api.depends("line_ids.balance", "member_id", "date")
    def _compute_amounts(self):
        for wizard in self:
            total = sum(wizard.line_ids.mapped("balance"))
            owed = 0.0
            if wizard.member_id:
                owed = wizard.member_id._kopdes_exit_amount_owed(wizard.date).get(
                    wizard.member_id.id, 0.0
                )
            deducted = min(owed, total)
            wizard.total_savings = total
            wizard.amount_owed = owed
            wizard.amount_deducted = deducted
            wizard.net_refund = total - deducted
            wizard.remaining_debt = owed - deducted

    def action_confirm(self):
        """Post the refund, close the accounts and change the member's status."""
        self.ensure_one()
        member = self.member_id
        member._kopdes_check_manager()
        if member.state not in ("active", "suspended"):
            raise UserError(
                _("%(member)s has already left the cooperative.", member=member.display_name)
            )
        if not (self.reason or "").strip():
            raise UserError(_("Write the reason of the exit."))
        if self.date > kopdes_today(self.env, member.company_id):
            raise UserError(_("The exit date cannot be in the future."))
        accounts = member.savings_account_ids.filtered(lambda a: a.state == "open").sudo()
        accounts._kopdes_lock()
        balances = accounts._kopdes_posted_balances()
        currency = member.company_id.currency_id
        with_money = accounts.filtered(
            lambda a: currency.compare_amounts(balances.get(a.id, 0.0), 0.0) > 0
        )
        move = self.env["account.move"]
        deductions = []
        if with_money:
            if not self.payment_journal_id.default_account_id:
                raise UserError(_("Choose the cash or bank journal the refund is paid with."))
            total = currency.round(sum(balances[a.id] for a in with_money))
            deductions = self._kopdes_capped_deductions(total)
            move, transactions = self._kopdes_prepare_exit(with_money, balances, deductions)
            # the only place exit refunds are posted: the manager's right was checked above
            kopdes_system(transactions, EXIT_SETTLEMENT)._kopdes_post(move=move)
            deduction_lines = move.line_ids.filtered(lambda line: line.kopdes_exit_deduction)
            for deduction, line in zip(deductions, deduction_lines.sorted("id"), strict=True):
                deduction["move_line_id"] = line.id
        self.env["kopdes.savings.due"].sudo()._kopdes_cancel_unpaid(accounts)
        accounts._kopdes_close(self.date)
        # the manager's right was checked above; the status change also updates the
        # member's contact (pricelist), which a Pengurus may not be allowed to write
        kopdes_system(member, EXIT_SETTLEMENT)._kopdes_change_state(
            self.exit_type, self.date, self.reason.strip()
        )
        if move:
            member._kopdes_exit_settled(move, deductions)
            member.message_post(
                body=_(
                    "Exit settlement %(move)s: savings %(total)s, deducted %(deducted)s, "
                    "refunded %(refund)s.",
                    move=move.name,
                    total=self._kopdes_format(sum(balances[a.id] for a in with_money)),
                    deducted=self._kopdes_format(sum(d["amount"] for d in deductions)),
                    refund=self._kopdes_format(
                        sum(balances[a.id] for a in with_money)
                        - sum(d["amount"] for d in deductions)
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.member",
            "res_id": member.id,
            "view_mode": "form",
        }

    def _kopdes_format(self, amount):
        return self.env["kopdes.savings.product"]._kopdes_format(amount)

    def _kopdes_capped_deductions(self, total):
        """The member's deduction lines, oldest first, cut off where the savings end."""
        currency = self.member_id.company_id.currency_id
        remaining = total
        capped = []
        for line in self.member_id._kopdes_exit_deduction_lines(self.date):
            if line["member_id"] != self.member_id.id:
                continue
            amount = currency.round(min(line["amount"], remaining))
            if currency.compare_amounts(amount, 0.0) <= 0:
                break
            capped.append(dict(line, amount=amount))
            remaining -= amount
        return capped

    def _kopdes_prepare_exit(self, accounts, balances, deductions):
        """Draft exit-refund transactions and their single (draft) journal entry."""
        member = self.member_id
        currency = member.company_id.currency_id
        partner = member.partner_id.id
        label = _("Exit settlement %(member)s", member=member.display_name)
        transactions = (
            self.env["kopdes.savings.transaction"]
            .sudo()
            .create(
                [
                    {
                        "account_id": account.id,
                        "member_id": member.id,
                        "company_id": member.company_id.id,
                        "type": "exit_refund",
                        "amount": currency.round(balances[account.id]),
                        "date": self.date,
                        "payment_journal_id": self.payment_journal_id.id,
                        "counterpart_account_id": self.payment_journal_id.default_account_id.id,
                        "ref": self.beneficiary or member.name,
                        "note": self.reason,
                    }
                    for account in accounts
                ]
            )
        )
        lines = [
            transactions._kopdes_prepare_move_line_vals(
                tx.product_id.account_id, tx.amount, tx._kopdes_label(), partner
            )
            for tx in transactions
        ]
        for deduction in deductions:
            lines.append(
                dict(
                    transactions._kopdes_prepare_move_line_vals(
                        deduction["account_id"],
                        -deduction["amount"],
                        deduction.get("name") or label,
                        partner,
                    ),
                    kopdes_exit_deduction=True,
                )
            )
        refund = currency.round(
            sum(transactions.mapped("amount")) - sum(d["amount"] for d in deductions)
        )
        if currency.compare_amounts(refund, 0.0) > 0:
            lines.append(
                transactions._kopdes_prepare_move_line_vals(
                    self.payment_journal_id.default_account_id,
                    -refund,
                    _("Refund to %(name)s", name=self.beneficiary or member.name),
                    partner,
                )
            )
        journal = transactions[:1].product_id.journal_id
        # one draft entry for all the refunds; posted with the transactions
        move = transactions._kopdes_make_moves(
            [transactions._kopdes_prepare_move_vals(journal, self.date, lines, label)], post=False
        )
        return move, transactions


class KopdesSavingsExitWizardLine(models.TransientModel):
    _name = "kopdes.savings.exit.wizard.line"
    _description = "Exit Settlement Line"

    wizard_id = fields.Many2one("kopdes.savings.exit.wizard", required=True, ondelete="cascade")
    account_id = fields.Many2one("kopdes.savings.account", readonly=True)
    kind = fields.Selection(related="account_id.kind")
    currency_id = fields.Many2one(related="account_id.currency_id")
    balance = fields.Monetary(readonly=True)
