from odoo import api, fields, models
from odoo.tools import SQL

KINDS = [
    ("savings", "Savings"),
    ("principal", "Loan Principal"),
    ("receivable", "Accrued Interest Receivable"),
    ("provision", "Loan Loss Provision (PPAP)"),
]


class KopdesCloseReconciliation(models.Model):
    """One control account of a cooperative at a period end: its general-ledger balance
    against the sum of its subledger.

    - savings (each savings product's account): the balances of the members' accounts of
      the products on it (posted transactions dated up to the period end);
    - loan principal (each loan product's principal account): the outstanding principal of
      the loans as of the period end (allocations dated up to it);
    - accrued interest receivable (each loan product's receivable account): interest
      accrued and late fees charged, less what was settled from them up to the period end
      (accruals and charges the loans' code booked after it are left out);
    - PPAP (the cooperative's provision account): the provision required by the loans'
      classes as of the period end.

    The ledger side is ``credit - debit`` (savings, PPAP) or ``debit - credit`` (loans) of
    the posted journal items dated up to the period end. Rebuilt by every run of the close
    with a fixed number of statements; the documents that differ are listed with each line.
    """

    _name = "kopdes.close.reconciliation"
    _description = "Month-End Reconciliation"
    _order = "close_id, kind, account_id"
    _check_company_auto = True

    @api.depends("close_id", "account_id")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = (
                f"{rec.close_id.display_name or ''}: {rec.account_id.display_name or ''}"
            )

    close_id = fields.Many2one("kopdes.close", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Cooperative", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True)
    kind = fields.Selection(KINDS, required=True)
    account_id = fields.Many2one("account.account", required=True, check_company=True)
    ledger_balance = fields.Monetary(string="General Ledger")
    subledger_balance = fields.Monetary(string="Subledger")
    difference = fields.Monetary()
    document_ids = fields.One2many(
        "kopdes.close.reconciliation.document", "reconciliation_id", string="Differing Documents"
    )
    document_count = fields.Integer(string="Documents")

    def action_view_documents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.account_id.display_name,
            "res_model": "kopdes.close.reconciliation.document",
            "view_mode": "list",
            "domain": [("reconciliation_id", "=", self.id)],
            "context": {"create": False},
        }

    @api.model
    def _kopdes_rebuild(self, close):
        """Replace the reconciliation of ``close`` (the system calls it)."""
        company = close.company_id
        date = close.date_to
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM kopdes_close_reconciliation WHERE close_id = %s", close.id))
        subledger = {}  # (kind, account_id) -> amount
        documents = []  # (kind, account_id, move_id, transaction/loan label, amount, reason)
        self._kopdes_savings_side(company, date, subledger, documents)
        portfolio = self._kopdes_principal_side(company, date, subledger, documents)
        self._kopdes_receivable_side(company, date, subledger)
        # --- PPAP
        provision_account = company.kopdes_loan_provision_account_id
        if provision_account:
            subledger[("provision", provision_account.id)] = float(
                sum(row["provision"] for row in portfolio.values())
            )
        # ledger balances of every account, one query
        accounts = sorted({acc for _kind, acc in subledger})
        ledger = {}
        if accounts:
            cr.execute(
                SQL(
                    """
                    SELECT account_id, SUM(debit - credit) FROM account_move_line
                     WHERE company_id = %s AND parent_state = 'posted' AND date <= %s
                       AND account_id = ANY(%s)
                  GROUP BY account_id
                    """,
                    company.id,
                    date,
                    accounts,
                )
            )
            ledger = {account_id: float(amount) for account_id, amount in cr.fetchall()}
        currency = company.currency_id
        vals_list = []
        for (kind, account_id), amount in sorted(subledger.items()):
            sign = -1 if kind in ("savings", "provision") else 1
            gl_amount = sign * ledger.get(account_id, 0.0)
            difference = currency.round(gl_amount - amount)
            docs = [doc for doc in documents if doc[0] == kind and doc[1] == account_id]
            if kind in ("receivable", "provision") and not currency.is_zero(difference):
                docs = self._kopdes_unlinked_moves(company, date, kind, account_id)
            vals_list.append(
                {
                    "close_id": close.id,
                    "company_id": company.id,
                    "date": date,
                    "kind": kind,
                    "account_id": account_id,
                    "ledger_balance": currency.round(gl_amount),
                    "subledger_balance": currency.round(amount),
                    "difference": difference,
                    "document_count": len(docs) if not currency.is_zero(difference) else 0,
                    "document_ids": [
                        (
                            0,
                            0,
                            {
                                "move_id": move_id,
                                "name": name or False,
                                "amount": currency.round(doc_amount),
                                "reason": reason,
                            },
                        )
                        for _kind, _acc, move_id, name, doc_amount, reason in docs[:200]
                    ]
                    if not currency.is_zero(difference)
                    else [],
                }
            )
        self.invalidate_model()
        return self.create(vals_list)

    @api.model
    def _kopdes_portfolio(self, company, date):
        """``{loan_id: {outstanding, provision}}`` as of ``date``: the snapshots the loans'
        month-end of that date stored (one read), else computed from the books."""
        month_end = (
            self.env["kopdes.loan.month.end"]
            .sudo()
            .search([("company_id", "=", company.id), ("date", "=", date)], limit=1)
        )
        if month_end and month_end.run_count:
            self.env.cr.execute(
                SQL(
                    "SELECT loan_id, outstanding, provision_required FROM kopdes_loan_snapshot "
                    "WHERE month_end_id = %s",
                    month_end.id,
                )
            )
            rows = self.env.cr.fetchall()
            if rows:
                return {
                    loan_id: {
                        "outstanding": float(outstanding or 0),
                        "provision": float(provision or 0),
                    }
                    for loan_id, outstanding, provision in rows
                }
        return self.env["kopdes.loan.month.end"].sudo()._kopdes_portfolio_as_of(date, company)

    @api.model
    def _kopdes_unlinked_moves(self, company, date, kind, account_id):
        """Entries on ``account_id`` up to ``date`` that no loan or batch job posted."""
        self.env.cr.execute(
            SQL(
                """
                SELECT move.id, move.name, SUM(aml.debit - aml.credit)
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE aml.company_id = %s AND aml.parent_state = 'posted' AND aml.date <= %s
                   AND aml.account_id = %s
                   AND move.kopdes_loan_id IS NULL AND move.kopdes_batch IS NULL
              GROUP BY move.id, move.name
                HAVING SUM(aml.debit - aml.credit) != 0
              ORDER BY move.id
                 LIMIT 200
                """,
                company.id,
                date,
                account_id,
            )
        )
        sign = -1 if kind in ("savings", "provision") else 1
        return [
            (kind, account_id, move_id, name, sign * float(amount), "manual")
            for move_id, name, amount in self.env.cr.fetchall()
        ]

    @api.model
    def _kopdes_savings_side(self, company, date, subledger, documents):
        """Savings: the subledger per product account and the entries that differ."""
        cr = self.env.cr
        # --- savings: per product account
        cr.execute(
            SQL(
                """
                SELECT p.account_id, COALESCE(SUM(t.signed_amount), 0)
                  FROM kopdes_savings_product p
             LEFT JOIN kopdes_savings_transaction t
                    ON t.product_id = p.id AND t.state = 'posted' AND t.date <= %(date)s
                 WHERE p.company_id = %(company)s AND p.account_id IS NOT NULL
              GROUP BY p.account_id
                """,
                company=company.id,
                date=date,
            )
        )
        for account_id, amount in cr.fetchall():
            subledger[("savings", account_id)] = float(amount)
        savings_accounts = [acc for kind, acc in subledger if kind == "savings"]
        if savings_accounts:
            # per entry: what the journal items on the account say against the
            # transactions the entry belongs to
            cr.execute(
                SQL(
                    """
                    WITH gl AS (
                        SELECT aml.move_id, aml.account_id, SUM(aml.credit - aml.debit) AS amount
                          FROM account_move_line aml
                         WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                           AND aml.date <= %(date)s AND aml.account_id = ANY(%(accounts)s)
                      GROUP BY aml.move_id, aml.account_id
                    ), sub AS (
                        SELECT t.move_id, p.account_id, SUM(t.signed_amount) AS amount,
                               MIN(t.name) AS name
                          FROM kopdes_savings_transaction t
                          JOIN kopdes_savings_product p ON p.id = t.product_id
                         WHERE t.company_id = %(company)s AND t.state = 'posted'
                           AND t.date <= %(date)s
                      GROUP BY t.move_id, p.account_id
                    )
                    SELECT COALESCE(gl.account_id, sub.account_id),
                           COALESCE(gl.move_id, sub.move_id),
                           sub.name, COALESCE(gl.amount, 0), COALESCE(sub.amount, 0)
                      FROM gl FULL OUTER JOIN sub
                        ON sub.move_id = gl.move_id AND sub.account_id = gl.account_id
                     WHERE COALESCE(gl.amount, 0) != COALESCE(sub.amount, 0)
                       AND COALESCE(gl.account_id, sub.account_id) = ANY(%(accounts)s)
                  ORDER BY 1, 2
                     LIMIT 1000
                    """,
                    company=company.id,
                    date=date,
                    accounts=savings_accounts,
                )
            )
            for account_id, move_id, name, gl_amount, sub_amount in cr.fetchall():
                reason = (
                    "no_entry"
                    if not gl_amount and move_id is None
                    else ("manual" if name is None else "amount")
                )
                documents.append(
                    ("savings", account_id, move_id, name, float(gl_amount - sub_amount), reason)
                )

    @api.model
    def _kopdes_principal_side(self, company, date, subledger, documents):
        """Loan principal as of ``date`` per product account and the loans that differ;
        returns the portfolio as of ``date``."""
        cr = self.env.cr
        # --- loans: principal per product account, as of the period end
        portfolio = self._kopdes_portfolio(company, date)
        cr.execute(
            SQL(
                """
                SELECT loan.id, loan.name, product.account_principal_id,
                       product.account_interest_receivable_id
                  FROM kopdes_loan loan
                  JOIN kopdes_loan_product product ON product.id = loan.product_id
                 WHERE loan.company_id = %s
                """,
                company.id,
            )
        )
        loan_accounts = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                """
                SELECT DISTINCT account_principal_id, account_interest_receivable_id
                  FROM kopdes_loan_product WHERE company_id = %s
                """,
                company.id,
            )
        )
        for principal, receivable in cr.fetchall():
            if principal:
                subledger.setdefault(("principal", principal), 0.0)
            if receivable:
                subledger.setdefault(("receivable", receivable), 0.0)
        per_loan = {}
        for loan_id, row in portfolio.items():
            _name, principal, _receivable = loan_accounts[loan_id]
            subledger[("principal", principal)] = (
                subledger.get(("principal", principal), 0.0) + row["outstanding"]
            )
            per_loan[loan_id] = row["outstanding"]
        principal_accounts = [acc for kind, acc in subledger if kind == "principal"]
        if principal_accounts:
            cr.execute(
                SQL(
                    """
                    SELECT aml.account_id, move.kopdes_loan_id, SUM(aml.debit - aml.credit),
                           MIN(move.id)
                      FROM account_move_line aml
                      JOIN account_move move ON move.id = aml.move_id
                     WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                       AND aml.date <= %(date)s AND aml.account_id = ANY(%(accounts)s)
                  GROUP BY aml.account_id, move.kopdes_loan_id
                    """,
                    company=company.id,
                    date=date,
                    accounts=principal_accounts,
                )
            )
            seen = set()
            for account_id, loan_id, amount, move_id in cr.fetchall():
                amount = float(amount)
                if loan_id is None:
                    if amount:
                        documents.extend(
                            self._kopdes_unlinked_moves(company, date, "principal", account_id)
                        )
                    continue
                seen.add(loan_id)
                expected = per_loan.get(loan_id, 0.0)
                if round(amount - expected, 2):
                    documents.append(
                        (
                            "principal",
                            account_id,
                            move_id,
                            loan_accounts.get(loan_id, ("",))[0],
                            amount - expected,
                            "loan",
                        )
                    )
            for loan_id, expected in per_loan.items():
                if loan_id not in seen and round(expected, 2):
                    documents.append(
                        (
                            "principal",
                            loan_accounts[loan_id][1],
                            None,
                            loan_accounts[loan_id][0],
                            -expected,
                            "no_entry",
                        )
                    )
        return portfolio

    @api.model
    def _kopdes_receivable_side(self, company, date, subledger):
        """Accrued interest and late fees receivable as of ``date``, per account."""
        cr = self.env.cr
        # --- accrued interest and late fees receivable
        receivable_accounts = [acc for kind, acc in subledger if kind == "receivable"]
        if receivable_accounts:
            cr.execute(
                SQL(
                    """
                    WITH charged AS (
                        SELECT product.account_interest_receivable_id AS account_id,
                               SUM(COALESCE(line.interest_accrued, 0)
                                   + COALESCE(line.late_fee, 0)) AS amount
                          FROM kopdes_loan_line line
                          JOIN kopdes_loan loan ON loan.id = line.loan_id
                          JOIN kopdes_loan_product product ON product.id = loan.product_id
                         WHERE loan.company_id = %(company)s
                      GROUP BY 1
                    ), settled AS (
                        SELECT product.account_interest_receivable_id AS account_id,
                               SUM(alloc.interest_receivable + alloc.late_fee) AS amount
                          FROM kopdes_loan_allocation alloc
                          JOIN kopdes_loan loan ON loan.id = alloc.loan_id
                          JOIN kopdes_loan_product product ON product.id = loan.product_id
                         WHERE loan.company_id = %(company)s AND alloc.date <= %(date)s
                      GROUP BY 1
                    ), later AS (
                        SELECT aml.account_id, SUM(aml.debit) AS amount
                          FROM account_move_line aml
                          JOIN account_move move ON move.id = aml.move_id
                         WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                           AND aml.date > %(date)s AND aml.account_id = ANY(%(accounts)s)
                           AND (move.kopdes_batch IS NOT NULL OR move.kopdes_loan_id IS NOT NULL)
                           AND move.reversed_entry_id IS NULL
                      GROUP BY 1
                    )
                    SELECT charged.account_id, charged.amount - COALESCE(settled.amount, 0)
                           - COALESCE(later.amount, 0)
                      FROM charged
                 LEFT JOIN settled ON settled.account_id = charged.account_id
                 LEFT JOIN later ON later.account_id = charged.account_id
                    """,
                    company=company.id,
                    date=date,
                    accounts=receivable_accounts,
                )
            )
            for account_id, amount in cr.fetchall():
                subledger[("receivable", account_id)] = float(amount)


class KopdesCloseReconciliationDocument(models.Model):
    _name = "kopdes.close.reconciliation.document"
    _description = "Month-End Reconciliation Difference"
    _order = "reconciliation_id, id"

    reconciliation_id = fields.Many2one(
        "kopdes.close.reconciliation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id", store=True)
    currency_id = fields.Many2one(related="reconciliation_id.currency_id")
    account_id = fields.Many2one(related="reconciliation_id.account_id")
    move_id = fields.Many2one("account.move", string="Journal Entry")
    name = fields.Char(string="Document")
    amount = fields.Monetary(string="Difference")
    reason = fields.Selection(
        [
            ("manual", "Entry not posted by the cooperative's procedures"),
            ("amount", "Entry and subledger amounts differ"),
            ("no_entry", "Subledger document without a posted entry"),
            ("loan", "Loan's entries differ from its outstanding"),
        ]
    )

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
