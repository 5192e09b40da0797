from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from odoo.addons.kopdes_members.models.kopdes_system import (
    SAVINGS_POSTING,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

from ..tools import interest as interest_tools
from ..tools import periods
from .kopdes_savings_transaction import POSTING_SEQUENCE


class KopdesSavingsInterestBatch(models.Model):
    """The month-end credit of interest (jasa simpanan) of one cooperative for one month.

    One batch per cooperative and month (unique), so running the job twice credits
    nothing twice. Each interest-bearing open account gets one posted ``interest``
    transaction; the batch posts one journal entry per journal (interest expense against
    the products' savings accounts).

    The PPh final on interest (PP 15/2009) is withheld per member and month: when the
    member's interest over all their accounts is above the company's threshold, the rate
    applies to the whole of it; each account is credited its interest net of its share of
    the tax, and the tax goes to the company's tax payable account.
    """

    _name = "kopdes.savings.interest.batch"
    _description = "Savings Interest Batch"
    _inherit = ["mail.thread", "kopdes.move.mixin"]
    _order = "period_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_start = fields.Date(string="Month", required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    transaction_ids = fields.One2many(
        "kopdes.savings.transaction", "interest_batch_id", string="Interest Credits", readonly=True
    )
    move_ids = fields.Many2many("account.move", string="Journal Entries", readonly=True)
    account_count = fields.Integer(string="Accounts Credited", readonly=True, default=0)
    total_gross = fields.Monetary(string="Gross Interest", readonly=True)
    total_tax = fields.Monetary(string="Tax Withheld (PPh Final)", readonly=True)
    total_amount = fields.Monetary(string="Net Interest Credited", readonly=True)
    state = fields.Selection(
        [("posted", "Posted"), ("reversed", "Reversed")],
        default="posted",
        required=True,
        readonly=True,
        help="Reversed: its credits were reversed as a whole (a month-end close reopened); "
        "the month can then be credited again by a new batch.",
    )

    def init(self):
        # one posted batch per cooperative and month (reversed ones are kept as history)
        self.env.cr.execute(
            "ALTER TABLE kopdes_savings_interest_batch "
            "DROP CONSTRAINT IF EXISTS kopdes_savings_interest_batch_company_period_uniq"
        )
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS kopdes_savings_interest_batch_posted_uniq "
            "ON kopdes_savings_interest_batch (company_id, period_start) WHERE state = 'posted'"
        )

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not kopdes_is_system(self.env, SAVINGS_POSTING):
            raise UserError(_("Interest is credited by the month-end interest run."))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"message_main_attachment_id", "message_follower_ids"} and (
            not kopdes_is_system(self.env, SAVINGS_POSTING)
        ):
            raise UserError(_("Interest is credited by the month-end interest run."))
        return super().write(vals)

    def action_view_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_transaction_action"
        )
        action["domain"] = [("interest_batch_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Journal Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }

    @api.model
    def _cron_credit_interest(self):
        """Monthly job (on the 1st): credit last month's interest in every cooperative."""
        for company in self.env["res.company"].search([]):
            self._kopdes_run(company, periods.previous_period(kopdes_today(self.env, company)))

    @api.model
    def _kopdes_run(self, company, month):
        """Credit the interest of ``month`` (any day of it) in ``company``.

        Returns the batch; when the month has already been credited, the existing batch
        is returned and nothing is credited again. The work is a fixed number of SQL
        statements whatever the number of accounts: balances and movements come from two
        aggregates, the transactions are inserted in one statement, the balances updated
        in one statement and each journal gets one entry.
        """
        start = periods.period_start(month)
        end = periods.period_end(start)
        if end >= kopdes_today(self.env, company):
            raise UserError(_("The interest of a month is credited after the month has ended."))
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("period_start", "=", start),
                ("state", "=", "posted"),
            ]
        )
        if existing:
            return existing
        products = self.env["kopdes.savings.product"].search(
            [
                ("company_id", "=", company.id),
                ("kind", "in", ("sukarela", "berjangka")),
                ("interest_rate", ">", 0),
            ]
        )
        label = periods.period_label(start)
        # the batch, its transactions and entries are the posting code's to write
        batch = kopdes_system(self, SAVINGS_POSTING).create(
            {
                "name": f"JS/{label}",
                "company_id": company.id,
                "period_start": start,
                "period_end": end,
            }
        )
        # serialise concurrent runs of the same month: the unique constraint makes the
        # second one fail at commit, and Odoo retries it, which then finds the batch
        self.flush_model()
        credits = self._kopdes_compute_credits(products, start, end)
        if credits:
            batch._kopdes_post_credits(products, credits, start, end)
            credited = batch.transaction_ids.with_env(self.env)
            batch.with_env(self.env)._kopdes_interest_credited(credited)
            self.env["kopdes.savings.transaction"]._kopdes_transactions_posted(credited)
        batch.message_post(
            body=_(
                "Interest of %(month)s credited to %(count)s accounts.",
                month=label,
                count=batch.account_count,
            )
        )
        return batch.with_env(self.env)

    def _kopdes_mark_reversed(self):
        """Mark the batch reversed once all its credits have been reversed (by the caller,
        with ``kopdes.savings.transaction.action_reverse``): the month can be credited
        again. Refused while a credit of the batch is still standing."""
        self.ensure_one()
        self.env["kopdes.savings.transaction"].flush_model(
            ["interest_batch_id", "state", "reversed_by_id"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM kopdes_savings_transaction WHERE interest_batch_id = %s "
                "AND state = 'posted' AND reversed_by_id IS NULL LIMIT 1",
                self.id,
            )
        )
        if self.env.cr.fetchone():
            raise UserError(_("Reverse every interest credit of the batch first."))
        kopdes_system(self, SAVINGS_POSTING).write({"state": "reversed"})
        self.message_post(body=_("All the interest credits of this batch were reversed."))
        return True

    def _kopdes_reverse_credits(self, date, reason):
        """Reverse every standing credit of the batch as a whole (the month-end close
        reopened) and mark it reversed; returns the reversal transactions.

        Each journal entry of the batch gets one reversal entry dated ``date`` (net back
        from the savings accounts, the PPh back from the tax payable, the gross off the
        expense), and each credit one posted ``reversal`` transaction, inserted in one
        statement, with the balances and ``balance_after`` updated in one statement each: a
        fixed number of statements whatever the number of accounts. Refused, with nothing
        changed, when an account is no longer open or when taking a credit back would make
        an account's balance negative on ``date`` or any later day (the member has spent
        the interest), as the reversal of a single transaction is."""
        self.ensure_one()
        batch = kopdes_system(self, SAVINGS_POSTING)
        Transaction = batch.env["kopdes.savings.transaction"]
        Transaction.flush_model()
        # the batch's credits still standing (not reversed on their own)
        standing = SQL(
            "tx.interest_batch_id = %s AND tx.state = 'posted' AND tx.type = 'interest' "
            "AND tx.reversed_by_id IS NULL",
            batch.id,
        )
        # lock the accounts first (id order), then read what is to be taken back
        self.env.cr.execute(
            SQL(
                "SELECT id, state FROM kopdes_savings_account WHERE id IN ("
                "SELECT tx.account_id FROM kopdes_savings_transaction tx WHERE %s) "
                "ORDER BY id FOR NO KEY UPDATE",
                standing,
            )
        )
        states = dict(self.env.cr.fetchall())
        if not states:
            batch._kopdes_mark_reversed()
            return Transaction
        if date < batch.period_end:
            raise UserError(_("The interest of a month is reversed on or after its last day."))
        Account = batch.env["kopdes.savings.account"]
        accounts = Account.browse(sorted(states))
        accounts.invalidate_recordset(["balance", "state"])
        closed = [account_id for account_id, state in states.items() if state != "open"]
        if closed:
            raise UserError(
                _(
                    "The interest of %(batch)s cannot be reversed: the accounts %(accounts)s "
                    "are closed.",
                    batch=batch.name,
                    accounts=", ".join(Account.browse(closed[:5]).mapped("display_name")),
                )
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT tx.id, tx.account_id, tx.amount, COALESCE(tx.interest_gross, tx.amount),
                       COALESCE(tx.tax_withheld, 0), COALESCE(m.journal_id, p.journal_id),
                       p.account_id, tx.counterpart_account_id
                  FROM kopdes_savings_transaction tx
                  JOIN kopdes_savings_product p ON p.id = tx.product_id
                  LEFT JOIN account_move m ON m.id = tx.move_id
                 WHERE %s
              ORDER BY tx.id
                """,
                standing,
            )
        )
        credits = self.env.cr.fetchall()
        currency = batch.currency_id
        net = defaultdict(float)
        for _id, account_id, amount, *_rest in credits:
            net[account_id] += float(amount)
        lows = accounts._kopdes_lowest_balances(dict.fromkeys(accounts.ids, date))
        pending = accounts._kopdes_pending_withdrawals()
        short = [
            account_id
            for account_id in accounts.ids
            if currency.compare_amounts(
                lows.get(account_id, 0.0) - pending.get(account_id, 0.0) - net[account_id], 0.0
            )
            < 0
        ]
        if short:
            raise UserError(
                _(
                    "The interest of %(batch)s cannot be reversed: the balance of %(accounts)s "
                    "is no longer enough to take it back. Deposit the difference or reverse "
                    "the later withdrawals first.",
                    batch=batch.name,
                    accounts=", ".join(Account.browse(short[:5]).mapped("display_name")),
                )
            )
        # per journal, the opposite of what the credits posted (those already reversed on
        # their own are left out): savings debited the net, tax payable debited the PPh,
        # the interest expense credited the gross
        tax_account = batch.company_id.kopdes_savings_pph_account_id
        totals = defaultdict(lambda: defaultdict(float))
        for _id, _account, amount, gross, tax, journal_id, savings_gl, expense_gl in credits:
            totals[journal_id][savings_gl] += float(amount)
            totals[journal_id][expense_gl] -= float(gross)
            if tax:
                totals[journal_id][tax_account.id] += float(tax)
        label = _("%(reason)s: interest reversed", reason=reason)
        journals = batch.env["account.journal"].browse(list(totals))
        moves = batch._kopdes_make_moves(
            [
                self._kopdes_prepare_move_vals(
                    journal,
                    date,
                    [
                        self._kopdes_prepare_move_line_vals(
                            account_id, currency.round(amount), label
                        )
                        for account_id, amount in totals[journal.id].items()
                    ],
                    _("%(reason)s: %(batch)s", reason=reason, batch=batch.name),
                )
                for journal in journals
            ]
        )
        move_by_journal = dict(zip(journals.ids, moves.ids, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kopdes_savings_transaction (
                    name, company_id, member_id, partner_id, kind, account_id, product_id,
                    type, origin_type, date, amount, signed_amount, state,
                    counterpart_account_id, payment_journal_id, move_id, reversal_of_id,
                    posted_by_id, ref, note, create_uid, create_date, write_uid, write_date)
                SELECT tx.name || '/R', tx.company_id, tx.member_id, tx.partner_id, tx.kind,
                       tx.account_id, tx.product_id, 'reversal', tx.type, %(date)s, tx.amount,
                       -tx.signed_amount, 'posted', tx.counterpart_account_id,
                       tx.payment_journal_id, v.move_id, tx.id, %(uid)s, tx.name, %(note)s,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM unnest(%(ids)s::int[], %(moves)s::int[]) AS v(id, move_id)
                  JOIN kopdes_savings_transaction tx ON tx.id = v.id
              ORDER BY tx.id
             RETURNING id, reversal_of_id
                """,
                date=date,
                uid=self.env.uid,
                note=reason,
                ids=[row[0] for row in credits],
                moves=[move_by_journal[row[5]] for row in credits],
            )
        )
        pairs = self.env.cr.fetchall()
        reversal_ids = [reversal_id for reversal_id, _origin in pairs]
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_savings_transaction tx
                   SET reversed_by_id = v.reversal_id, write_uid = %(uid)s,
                       write_date = now() at time zone 'UTC'
                  FROM unnest(%(reversals)s::int[], %(origins)s::int[]) AS v(reversal_id, origin)
                 WHERE tx.id = v.origin
                """,
                uid=self.env.uid,
                reversals=reversal_ids,
                origins=[origin for _reversal_id, origin in pairs],
            )
        )
        Transaction.invalidate_model()
        reversed_txs = Transaction.browse(reversal_ids)
        reversed_txs._kopdes_number_postings()
        accounts._kopdes_store_balances()
        accounts._kopdes_recompute_balance_after()
        batch._kopdes_mark_reversed()
        reversed_txs = reversed_txs.with_env(self.env)
        self.env["kopdes.savings.transaction"]._kopdes_transactions_posted(reversed_txs)
        return reversed_txs

    def _kopdes_interest_credited(self, transactions):
        """Hook: the batch ``self`` has just credited ``transactions``, one posted interest
        transaction per account (inserted with SQL; balances and ``balance_after`` are up
        to date). One call per batch; other addons (WhatsApp, scoring) override it with
        ``super()``. :meth:`kopdes.savings.transaction._kopdes_transactions_posted` is
        called for the same transactions right after."""
        return True

    @api.model
    def _kopdes_compute_credits(self, products, start, end):
        """``[(account_id, product, amount)]`` for the open accounts of ``products``."""
        if not products:
            return []
        Transaction = self.env["kopdes.savings.transaction"]
        Transaction.flush_model()
        self.env["kopdes.savings.account"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT a.id, a.product_id,
                       COALESCE(SUM(t.signed_amount) FILTER (WHERE t.date < %(start)s), 0)
                  FROM kopdes_savings_account a
             LEFT JOIN kopdes_savings_transaction t
                    ON t.account_id = a.id AND t.state = 'posted' AND t.date <= %(end)s
                 WHERE a.product_id = ANY(%(products)s)
                   AND a.state = 'open'
                   AND NOT EXISTS (
                        SELECT 1 FROM kopdes_savings_transaction i
                         WHERE i.account_id = a.id AND i.type = 'interest'
                           AND i.interest_period = %(start)s AND i.reversed_by_id IS NULL)
              GROUP BY a.id, a.product_id
                """,
                start=start,
                end=end,
                products=products.ids,
            )
        )
        accounts = cr.fetchall()
        if not accounts:
            return []
        cr.execute(
            SQL(
                """
                SELECT t.account_id, t.date, SUM(t.signed_amount)
                  FROM kopdes_savings_transaction t
                  JOIN kopdes_savings_account a ON a.id = t.account_id
                 WHERE a.product_id = ANY(%(products)s)
                   AND t.state = 'posted'
                   AND t.date BETWEEN %(start)s AND %(end)s
              GROUP BY t.account_id, t.date
                """,
                start=start,
                end=end,
                products=products.ids,
            )
        )
        movements = defaultdict(list)
        for account_id, day, amount in cr.fetchall():
            movements[account_id].append((day, amount))
        products_by_id = {product.id: product for product in products}
        credits = []
        for account_id, product_id, opening in accounts:
            product = products_by_id[product_id]
            base = interest_tools.interest_base(
                opening, movements.get(account_id, ()), start, end, product.interest_base
            )
            if product.currency_id.compare_amounts(base, product.interest_min_balance) < 0:
                continue
            amount = interest_tools.interest_amount(
                base, product.interest_rate, start, end, unit=product._kopdes_rounding_unit()
            )
            if product.currency_id.compare_amounts(amount, 0.0) > 0:
                credits.append((account_id, product, amount))
        return credits

    @api.model
    def _kopdes_compute_withholding(self, company, credits, unit):
        """The PPh final of each of ``credits`` (same order), in multiples of ``unit``.

        Per member: no tax when the member's interest of the month (all ``credits`` of
        their accounts) is at most ``company.kopdes_savings_pph_threshold``; above it,
        ``round(rate x total)``, shared over the member's credits by largest remainder so
        the shares add up to the member's tax exactly. One query (the accounts' members).
        """
        rate = company.kopdes_savings_pph_rate
        if not credits or not rate:
            return [0.0] * len(credits)
        self.env["kopdes.savings.account"].flush_model(["member_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, member_id FROM kopdes_savings_account WHERE id = ANY(%s)",
                [account_id for account_id, _product, _amount in credits],
            )
        )
        member_of = dict(self.env.cr.fetchall())
        by_member = defaultdict(list)
        for index, (account_id, _product, amount) in enumerate(credits):
            by_member[member_of[account_id]].append((index, amount))
        currency = company.currency_id
        threshold = company.kopdes_savings_pph_threshold
        taxes = [0.0] * len(credits)
        for items in by_member.values():
            total = sum(amount for _index, amount in items)
            if currency.compare_amounts(total, threshold) <= 0:
                continue
            units = round(float_round(total * rate / 100, precision_rounding=unit) / unit)
            exact = [(index, amount * rate / 100 / unit) for index, amount in items]
            shares = {index: int(value + 1e-9) for index, value in exact}
            left = units - sum(shares.values())
            # the units left go to the largest remainders (then the first credits), never
            # taking a credit's whole interest (an interest credit is never zero)
            amounts = dict(items)
            order = sorted(
                (item for item in exact if (shares[item[0]] + 1) * unit < amounts[item[0]]),
                key=lambda item: (-(item[1] - shares[item[0]]), item[0]),
            )
            for index, _value in order[:left]:
                shares[index] += 1
            if left > len(order):
                shares[max(amounts, key=amounts.get)] += left - len(order)
            for index, share in shares.items():
                taxes[index] = currency.round(share * unit)
        return taxes

    @api.model
    def _kopdes_move_context(self):
        return {"kopdes_savings_posting": True}

    def _kopdes_post_credits(self, products, credits, start, end):
        """Post one entry per journal and insert the interest transactions in one go."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        label = periods.period_label(start)
        credits = [
            (account_id, product, currency.round(amount)) for account_id, product, amount in credits
        ]
        taxes = self._kopdes_compute_withholding(
            company, credits, products[:1]._kopdes_rounding_unit()
        )
        tax_account = company.sudo().kopdes_savings_pph_account_id
        if any(taxes) and not tax_account:
            raise UserError(
                _(
                    "PPh final is withheld on the interest of %(month)s but %(company)s has no "
                    "interest tax payable account: set it in the savings settings.",
                    month=label,
                    company=company.name,
                )
            )
        # per journal: savings accounts credited the net, expense debited the gross
        net_by_journal = defaultdict(lambda: defaultdict(float))
        gross_by_journal = defaultdict(lambda: defaultdict(float))
        tax_by_journal = defaultdict(float)
        for (_account_id, product, amount), tax in zip(credits, taxes, strict=True):
            net_by_journal[product.journal_id][product.account_id.id] += amount - tax
            gross_by_journal[product.journal_id][product.interest_account_id.id] += amount
            tax_by_journal[product.journal_id] += tax
        journals, vals_list = [], []
        for journal, net_totals in net_by_journal.items():
            lines = [
                self._kopdes_prepare_move_line_vals(
                    savings_account_id,
                    -currency.round(amount),
                    _("Interest %(month)s credited to members", month=label),
                )
                for savings_account_id, amount in net_totals.items()
            ]
            lines += [
                self._kopdes_prepare_move_line_vals(
                    expense_account_id,
                    currency.round(amount),
                    _("Interest on savings %(month)s", month=label),
                )
                for expense_account_id, amount in gross_by_journal[journal].items()
            ]
            if tax_by_journal[journal]:
                lines.append(
                    self._kopdes_prepare_move_line_vals(
                        tax_account.id,
                        -currency.round(tax_by_journal[journal]),
                        _("PPh final withheld on the interest of %(month)s", month=label),
                    )
                )
            journals.append(journal)
            vals_list.append(
                self._kopdes_prepare_move_vals(
                    journal, end, lines, self.name, kopdes_savings_interest_batch_id=self.id
                )
            )
        moves = self.with_company(company)._kopdes_make_moves(vals_list)
        move_by_journal = {journal.id: move for journal, move in zip(journals, moves, strict=True)}
        # one INSERT for all the interest transactions of the batch
        account_ids, amounts, move_ids, names, product_ids, counterparts = [], [], [], [], [], []
        grosses, tax_amounts = [], []
        for index, ((account_id, product, amount), tax) in enumerate(
            zip(credits, taxes, strict=True), start=1
        ):
            account_ids.append(account_id)
            amounts.append(currency.round(amount - tax))
            grosses.append(amount)
            tax_amounts.append(tax)
            move_ids.append(move_by_journal[product.journal_id.id].id)
            names.append(f"{self.name}/{index:05d}")
            product_ids.append(product.id)
            counterparts.append(product.interest_account_id.id)
        Transaction = self.env["kopdes.savings.transaction"]
        Transaction.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kopdes_savings_transaction (
                    name, company_id, member_id, partner_id, kind, account_id, product_id,
                    type, origin_type, date, amount, signed_amount, state,
                    counterpart_account_id, move_id, interest_batch_id, interest_period,
                    posted_by_id, ref, create_uid, create_date, write_uid, write_date,
                    posting_seq, interest_gross, tax_withheld)
                SELECT v.name, a.company_id, a.member_id, a.partner_id, a.kind, a.id,
                       a.product_id, 'interest', 'interest', %(end)s, v.amount, v.amount,
                       'posted', v.counterpart, v.move_id, %(batch)s, %(start)s,
                       %(uid)s, %(ref)s, %(uid)s, now() at time zone 'UTC', %(uid)s,
                       now() at time zone 'UTC', nextval(%(posting_seq)s), v.gross, v.tax
                  FROM unnest(%(accounts)s::int[], %(amounts)s::numeric[], %(moves)s::int[],
                              %(names)s::varchar[], %(counterparts)s::int[],
                              %(grosses)s::numeric[], %(taxes)s::numeric[])
                       AS v(account_id, amount, move_id, name, counterpart, gross, tax)
                  JOIN kopdes_savings_account a ON a.id = v.account_id
                """,
                end=end,
                start=start,
                batch=self.id,
                uid=self.env.uid,
                ref=self.name,
                accounts=account_ids,
                amounts=amounts,
                moves=move_ids,
                names=names,
                counterparts=counterparts,
                grosses=grosses,
                taxes=tax_amounts,
                posting_seq=POSTING_SEQUENCE,
            )
        )
        credited = self.env["kopdes.savings.account"].browse(account_ids)
        credited._kopdes_store_balances()
        # balance after: the running balance in passbook order, moved on later rows too
        credited._kopdes_recompute_balance_after()
        Transaction.invalidate_model()
        self.write(
            {
                "move_ids": [Command.set(moves.ids)],
                "account_count": len(credits),
                "total_gross": currency.round(sum(grosses)),
                "total_tax": currency.round(sum(tax_amounts)),
                "total_amount": currency.round(sum(amounts)),
            }
        )
