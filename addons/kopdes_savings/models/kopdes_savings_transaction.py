from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.kopdes_members.models.kopdes_system import (
    EXIT_SETTLEMENT,
    SAVINGS_POSTING,
    kopdes_check_fields,
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

from .kopdes_savings_product import SAVINGS_KINDS

TRANSACTION_TYPES = [
    ("deposit", "Deposit"),
    ("withdrawal", "Withdrawal"),
    ("interest", "Interest"),
    ("exit_refund", "Exit Refund"),
    ("reversal", "Reversal"),
]
# sign of each type on the balance (a reversal takes the opposite of what it reverses)
TYPE_SIGN = {"deposit": 1, "interest": 1, "withdrawal": -1, "exit_refund": -1}

# fields of a posted transaction that may still change: chatter and activities
POSTED_WRITABLE = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
}
# ... and what posting itself writes (only as superuser, while posting)
SYSTEM_WRITABLE = {"reversed_by_id", "balance_after", "posting_seq"}
# what a teller (or anyone but the posting code) may write on a draft transaction, on
# create and write; state, number, entry, approval and links are written by the workflow
USER_FIELDS = {
    "member_id",
    "kind",
    "account_id",
    "company_id",
    "type",
    "amount",
    "date",
    "payment_journal_id",
    "counterpart_account_id",  # only the paying journal's own account, see below
    "ref",
    "note",
} | POSTED_WRITABLE
# the types a teller records; interest, exit refunds and reversals have their own procedures
USER_TYPES = {"deposit", "withdrawal"}
# what sending a withdrawal for approval writes, besides the state
REQUEST_WRITABLE = {"state", "name", "requested_by_id", "approved_by_id"}
# PostgreSQL sequence giving posted transactions their posting order
POSTING_SEQUENCE = "kopdes_savings_transaction_posting_seq"


