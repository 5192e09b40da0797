from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.kopdes_members.models.kopdes_format import kopdes_format_amount
from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

AGENT_POSTING = "kopdes_agent_posting"
TYPES = [("cash_in", "Cash-in (deposit to the bank)"), ("cash_out", "Cash-out (withdrawal)")]
# what staff write; the rest is written by posting and reversal
USER_FIELDS = {
    "bank_id",
    "type",
    "customer_name",
    "customer_account",
    "member_id",
    "amount",
    "bank_reference",
    "note",
    "company_id",
}


class KopdesAgentTransaction(models.Model):
    """One cash-in or cash-out for a partner bank's customer at the cooperative's counter.

    Entries (cash journal of the bank): cash-in debits cash and credits the settlement account
    (the bank has credited its customer from the cooperative's agent account); cash-out the
    other way round; the commission debits the settlement account and credits commission
    income. The settlement account carries the bank as partner, so its balance per partner is
    what each bank owes the cooperative (or the cooperative owes it).
    """

    _name = "kopdes.agent.transaction"
    _description = "Bank Agent Transaction"
    _inherit = ["mail.thread", "kopdes.move.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    bank_id = fields.Many2one(
        "kopdes.agent.bank", string="Partner Bank", required=True, check_company=True, index=True
    )
    type = fields.Selection(TYPES, required=True, default="cash_in", tracking=True)
    date = fields.Date(readonly=True, index=True, copy=False)
    customer_name = fields.Char(required=True, string="Bank Customer")
    customer_account = fields.Char(
        string="Customer Account No.", required=True, help="The customer's account at the bank."
    )
    customer_account_masked = fields.Char(
        string="Account No.", compute="_compute_customer_account_masked"
    )
    member_id = fields.Many2one(
        "kopdes.member",
        check_company=True,
        help="When the bank's customer is a member of the cooperative.",
    )
    amount = fields.Monetary(required=True, tracking=True)
    fee = fields.Monetary(string="Commission", readonly=True, copy=False)
    settlement_amount = fields.Monetary(
        string="Settlement Effect",
        readonly=True,
        copy=False,
        help="What this transaction adds to the bank's debt to the cooperative (negative: to "
        "the cooperative's debt to the bank).",
    )
    bank_reference = fields.Char(help="Reference of the bank's system.")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("reversed", "Reversed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True, copy=False)
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True, copy=False
    )
    posted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount must be greater than zero."),
    ]

    @api.depends("customer_account")
    def _compute_customer_account_masked(self):
        for tx in self:
            account = (tx.customer_account or "").replace(" ", "")
            tx.customer_account_masked = (
                "•" * max(len(account) - 4, 0) + account[-4:] if account else False
            )

    @api.constrains("amount", "bank_id")
    def _check_limit(self):
        for tx in self:
            bank = tx.bank_id
            if bank.max_amount and tx.currency_id.compare_amounts(tx.amount, bank.max_amount) > 0:
                raise ValidationError(
                    _(
                        "%(bank)s allows at most %(limit)s per transaction at an agent.",
                        bank=bank.name,
                        limit=kopdes_format_amount(self.env, bank.max_amount, tx.currency_id),
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, USER_FIELDS, vals_list=vals_list)
        for vals in vals_list:
            self._kopdes_check_amount(vals)
        if not kopdes_is_system(self.env, AGENT_POSTING):
            self._kopdes_check_teller()
            for vals in vals_list:
                self._kopdes_check_user_fields(set(vals))
        return super().create(vals_list)

    def write(self, vals):
        self._kopdes_check_amount(vals)
        if not kopdes_is_system(self.env, AGENT_POSTING):
            self._kopdes_check_teller()
            self._kopdes_check_user_fields(set(vals))
            if self.filtered(lambda t: t.state != "draft"):
                raise UserError(_("A posted bank agent transaction is corrected by reversing it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda t: t.state != "draft"):
            raise UserError(_("Posted bank agent transactions are never deleted; reverse them."))

    def _kopdes_check_amount(self, vals):
        if "amount" in vals and (vals["amount"] or 0.0) <= 0:
            raise ValidationError(_("The amount must be greater than zero."))

    def _kopdes_check_user_fields(self, written):
        extra = written - USER_FIELDS - {"message_follower_ids", "activity_ids"}
        if extra:
            names = ", ".join(sorted(self._fields[f].string for f in extra if f in self._fields))
            raise UserError(
                _(
                    "These fields of a bank agent transaction are written by posting, not by "
                    "hand: %(fields)s",
                    fields=names or ", ".join(sorted(extra)),
                )
            )

    def _kopdes_check_teller(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff (Petugas) serve the bank agent counter."),
        )

    @api.model
    def _kopdes_move_context(self):
        return {AGENT_POSTING: True}

    # ---------------------------------------------------------------- post

    def action_post(self):
        self._kopdes_check_teller()
        if self.filtered(lambda t: t.state != "draft"):
            raise UserError(_("Only draft transactions can be posted."))
        vals_list = []
        for tx in self:
            company = tx.company_id.sudo()
            settlement = company.kopdes_agent_settlement_account_id
            income = company.kopdes_agent_fee_account_id
            if not settlement or not income:
                raise UserError(
                    _(
                        "Choose the bank agent settlement and commission accounts in "
                        "Koperasi > Configuration > Settings."
                    )
                )
            journal = tx.bank_id.sudo().cash_journal_id
            cash = journal.default_account_id
            if not cash:
                raise UserError(
                    _("The cash journal of %(bank)s has no account.", bank=tx.bank_id.name)
                )
            fee = tx.bank_id.fee_cash_in if tx.type == "cash_in" else tx.bank_id.fee_cash_out
            sign = 1 if tx.type == "cash_in" else -1
            label = tx._kopdes_label()
            partner = tx.bank_id.partner_id
            lines = [
                self._kopdes_prepare_move_line_vals(cash, sign * tx.amount, label),
                self._kopdes_prepare_move_line_vals(settlement, -sign * tx.amount, label, partner),
                self._kopdes_prepare_move_line_vals(
                    settlement, fee, _("Commission %(label)s", label=label), partner
                ),
                self._kopdes_prepare_move_line_vals(
                    income, -fee, _("Commission %(label)s", label=label), partner
                ),
            ]
            date = kopdes_today(self.env, company)
            values = {
                "date": date,
                "fee": fee,
                "settlement_amount": -sign * tx.amount + fee,
                "state": "posted",
                "posted_by_id": self.env.uid,
            }
            if tx.name == "/":
                values["name"] = company._kopdes_agent_sequence().next_by_id(sequence_date=date)
            kopdes_system(tx, AGENT_POSTING).write(values)
            vals_list.append(self._kopdes_prepare_move_vals(journal, date, lines, tx.name))
        kopdes_system(self, AGENT_POSTING)._kopdes_make_moves(vals_list, link_field="move_id")
        return True

    def action_reverse(self):
        """Our own reversal entry (the entry cannot be reversed from Accounting)."""
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_manager",
            _("Only a manager (Pengurus) reverses a bank agent transaction."),
        )
        if self.filtered(lambda t: t.state != "posted"):
            raise UserError(_("Only posted transactions can be reversed."))
        for tx in self:
            move = kopdes_system(tx.move_id, AGENT_POSTING)
            date = kopdes_today(self.env, tx.company_id)
            reversal = move._reverse_moves(
                [{"date": max(date, move.date), "ref": _("Reversal of %(name)s", name=tx.name)}]
            )
            reversal._post(soft=False)
            kopdes_system(tx, AGENT_POSTING).write(
                {"state": "reversed", "reversal_move_id": reversal.id, "settlement_amount": 0.0}
            )
            tx.message_post(body=_("Reversed by %(user)s.", user=self.env.user.name))
        return True

    def action_print_receipt(self):
        return self.env.ref("kopdes_bank.action_report_kopdes_agent_receipt").report_action(self)

    def _kopdes_label(self):
        self.ensure_one()
        labels = dict(self._fields["type"]._description_selection(self.env))
        return _(
            "%(type)s %(bank)s %(customer)s",
            type=labels[self.type],
            bank=self.bank_id.name,
            customer=self.customer_name,
        )


class KopdesAgentSettlementReport(models.Model):
    """Daily settlement per partner bank: what was taken in and paid out, the commissions
    and the net the bank owes the cooperative for the day."""

    _name = "kopdes.agent.settlement.report"
    _description = "Bank Agent Daily Settlement"
    _auto = False
    _order = "date desc, bank_id"

    @api.depends("bank_id", "date")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.bank_id.name or ''} {format_date(self.env, rec.date)}"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    bank_id = fields.Many2one("kopdes.agent.bank", string="Partner Bank", readonly=True)
    transaction_count = fields.Integer(string="Transactions", readonly=True)
    cash_in = fields.Monetary(string="Cash-in", readonly=True)
    cash_out = fields.Monetary(string="Cash-out", readonly=True)
    fees = fields.Monetary(string="Commissions", readonly=True)
    net = fields.Monetary(
        string="Net Due from the Bank",
        readonly=True,
        help="Cash-out plus commissions less cash-in: what the bank owes the cooperative for "
        "the day (negative: what the cooperative owes the bank).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT min(t.id) AS id, t.date, t.company_id, t.bank_id,
                       count(*) AS transaction_count,
                       sum(CASE WHEN t.type = 'cash_in' THEN t.amount ELSE 0 END) AS cash_in,
                       sum(CASE WHEN t.type = 'cash_out' THEN t.amount ELSE 0 END) AS cash_out,
                       sum(t.fee) AS fees,
                       sum(t.settlement_amount) AS net
                  FROM kopdes_agent_transaction t
                 WHERE t.state = 'posted'
              GROUP BY t.date, t.company_id, t.bank_id
            )
            """
        )
