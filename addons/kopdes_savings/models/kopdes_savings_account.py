from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_fields,
    kopdes_today,
    kopdes_without_defaults,
)

from ..tools import periods

# what staff may write on create and write of an account; number, state, dates and the
# balance are kept by the system
ACCOUNT_USER_FIELDS = {
    "member_id",
    "product_id",
    "company_id",
    "maturity_date",
    "note",
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
}


class KopdesSavingsAccount(models.Model):
    """A member's savings account for one product.

    The balance is always the sum of the posted transactions of the account; it is stored
    (so lists can sum, sort and group it) and recomputed with one ``_read_group`` whenever
    a transaction of the account is posted.
    """

    _name = "kopdes.savings.account"
    _description = "Savings Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "member_id, product_sequence, id"
    _check_company_auto = True
    _rec_names_search = ["name", "member_id.member_number", "member_id.name"]

    name = fields.Char(string="Account Number", readonly=True, copy=False, index=True)
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
        ondelete="restrict",
        tracking=True,
    )
    partner_id = fields.Many2one(related="member_id.partner_id", store=True, index=True)
    member_number = fields.Char(related="member_id.member_number", string="Member No.")
    member_state = fields.Selection(related="member_id.state", string="Member Status")
    product_id = fields.Many2one(
        "kopdes.savings.product",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    product_sequence = fields.Integer(related="product_id.sequence", store=True)
    kind = fields.Selection(related="product_id.kind", store=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    open_date = fields.Date(
        string="Opened On",
        required=True,
        default=lambda self: kopdes_today(self.env),
        readonly=True,
    )
    close_date = fields.Date(string="Closed On", readonly=True, copy=False)
    maturity_date = fields.Date(
        compute="_compute_maturity_date",
        store=True,
        readonly=False,
        help="Time deposits (berjangka) can be withdrawn from this date.",
    )
    transaction_ids = fields.One2many(
        "kopdes.savings.transaction", "account_id", string="Transactions", readonly=True
    )
    transaction_count = fields.Integer(compute="_compute_transaction_count")
    balance = fields.Monetary(
        compute="_compute_balance",
        store=True,
        help="Sum of the posted transactions of the account.",
    )
    available_balance = fields.Monetary(
        compute="_compute_available_balance",
        help="What can be withdrawn now: the balance above the product's minimum balance, "
        "zero when the product does not allow withdrawals now.",
    )
    due_ids = fields.One2many("kopdes.savings.due", "account_id", string="Dues", readonly=True)
    dues_arrears = fields.Monetary(string="Arrears", compute="_compute_dues_stats")
    dues_months_behind = fields.Integer(string="Periods Behind", compute="_compute_dues_stats")
    note = fields.Text()

    _sql_constraints = [
        (
            "balance_not_negative",
            "CHECK(balance >= 0)",
            "The balance of a savings account can never be negative.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("member_id.member_number", "product_id.code")
    def _compute_display_name(self):
        for account in self:
            account.display_name = (
                f"{account.name or ''} {account.member_id.name or ''}".strip()
                if account.name
                else account.member_id.name or ""
            )

    @api.depends("open_date", "product_id.kind", "product_id.term_months")
    def _compute_maturity_date(self):
        for account in self:
            if account.kind == "berjangka" and account.open_date and not account.maturity_date:
                account.maturity_date = periods.add_months(
                    account.open_date, account.product_id.term_months
                )
            elif account.kind != "berjangka":
                account.maturity_date = False

    @api.depends("transaction_ids.state", "transaction_ids.signed_amount")
    def _compute_balance(self):
        totals = self._kopdes_posted_balances()
        for account in self:
            account.balance = totals.get(account._origin.id or account.id, 0.0)

    @api.depends(
        "balance",
        "product_id.minimum_balance",
        "product_id.withdrawal_policy",
        "transaction_ids.state",
    )
    def _compute_available_balance(self):
        today = kopdes_today(self.env)
        pending = self._kopdes_pending_withdrawals()
        for account in self:
            product = account.product_id
            if account.state != "open" or product._kopdes_allows_withdrawal(account, today):
                account.available_balance = 0.0
            else:
                account.available_balance = max(
                    account.balance
                    - pending.get(account._origin.id, 0.0)
                    - product.minimum_balance,
                    0.0,
                )

    def _compute_transaction_count(self):
        counts = dict(
            self.env["kopdes.savings.transaction"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.transaction_count = counts.get(account, 0)

    def _compute_dues_stats(self):
        today = kopdes_today(self.env)
        stats = {
            account: (residual, count)
            for account, residual, count in self.env["kopdes.savings.due"]._read_group(
                [
                    ("account_id", "in", self.ids),
                    *self.env["kopdes.savings.due"]._kopdes_arrears_domain(today),
                ],
                ["account_id"],
                ["amount_residual:sum", "__count"],
            )
        }
        for account in self:
            account.dues_arrears, account.dues_months_behind = stats.get(account, (0.0, 0))

    # ---------------------------------------------------------- constraints

    @api.constrains("member_id", "product_id", "state")
    def _check_one_account_per_product(self):
        """One open account per member and product, except for time deposits."""
        accounts = self.filtered(lambda a: a.state == "open" and a.kind != "berjangka")
        if not accounts:
            return
        duplicates = self._read_group(
            [
                ("member_id", "in", accounts.member_id.ids),
                ("product_id", "in", accounts.product_id.ids),
                ("state", "=", "open"),
            ],
            ["member_id", "product_id"],
            ["__count"],
            having=[("__count", ">", 1)],
        )
        if duplicates:
            member, product, _count = duplicates[0]
            raise ValidationError(
                _(
                    "%(member)s already has an open %(product)s account.",
                    member=member.display_name,
                    product=product.name,
                )
            )

    @api.constrains("member_id", "product_id", "company_id")
    def _check_same_company(self):
        for account in self:
            if account.member_id.company_id != account.company_id or (
                account.product_id.company_id != account.company_id
            ):
                raise ValidationError(
                    _("A savings account, its member and its product belong to one cooperative.")
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, ACCOUNT_USER_FIELDS, vals_list=vals_list)
        members = self.env["kopdes.member"].browse(
            [vals["member_id"] for vals in vals_list if vals.get("member_id")]
        )
        members.fetch(["company_id", "member_number"])
        for vals in vals_list:
            if not self.env.su:
                self._kopdes_check_user_vals({k for k, v in vals.items() if v})
            if vals.get("member_id") and "company_id" not in vals:
                vals["company_id"] = (
                    self.env["kopdes.member"].browse(vals["member_id"]).company_id.id
                )
        accounts = super().create(vals_list)
        leavers = accounts.member_id.filtered(lambda m: m.state not in ("active", "suspended"))
        if leavers:
            raise UserError(
                _(
                    "Savings accounts are opened for members only: %(names)s",
                    names=", ".join(leavers.mapped("display_name")),
                )
            )
        for account in accounts.filtered(lambda a: not a.name):
            account.sudo().name = account._kopdes_account_number()
        return accounts

    def write(self, vals):
        if not self.env.su:
            self._kopdes_check_user_vals(vals)
        locked = {"member_id", "product_id", "company_id"} & set(vals)
        if locked and self.env["kopdes.savings.transaction"].search_count(
            [("account_id", "in", self.ids)], limit=1
        ):
            raise UserError(
                _("The member, product and cooperative of an account with transactions are fixed.")
            )
        return super().write(vals)

    def _kopdes_check_user_vals(self, names):
        kopdes_check_fields(
            self,
            names,
            ACCOUNT_USER_FIELDS,
            _(
                "These fields of a savings account are kept by the cooperative's procedures "
                "(posting, closing): %(fields)s"
            ),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_transactions(self):
        if self.env["kopdes.savings.transaction"].search_count(
            [("account_id", "in", self.ids)], limit=1
        ):
            raise UserError(
                _("Savings accounts with transactions are never deleted; close them instead.")
            )

    # --------------------------------------------------------------- actions

    def action_view_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_transaction_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {
            "default_account_id": self.id,
            "default_member_id": self.member_id.id,
            "search_default_posted": 1,
        }
        return action

    def action_view_dues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_due_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_new_transaction(self):
        """Open the teller form for a deposit (or a withdrawal, from the context)."""
        self.ensure_one()
        tx_type = self.env.context.get("kopdes_transaction_type", "deposit")
        return {
            "type": "ir.actions.act_window",
            "name": _("Withdrawal") if tx_type == "withdrawal" else _("Deposit"),
            "res_model": "kopdes.savings.transaction",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_member_id": self.member_id.id,
                "default_account_id": self.id,
                "default_type": tx_type,
            },
        }

    def action_print_passbook(self):
        return self.env.ref("kopdes_savings.action_report_kopdes_savings_passbook").report_action(
            self
        )

    # --------------------------------------------------------------- helpers

    def _kopdes_account_number(self):
        self.ensure_one()
        suffix = self.member_id.member_number or str(self.member_id.id)
        number = f"{self.product_id.code}-{suffix}"
        if self.kind == "berjangka":
            number = f"{number}-{self.id}"
        return number

    def _kopdes_passbook_lines(self):
        """Lines of the passbook: every posted transaction in date order with the running
        balance (``date``, ``name``, ``label``, ``in``, ``out``, ``balance``)."""
        self.ensure_one()
        labels = dict(
            self.env["kopdes.savings.transaction"]._fields["type"]._description_selection(self.env)
        )
        transactions = self.env["kopdes.savings.transaction"].search(
            [("account_id", "=", self.id), ("state", "=", "posted")],
            order="date, posting_seq, id",
        )
        lines = []
        balance = 0.0
        for tx in transactions:
            balance += tx.signed_amount
            label = labels[tx.type]
            if tx.type == "reversal":
                label = _("Reversal of %(name)s", name=tx.reversal_of_id.name)
            elif tx.ref:
                label = f"{label}: {tx.ref}"
            lines.append(
                {
                    "date": tx.date,
                    "name": tx.name,
                    "label": label,
                    "in": tx.signed_amount if tx.signed_amount > 0 else 0.0,
                    "out": -tx.signed_amount if tx.signed_amount < 0 else 0.0,
                    "balance": balance,
                }
            )
        return lines

    def _kopdes_posted_balances(self):
        """``{account_id: balance}``: one aggregate over the posted transactions."""
        ids = [aid for aid in self._origin.ids if aid]
        if not ids:
            return {}
        return {
            account.id: total
            for account, total in self.env["kopdes.savings.transaction"]._read_group(
                [("account_id", "in", ids), ("state", "=", "posted")],
                ["account_id"],
                ["signed_amount:sum"],
            )
        }

    def _kopdes_pending_withdrawals(self, exclude=None):
        """``{account_id: amount}`` of the withdrawals waiting for a manager's approval
        (one aggregate); ``exclude``: transactions not to count (the ones being posted)."""
        ids = [aid for aid in self._origin.ids if aid]
        if not ids:
            return {}
        domain = [
            ("account_id", "in", ids),
            ("state", "=", "to_approve"),
            ("type", "=", "withdrawal"),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        return {
            account.id: total
            for account, total in self.env["kopdes.savings.transaction"]
            .sudo()
            ._read_group(domain, ["account_id"], ["amount:sum"])
        }

    def _kopdes_lowest_balances(self, dates):
        """``{account_id: amount}``: the lowest running balance of each account from
        ``dates[account_id]`` on (the balance at the end of that day, or of any later day
        that has posted transactions). A withdrawal dated that day may take at most this
        much, or the passbook would show a negative balance on a later line (one query)."""
        ids = [aid for aid in self._origin.ids if aid]
        if not ids:
            return {}
        self.env["kopdes.savings.transaction"].flush_model(
            ["account_id", "date", "state", "signed_amount"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT account_id, day, closing,
                       MIN(closing) OVER (PARTITION BY account_id ORDER BY day DESC)
                  FROM (SELECT account_id, date AS day,
                               SUM(SUM(signed_amount)) OVER (
                                   PARTITION BY account_id ORDER BY date) AS closing
                          FROM kopdes_savings_transaction
                         WHERE account_id = ANY(%(ids)s) AND state = 'posted'
                      GROUP BY account_id, date) AS days
              ORDER BY account_id, day
                """,
                ids=ids,
            )
        )
        at_date, later = {}, {}
        for account_id, day, closing, lowest_from in self.env.cr.fetchall():
            date = dates.get(account_id)
            if not date:
                continue
            if day <= date:
                at_date[account_id] = float(closing)
            elif account_id not in later:
                later[account_id] = float(lowest_from)
        return {
            account_id: min(at_date.get(account_id, 0.0), later.get(account_id, float("inf")))
            for account_id in dates
        }

    def _kopdes_store_balances(self):
        """Store ``balance`` of these accounts as the sum of their posted transactions, in
        one statement (the batch posting paths that insert transactions with SQL)."""
        ids = [aid for aid in self._origin.ids if aid]
        if not ids:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH totals AS (
                    SELECT account_id, SUM(signed_amount) AS total
                      FROM kopdes_savings_transaction
                     WHERE account_id = ANY(%(accounts)s) AND state = 'posted'
                  GROUP BY account_id
                )
                UPDATE kopdes_savings_account a
                   SET balance = t.total, write_date = now() at time zone 'UTC',
                       write_uid = %(uid)s
                  FROM totals t
                 WHERE t.account_id = a.id
                """,
                accounts=ids,
                uid=self.env.uid,
            )
        )
        self.invalidate_recordset(["balance"])

    def _kopdes_recompute_balance_after(self):
        """Set ``balance_after`` of every posted transaction of these accounts to the running
        balance in passbook order (date, then posting order), in one statement. Every
        posting path calls it, so a back-dated or later-approved transaction moves the
        balances of the rows after it."""
        ids = [aid for aid in self._origin.ids if aid]
        if not ids:
            return
        Transaction = self.env["kopdes.savings.transaction"]
        Transaction.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_savings_transaction tx
                   SET balance_after = r.running
                  FROM (SELECT id, SUM(signed_amount) OVER (
                                   PARTITION BY account_id
                                   ORDER BY date, posting_seq NULLS LAST, id) AS running
                          FROM kopdes_savings_transaction
                         WHERE account_id = ANY(%(ids)s) AND state = 'posted') AS r
                 WHERE tx.id = r.id AND tx.balance_after IS DISTINCT FROM r.running
                """,
                ids=ids,
            )
        )
        Transaction.invalidate_model(["balance_after"])

    def _kopdes_lock(self):
        """Lock the rows of these accounts until the end of the database transaction.

        ``FOR NO KEY UPDATE``: other postings wait, while inserting transactions that
        reference the account (foreign key checks) stays possible.

        Postings lock before they read the balance, so two tellers withdrawing from the same
        account at the same moment are served one after the other: the second waits for the
        first to commit and then fails with a serialization error (Odoo retries the request,
        which then sees the new balance). Rows are locked in id order to avoid deadlocks.
        """
        if not self.ids:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM kopdes_savings_account WHERE id IN %s "
                "ORDER BY id FOR NO KEY UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["balance", "state"])

    def _kopdes_deposit(self, amount, date=None, **vals):
        """Post a deposit of ``amount`` on this account and return the transaction.

        Extra ``vals`` are written on the transaction (e.g. ``payment_journal_id``,
        ``counterpart_account_id``, ``ref``). Raises ``UserError`` when it is refused.
        """
        self.ensure_one()
        return self._kopdes_post_new("deposit", amount, date, vals)

    def _kopdes_withdraw(self, amount, date=None, **vals):
        """Post a withdrawal of ``amount`` from this account and return the transaction.

        Refused (``UserError``) when the product does not allow it or the available balance
        is short. Above the company's approval limit the transaction waits for a manager
        (state ``to_approve``) unless the current user is a manager.
        """
        self.ensure_one()
        return self._kopdes_post_new("withdrawal", amount, date, vals)

    def _kopdes_post_new(self, tx_type, amount, date, vals):
        transaction = self.env["kopdes.savings.transaction"].create(
            {
                "account_id": self.id,
                "member_id": self.member_id.id,
                "type": tx_type,
                "amount": amount,
                "date": date or kopdes_today(self.env, self.company_id),
                **vals,
            }
        )
        transaction.action_post()
        return transaction

    def _kopdes_close(self, close_date=None):
        """Close accounts whose balance is zero."""
        not_empty = self.filtered(lambda a: a.currency_id.compare_amounts(a.balance, 0.0) != 0)
        if not_empty:
            raise UserError(
                _(
                    "Only empty accounts can be closed: %(accounts)s",
                    accounts=", ".join(not_empty.mapped("display_name")),
                )
            )
        self.write({"state": "closed", "close_date": close_date or kopdes_today(self.env)})

    # ------------------------------------------------------------ balances as of a date
    # The one API for balances at a past date (the SHU's capital share, the RAT report):
    # one SQL aggregate over the posted transactions, never a loop over members.

    @api.model
    def _kopdes_balance_where(self, company, members=None, kinds=None):
        clauses = [
            SQL("t.company_id = %s", company.id),
            SQL("t.state = 'posted'"),
        ]
        if members is not None:
            clauses.append(SQL("t.member_id = ANY(%s)", list(members.ids)))
        if kinds:
            clauses.append(SQL("t.kind = ANY(%s)", list(kinds)))
        return SQL(" AND ").join(clauses)

    @api.model
    def _kopdes_balances_as_of(self, date, company, members=None, kinds=None, groupby="member"):
        """Posted balances at the end of ``date``: ``{member_id: amount}`` (``groupby``
        ``"member"``), ``{(member_id, kind): amount}`` (``"member_kind"``) or
        ``{kind: amount}`` (``"kind"``). ``members`` (records) and ``kinds`` (savings kinds)
        narrow it; members without posted transactions are left out. One query."""
        date = fields.Date.to_date(date)
        self.env["kopdes.savings.transaction"].flush_model(
            ["company_id", "member_id", "kind", "date", "state", "signed_amount"]
        )
        keys = {
            "member": SQL("t.member_id"),
            "member_kind": SQL("t.member_id, t.kind"),
            "kind": SQL("t.kind"),
        }[groupby]
        self.env.cr.execute(
            SQL(
                """
                SELECT %(keys)s, SUM(t.signed_amount)
                  FROM kopdes_savings_transaction t
                 WHERE %(where)s AND t.date <= %(date)s
              GROUP BY %(keys)s
                """,
                keys=keys,
                where=self._kopdes_balance_where(company, members, kinds),
                date=date,
            )
        )
        if groupby == "member_kind":
            return {(row[0], row[1]): float(row[2]) for row in self.env.cr.fetchall()}
        return {row[0]: float(row[1]) for row in self.env.cr.fetchall()}

    @api.model
    def _kopdes_balance_days(self, date_from, date_to, company, members=None, kinds=None):
        """``{member_id: Decimal}``: the sum over every day from ``date_from`` to
        ``date_to`` (both included) of the member's posted balance at the end of the day,
        for the savings ``kinds``. Exact (numeric), so shares proportional to it are exact;
        divide by the number of days for the average daily balance. One query: a
        transaction before the period counts for every day, one inside it from its date
        to the end."""
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_to < date_from:
            raise ValidationError(_("The end of the period is before its start."))
        self.env["kopdes.savings.transaction"].flush_model(
            ["company_id", "member_id", "kind", "date", "state", "signed_amount"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT t.member_id,
                       SUM(t.signed_amount * CASE WHEN t.date < %(start)s THEN %(days)s
                                                  ELSE %(end)s - t.date + 1 END)
                  FROM kopdes_savings_transaction t
                 WHERE %(where)s AND t.date <= %(end)s
              GROUP BY t.member_id
                """,
                start=date_from,
                end=date_to,
                days=(date_to - date_from).days + 1,
                where=self._kopdes_balance_where(company, members, kinds),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _kopdes_average_daily_balances(self, date_from, date_to, company, kinds=None, members=None):
        """``{member_id: amount}``: the average of the member's end-of-day posted balance
        over ``date_from``..``date_to`` (both included) for the savings ``kinds``, rounded
        to the currency (see :meth:`_kopdes_balance_days` for the exact figure)."""
        days = (fields.Date.to_date(date_to) - fields.Date.to_date(date_from)).days + 1
        currency = company.currency_id
        return {
            member_id: currency.round(float(total) / days)
            for member_id, total in self._kopdes_balance_days(
                date_from, date_to, company, members=members, kinds=kinds
            ).items()
        }