class KopdesSavingsTransaction(models.Model):
    """A deposit, withdrawal, interest credit, exit refund or reversal on a savings account.

    Posting (:meth:`action_post`, or :meth:`_kopdes_post` for batches) locks the accounts,
    checks the product rules and the balance, creates and posts the journal entry
    (cash/bank or another counterpart against the product's account, partner = the
    member) and links both ways (``move_id`` here, ``kopdes_savings_transaction_ids`` on
    the entry). Posted transactions never change; mistakes are corrected with
    :meth:`action_reverse`.
    """

    _name = "kopdes.savings.transaction"
    _description = "Savings Transaction"
    _inherit = ["mail.thread", "mail.activity.mixin", "kopdes.move.mixin"]
    _order = "date desc, posting_seq desc, id desc"
    _check_company_auto = True
    _rec_name = "name"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    member_id = fields.Many2one(
        "kopdes.member",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', 'in', ('active', 'suspended'))]",
        help="Search by member number, name, NIK or phone.",
    )
    partner_id = fields.Many2one(related="member_id.partner_id", store=True)
    member_number = fields.Char(related="member_id.member_number", string="Member No.")
    kind = fields.Selection(
        SAVINGS_KINDS,
        compute="_compute_kind",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        string="Savings Kind",
    )
    account_id = fields.Many2one(
        "kopdes.savings.account",
        string="Savings Account",
        required=True,
        index=True,
        check_company=True,
        compute="_compute_account_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
        domain="[('member_id', '=', member_id), ('state', '=', 'open')]",
    )
    product_id = fields.Many2one(
        related="account_id.product_id", store=True, index=True, string="Product"
    )
    type = fields.Selection(
        TRANSACTION_TYPES, required=True, default="deposit", index=True, tracking=True
    )
    origin_type = fields.Selection(
        TRANSACTION_TYPES,
        compute="_compute_origin_type",
        store=True,
        help="The type of the transaction itself, or of the one a reversal reverses.",
    )
    date = fields.Date(
        required=True, default=lambda self: kopdes_today(self.env), index=True, tracking=True
    )
    amount = fields.Monetary(required=True, tracking=True)
    signed_amount = fields.Monetary(
        compute="_compute_signed_amount",
        store=True,
        help="The amount with its effect on the balance: positive in, negative out.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("posted", "Posted"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    payment_journal_id = fields.Many2one(
        "account.journal",
        string="Paid With",
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank'))]",
        compute="_compute_payment_journal_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Cash or bank journal whose account receives or pays the money.",
    )
    counterpart_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        compute="_compute_counterpart_account_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The account opposite the savings account in the journal entry: the cash or "
        "bank account, the interest expense, or the member's receivable for POS payments.",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Journal Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    reversal_of_id = fields.Many2one(
        "kopdes.savings.transaction",
        string="Reverses",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    reversed_by_id = fields.Many2one(
        "kopdes.savings.transaction",
        readonly=True,
        copy=False,
        check_company=True,
    )
    interest_batch_id = fields.Many2one(
        "kopdes.savings.interest.batch",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    interest_period = fields.Date(readonly=True, copy=False, help="Month the interest is for.")
    interest_gross = fields.Monetary(
        string="Gross Interest",
        readonly=True,
        copy=False,
        help="Interest of the month before the PPh final; the amount credited is the gross "
        "less the tax withheld.",
    )
    tax_withheld = fields.Monetary(
        string="Tax Withheld (PPh Final)",
        readonly=True,
        copy=False,
        help="PPh final (PP 15/2009) withheld on this interest: the rate on the member's whole "
        "interest of the month when it is above the threshold, shared over the accounts.",
    )
    pos_order_id = fields.Many2one(
        "pos.order", string="POS Order", readonly=True, copy=False, index="btree_not_null"
    )
    ref = fields.Char(string="Reference", help="Receipt number, depositor or other reference.")
    note = fields.Text()
    requested_by_id = fields.Many2one(
        "res.users",
        string="Prepared By",
        readonly=True,
        copy=False,
        help="Who sent the withdrawal for a manager's approval.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    posted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    balance_after = fields.Monetary(
        readonly=True,
        copy=False,
        help="Running balance of the account after this transaction, in the order of the "
        "passbook: by date, then in the order the transactions were posted.",
    )
    posting_seq = fields.Integer(
        string="Posting Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Order in which the transactions were posted; breaks ties between transactions "
        "of the same date in the passbook and the running balance.",
    )
    available_balance = fields.Monetary(related="account_id.available_balance")
    needs_approval = fields.Boolean(compute="_compute_needs_approval")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount must be greater than zero."),
        (
            "posted_has_move",
            "CHECK(state != 'posted' OR move_id IS NOT NULL)",
            "A posted savings transaction has a journal entry.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("account_id")
    def _compute_kind(self):
        for tx in self:
            if tx.account_id:
                tx.kind = tx.account_id.kind
            elif not tx.kind:
                tx.kind = "sukarela"

    @api.depends("member_id", "kind")
    def _compute_account_id(self):
        for tx in self:
            if (
                tx.account_id
                and tx.account_id.member_id == tx.member_id
                and (tx.account_id.kind == tx.kind)
            ):
                continue
            if not tx.member_id or not tx.kind:
                tx.account_id = False
                continue
            tx.account_id = tx.member_id.savings_account_ids.filtered(
                lambda a, kind=tx.kind: a.state == "open" and a.kind == kind
            )[:1]

    @api.depends("type", "reversal_of_id.type")
    def _compute_origin_type(self):
        for tx in self:
            tx.origin_type = tx.reversal_of_id.type if tx.type == "reversal" else tx.type

    @api.depends("type", "amount", "reversal_of_id.type")
    def _compute_signed_amount(self):
        for tx in self:
            if tx.type == "reversal":
                sign = -TYPE_SIGN.get(tx.reversal_of_id.type, 1)
            else:
                sign = TYPE_SIGN[tx.type]
            tx.signed_amount = sign * tx.amount

    @api.depends("type", "company_id")
    def _compute_payment_journal_id(self):
        for tx in self:
            if tx.type in ("deposit", "withdrawal", "exit_refund") and not tx.payment_journal_id:
                tx.payment_journal_id = tx.company_id._kopdes_savings_cash_journal()

    @api.depends("payment_journal_id", "type", "account_id")
    def _compute_counterpart_account_id(self):
        for tx in self:
            if tx.type == "interest":
                tx.counterpart_account_id = tx.account_id.product_id.interest_account_id
            elif tx.type == "reversal":
                tx.counterpart_account_id = tx.reversal_of_id.counterpart_account_id
            elif tx.payment_journal_id:
                tx.counterpart_account_id = tx.payment_journal_id.default_account_id

    @api.depends("type", "amount", "company_id")
    def _compute_needs_approval(self):
        for tx in self:
            tx.needs_approval = tx._kopdes_needs_approval()

    # ---------------------------------------------------------- constraints

    @api.constrains("amount")
    def _check_amount(self):
        for tx in self:
            if tx.currency_id.compare_amounts(tx.amount, 0.0) <= 0:
                raise ValidationError(_("The amount must be greater than zero."))

    @api.constrains("account_id", "member_id", "company_id")
    def _check_account(self):
        for tx in self:
            if tx.account_id.member_id != tx.member_id:
                raise ValidationError(
                    _(
                        "The savings account %(account)s does not belong to %(member)s.",
                        account=tx.account_id.display_name,
                        member=tx.member_id.display_name,
                    )
                )
            if tx.account_id.company_id != tx.company_id:
                raise ValidationError(
                    _("A transaction and its account belong to the same cooperative.")
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, USER_FIELDS, vals_list=vals_list)
        for vals in vals_list:
            if vals.get("account_id") and "company_id" not in vals:
                account = self.env["kopdes.savings.account"].browse(vals["account_id"])
                vals["company_id"] = account.company_id.id
                vals.setdefault("member_id", account.member_id.id)
            if vals.get("state", "draft") != "draft":
                raise UserError(_("A savings transaction is created as a draft and then posted."))
            if not self.env.su:
                self._kopdes_check_user_vals(vals)
            if not vals.get("account_id") and vals.get("member_id"):
                self._kopdes_check_has_account(vals["member_id"], vals.get("kind") or "sukarela")
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            self._kopdes_check_amount_value(vals.get("amount", 0.0), company)
        return super().create(vals_list)

    def write(self, vals):
        system = kopdes_is_system(self.env, SAVINGS_POSTING)
        frozen = self.filtered(lambda t: t.state in ("posted", "cancelled"))
        writable = POSTED_WRITABLE
        if system:
            writable = POSTED_WRITABLE | SYSTEM_WRITABLE
        if frozen and set(vals) - writable:
            raise UserError(
                _(
                    "Posted savings transactions cannot be changed; reverse them instead: "
                    "%(names)s",
                    names=", ".join(frozen.mapped("name")),
                )
            )
        if (
            self.filtered(lambda t: t.state == "to_approve")
            and (set(vals) - POSTED_WRITABLE - REQUEST_WRITABLE)
            and not system
        ):
            raise UserError(_("A withdrawal waiting for approval cannot be changed."))
        if not system:
            self._kopdes_check_user_vals(vals)
        if "amount" in vals:
            for company in self.company_id or self.env.company:
                self._kopdes_check_amount_value(vals["amount"], company)
        return super().write(vals)

    def _kopdes_check_user_vals(self, vals):
        """What a user (not the posting code) may write: :data:`USER_FIELDS`, the types of
        :data:`USER_TYPES`, and as counterpart only the account of the paying journal."""
        written = set(vals)
        if not self:
            # a new record's form also sends what it leaves empty; create checks the state
            written = {name for name, value in vals.items() if value and name != "state"}
        kopdes_check_fields(
            self,
            written,
            USER_FIELDS,
            _(
                "These fields of a savings transaction are written by posting, approval or "
                "reversal, not by hand: %(fields)s"
            ),
        )
        if vals.get("type") and vals["type"] not in USER_TYPES:
            raise UserError(
                _(
                    "Staff record deposits and withdrawals; interest is credited by the "
                    "month-end run, exit refunds by the exit settlement and corrections by "
                    "reversing a transaction."
                )
            )
        if vals.get("counterpart_account_id"):
            journals = self.env["account.journal"].browse(vals.get("payment_journal_id"))
            if not journals and self:
                journals = self.payment_journal_id
            if journals.default_account_id.ids != [vals["counterpart_account_id"]]:
                raise AccessError(
                    _(
                        "The counterpart of a deposit or withdrawal is the account of the cash "
                        "or bank journal it is paid with."
                    )
                )

    @api.model
    def _kopdes_check_has_account(self, member_id, kind):
        """A clear message instead of a database error when the member has no open
        account of ``kind``."""
        member = self.env["kopdes.member"].browse(member_id)
        if not member.savings_account_ids.filtered(lambda a: a.state == "open" and a.kind == kind):
            labels = dict(self._fields["kind"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(member)s has no open %(kind)s account.",
                    member=member.display_name,
                    kind=labels.get(kind, kind),
                )
            )

    @api.model
    def _kopdes_check_amount_value(self, amount, company):
        """Refuse zero and negative amounts before they reach the database."""
        if company.currency_id.compare_amounts(amount or 0.0, 0.0) <= 0:
            raise ValidationError(_("The amount must be greater than zero."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda t: t.state not in ("draft", "cancelled") or t.move_id):
            raise UserError(
                _("Posted savings transactions are never deleted; reverse them instead.")
            )

    # --------------------------------------------------------------- actions

    def action_post(self):
        """Post the transactions (teller button). Withdrawals above the approval limit wait
        for a manager (state ``to_approve``) unless the current user is one."""
        self._kopdes_check_teller()
        if any(tx.state != "draft" for tx in self):
            raise UserError(
                _(
                    "Only draft transactions can be posted; %(names)s is already %(state)s.",
                    names=", ".join(self.filtered(lambda t: t.state != "draft").mapped("name")),
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.filtered(lambda t: t.state != "draft")[:1].state
                    ],
                )
            )
        # four eyes: a manager's own withdrawal waits for another manager too (code running
        # as superuser, e.g. imports and the demo, is not a person and posts at once)
        to_approve = self.filtered(
            lambda t: (
                t._kopdes_needs_approval()
                and (
                    not t._kopdes_is_manager()
                    or (t.company_id.kopdes_four_eyes and not self.env.su)
                )
            )
        )
        if to_approve:
            # check now so the teller hears at once when the withdrawal is impossible
            to_approve._kopdes_check_posting()
            for tx in to_approve:
                values = {"state": "to_approve", "requested_by_id": self.env.uid}
                if not tx.name or tx.name == "/":
                    sequence = tx.company_id.sudo()._kopdes_savings_transaction_sequence()
                    values["name"] = sequence.next_by_id(sequence_date=tx.date)
                kopdes_system(tx, SAVINGS_POSTING).write(values)
            to_approve._kopdes_request_approval()
        (self - to_approve)._kopdes_post()
        return True

    def action_approve(self):
        """A manager approves withdrawals above the limit; they are posted at once."""
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_manager",
            _("Only a manager (Pengurus) can approve withdrawals."),
        )
        if any(tx.state != "to_approve" for tx in self):
            raise UserError(_("Only withdrawals waiting for approval can be approved."))
        own = self.filtered(
            lambda t: t.company_id.kopdes_four_eyes and t.requested_by_id == self.env.user
        )
        if own and not self.env.su:
            raise UserError(
                _(
                    "You prepared %(names)s yourself; another manager (Pengurus) must approve "
                    "it (four eyes).",
                    names=", ".join(own.mapped("name")),
                )
            )
        kopdes_system(self, SAVINGS_POSTING).write({"approved_by_id": self.env.uid})
        self._kopdes_post()
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reject(self):
        """A manager refuses a withdrawal waiting for approval."""
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_manager",
            _("Only a manager (Pengurus) can refuse withdrawals."),
        )
        if any(tx.state != "to_approve" for tx in self):
            raise UserError(_("Only withdrawals waiting for approval can be refused."))
        kopdes_system(self, SAVINGS_POSTING).write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        """Cancel draft transactions (posted ones are reversed instead)."""
        self._kopdes_check_teller()
        if any(tx.state not in ("draft", "to_approve") for tx in self):
            raise UserError(_("Posted transactions cannot be cancelled; reverse them instead."))
        kopdes_system(self, SAVINGS_POSTING).write({"state": "cancelled"})
        return True

    def action_reverse(self, date=None, reason=None):
        """Correct posted transactions: post a reversal of each and return the reversals.

        The reversal has the same amount and accounts, the opposite effect on the balance
        and a reversed journal entry. It is refused when it would make the balance negative.
        """
        self._kopdes_check_teller()
        for tx in self:
            if tx.state != "posted":
                raise UserError(_("Only posted transactions can be reversed."))
            if tx.type == "reversal":
                raise UserError(
                    _("%(name)s is itself a reversal and cannot be reversed.", name=tx.name)
                )
            if tx.reversed_by_id:
                raise UserError(
                    _(
                        "%(name)s has already been reversed by %(reversal)s.",
                        name=tx.name,
                        reversal=tx.reversed_by_id.name,
                    )
                )
            if tx.type == "exit_refund":
                raise UserError(_("An exit refund closes the account and cannot be reversed."))
        today = kopdes_today(self.env)
        # the reversal links (reversal_of_id) are the posting code's to write
        reversals = kopdes_system(self, SAVINGS_POSTING).create(
            [
                {
                    "account_id": tx.account_id.id,
                    "member_id": tx.member_id.id,
                    "company_id": tx.company_id.id,
                    "type": "reversal",
                    "reversal_of_id": tx.id,
                    "amount": tx.amount,
                    "date": date or max(today, tx.date),
                    "payment_journal_id": tx.payment_journal_id.id,
                    "counterpart_account_id": tx.counterpart_account_id.id,
                    "pos_order_id": tx.pos_order_id.id,
                    "ref": tx.name,
                    "note": reason or self.env._("Reversal of %(name)s", name=tx.name),
                }
                for tx in self
            ]
        )
        reversals = reversals.with_env(self.env)
        reversals._kopdes_post()
        return reversals

    def action_open_reverse(self):
        """Button: reverse one transaction after confirmation and show the reversal."""
        self.ensure_one()
        reversal = self.action_reverse()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": reversal.id,
            "view_mode": "form",
        }

    def action_print_receipt(self):
        if any(tx.state != "posted" for tx in self):
            raise UserError(_("Only posted transactions have a receipt."))
        return self.env.ref("kopdes_savings.action_report_kopdes_savings_receipt").report_action(
            self
        )

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # --------------------------------------------------------------- posting

    def _kopdes_post(self, move=None):
        """Check and post draft (or approved) transactions.

        :param move: an unposted journal entry already holding the lines of all these
            transactions (exit settlement); by default each transaction gets its own entry.
        Raises ``UserError`` and changes nothing when any transaction is refused.
        """
        if not self:
            return self
        if any(tx.state not in ("draft", "to_approve") for tx in self):
            raise UserError(_("This transaction has already been posted."))
        self._kopdes_check_posting()
        user_id = self.env.uid
        txs = self.sudo().with_context(kopdes_savings_posting=True)
        if move:
            txs.write({"move_id": move.id})
            moves = move
        else:
            moves = txs._kopdes_create_moves()
        moves.with_context(kopdes_savings_posting=True)._post(soft=False)
        for tx in txs:
            values = {"state": "posted", "posted_by_id": user_id}
            if not tx.name or tx.name == "/":
                sequence = tx.company_id._kopdes_savings_transaction_sequence()
                values["name"] = sequence.next_by_id(sequence_date=tx.date)
            tx.write(values)
        for move_rec in moves:
            if len(move_rec.kopdes_savings_transaction_ids) == 1:
                move_rec.ref = move_rec.kopdes_savings_transaction_ids.name
        txs._kopdes_number_postings()
        txs.account_id.invalidate_recordset(["balance"])
        txs.account_id._kopdes_recompute_balance_after()
        for reversal in txs.filtered(lambda t: t.type == "reversal"):
            reversal.reversal_of_id.reversed_by_id = reversal
        wajib = txs.account_id.filtered(lambda a: a.kind == "wajib")
        if wajib:
            self.env["kopdes.savings.due"]._kopdes_recompute(wajib)
        self.env["kopdes.savings.transaction"]._kopdes_transactions_posted(self)
        return self

    @api.model
    def _kopdes_transactions_posted(self, transactions):
        """Hook: ``transactions`` have just been posted, all in one call per posting.

        Called by every posting path once the transactions, their entries, balances,
        ``balance_after`` and wajib dues are up to date: teller posting and approval
        (:meth:`_kopdes_post`), POS payments, reversals, exit refunds and the month-end
        interest credits (which are inserted with SQL). Other addons (receipts on WhatsApp,
        scoring features) override it and call ``super()``; the base does nothing.
        """
        return True

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL("CREATE SEQUENCE IF NOT EXISTS %s", SQL.identifier(POSTING_SEQUENCE))
        )
        # transactions posted before the posting order existed: in the order of their entries
        self._kopdes_assign_posting_seq(
            SQL("state = 'posted' AND posting_seq IS NULL"), SQL("date, move_id, id")
        )
        return res

    def _kopdes_number_postings(self):
        """Give these just-posted transactions their posting order (by date, then id)."""
        if not self:
            return
        self.flush_recordset()
        self._kopdes_assign_posting_seq(SQL("id = ANY(%s)", self.ids), SQL("date, id"))
        self.invalidate_recordset(["posting_seq"])

    def _kopdes_assign_posting_seq(self, where, order):
        """Number the transactions matching ``where`` from the posting sequence, in
        ``order`` (one statement)."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_savings_transaction tx
                   SET posting_seq = o.seq
                  FROM (SELECT id, nextval(%(seq)s) AS seq
                          FROM (SELECT id FROM kopdes_savings_transaction
                                 WHERE %(where)s ORDER BY %(order)s) AS todo) AS o
                 WHERE tx.id = o.id
                """,
                seq=POSTING_SEQUENCE,
                where=where,
                order=order,
            )
        )

    def _kopdes_check_posting(self):
        """Lock the accounts and check every rule; raise ``UserError`` on the first refusal.

        The balances are read after the lock, so what is checked is what will be posted.
        """
        accounts = self.account_id
        accounts._kopdes_lock()
        balances = accounts._kopdes_posted_balances()
        pending = accounts._kopdes_pending_withdrawals(exclude=self)
        outgoing = self.filtered(lambda t: t.signed_amount < 0)
        earliest = {}
        for tx in outgoing:
            day = earliest.get(tx.account_id.id)
            earliest[tx.account_id.id] = min(day, tx.date) if day else tx.date
        lows = outgoing.account_id._kopdes_lowest_balances(earliest)
        changes = defaultdict(float)
        for tx in self.sorted(lambda t: (t.date, t.id)):
            tx._kopdes_check_rules()
            account_id = tx.account_id.id
            before = balances.get(account_id, 0.0)
            if account_id in lows:
                # a back-dated withdrawal must not take the balance below zero on any later
                # line of the passbook either
                before = min(before, lows[account_id])
            before += changes[account_id]
            if tx.type != "exit_refund":
                # withdrawals waiting for a manager keep their money
                before -= pending.get(account_id, 0.0)
            tx._kopdes_check_balance(before)
            changes[account_id] += tx.signed_amount

    def _kopdes_check_rules(self):
        """Rules that do not depend on the balance."""
        self.ensure_one()
        account = self.account_id
        labels = dict(self._fields["type"]._description_selection(self.env))
        if self.currency_id.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(_("The amount must be greater than zero."))
        if self.company_id != account.company_id:
            raise UserError(_("A transaction and its account belong to the same cooperative."))
        if account.state != "open":
            raise UserError(
                _(
                    "The account %(account)s is closed; no more transactions.",
                    account=account.display_name,
                )
            )
        if not self.counterpart_account_id:
            raise UserError(
                _(
                    "Choose the cash or bank journal of the %(type)s %(name)s.",
                    type=labels[self.type].lower(),
                    name=self.name,
                )
            )
        if self.date > kopdes_today(self.env, self.company_id):
            raise UserError(_("A savings transaction cannot be dated in the future."))
        if self.date < account.open_date:
            raise UserError(
                _(
                    "The account %(account)s was opened on %(date)s; a transaction cannot be "
                    "dated before.",
                    account=account.display_name,
                    date=format_date(self.env, account.open_date),
                )
            )
        if self.type == "deposit" and self.member_id.state not in ("active", "suspended"):
            raise UserError(
                _(
                    "%(member)s is not an active member and cannot save.",
                    member=self.member_id.display_name,
                )
            )
        if self.type == "interest":
            raise UserError(_("Interest is credited by the month-end interest run."))
        if self.type == "reversal":
            origin = self.reversal_of_id
            if not origin or origin.state != "posted" or origin.account_id != account:
                raise UserError(_("A reversal needs the posted transaction it reverses."))
            if origin.reversed_by_id:
                raise UserError(_("%(name)s has already been reversed.", name=origin.name))
        if self.type == "withdrawal":
            refusal = account.product_id._kopdes_allows_withdrawal(account, self.date)
            if refusal:
                raise UserError(refusal)
        if self.type == "exit_refund" and not kopdes_is_system(self.env, EXIT_SETTLEMENT):
            raise UserError(_("Exit refunds are made with the exit settlement wizard."))

    def _kopdes_check_balance(self, before):
        """Balance rules, given the account balance ``before`` this transaction."""
        self.ensure_one()
        account = self.account_id
        product = account.product_id
        currency = self.currency_id
        after = before + self.signed_amount
        if self.kind == "pokok" and self.type == "deposit":
            if currency.compare_amounts(after, product.amount) > 0:
                raise UserError(
                    _(
                        "Simpanan pokok is %(amount)s; %(member)s would pay %(after)s.",
                        amount=product._kopdes_format(product.amount),
                        member=self.member_id.display_name,
                        after=product._kopdes_format(after),
                    )
                )
        if self.signed_amount < 0:
            floor = product.minimum_balance if self.type == "withdrawal" else 0.0
            if currency.compare_amounts(after, floor) < 0:
                raise UserError(
                    _(
                        "The balance of %(account)s is not enough: %(available)s can be "
                        "taken out, %(amount)s was asked.",
                        account=account.display_name,
                        available=product._kopdes_format(max(before - floor, 0.0)),
                        amount=product._kopdes_format(self.amount),
                    )
                )

    def _kopdes_needs_approval(self):
        self.ensure_one()
        limit = self.company_id.kopdes_savings_approval_limit
        return (
            self.type == "withdrawal"
            and not self.pos_order_id
            and not self.approved_by_id
            and bool(limit)
            and self.currency_id.compare_amounts(self.amount, limit) > 0
        )

    def _kopdes_request_approval(self):
        managers = self.env.ref("kopdes_members.group_kopdes_manager").users.filtered(
            lambda u: not u.share
        )
        for tx in self:
            tx.message_post(
                body=_(
                    "Sent for approval by %(user)s: a withdrawal above %(limit)s waits for a "
                    "manager (Pengurus).",
                    user=self.env.user.name,
                    limit=tx.product_id._kopdes_format(tx.company_id.kopdes_savings_approval_limit),
                )
            )
            user = managers.filtered(
                lambda u, c=tx.company_id: c in u.company_ids and u != self.env.user
            )[:1]
            if user:
                tx.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=_("Approve withdrawal"),
                    note=_(
                        "%(member)s asks to withdraw %(amount)s from %(account)s.",
                        member=tx.member_id.display_name,
                        amount=tx.product_id._kopdes_format(tx.amount),
                        account=tx.account_id.display_name,
                    ),
                )

    def _kopdes_is_manager(self):
        return self.env.user.has_group("kopdes_members.group_kopdes_manager")

    def _kopdes_check_teller(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff (Petugas) can post savings."),
        )

    def _kopdes_label(self):
        self.ensure_one()
        labels = dict(self._fields["type"]._description_selection(self.env))
        return _(
            "%(type)s %(product)s %(member)s",
            type=labels[self.type],
            product=self.product_id.name,
            member=self.member_id.display_name,
        )

    @api.model
    def _kopdes_move_context(self):
        return {"kopdes_savings_posting": True}

    def _prepare_move_line_vals(self):
        """The two move lines of this transaction (savings account and counterpart)."""
        self.ensure_one()
        label = self._kopdes_label()
        # money into savings credits the savings account and debits the counterpart
        amount = self.amount if self.signed_amount > 0 else -self.amount
        partner = self.member_id.partner_id
        origin = self.reversal_of_id
        if self.type == "reversal" and origin.tax_withheld:
            # an interest credit with PPh withheld is reversed whole: the net back from
            # savings, the tax back from the tax payable account, the gross off the expense
            tax_account = origin.company_id.kopdes_savings_pph_account_id
            return [
                self._kopdes_prepare_move_line_vals(
                    self.product_id.account_id, -amount, label, partner
                ),
                self._kopdes_prepare_move_line_vals(
                    tax_account, origin.tax_withheld, label, partner
                ),
                self._kopdes_prepare_move_line_vals(
                    self.counterpart_account_id, -origin.interest_gross, label, partner
                ),
            ]
        return [
            self._kopdes_prepare_move_line_vals(
                self.product_id.account_id, -amount, label, partner
            ),
            self._kopdes_prepare_move_line_vals(
                self.counterpart_account_id, amount, label, partner
            ),
        ]

    def _prepare_move_vals(self, journal, date, lines, ref):
        return self._kopdes_prepare_move_vals(journal, date, lines, ref)

    def _kopdes_create_moves(self):
        """Create (not post) one journal entry per transaction and link it."""
        return self._kopdes_make_moves(
            [
                self._prepare_move_vals(
                    tx.product_id.journal_id,
                    tx.date,
                    tx._prepare_move_line_vals(),
                    tx.ref or tx._kopdes_label(),
                )
                for tx in self
            ],
            post=False,
            link_field="move_id",
        )
