import calendar
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import collectability as collectability_tools
from ..tools import schedule as schedule_tools
from .common import kopdes_system, kopdes_today


class KopdesLoanMonthEnd(models.Model):
    """The month-end close of the loan portfolio of one cooperative.

    One record per cooperative and period end. Running it again for the same period is
    harmless: interest already accrued is not accrued again, and only the difference
    between the required and the booked provision is posted.
    """

    _name = "kopdes.loan.month.end"
    _description = "Loan Month-End Close"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Period End", required=True)
    run_count = fields.Integer(readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True)
    run_date = fields.Datetime(string="Last Run", readonly=True)
    loan_count = fields.Integer(string="Active Loans", readonly=True)
    outstanding = fields.Monetary(string="Outstanding Principal", readonly=True)
    interest_accrued = fields.Monetary(readonly=True, help="Interest accrued by the last run.")
    late_fees = fields.Monetary(string="Late Fees Charged", readonly=True)
    provision_required = fields.Monetary(readonly=True)
    provision_booked = fields.Monetary(
        string="Provision Booked Before",
        readonly=True,
        help="Balance of the PPAP account as of the period end (entries dated on or before "
        "it), before the entry of this run.",
    )
    provision_posted = fields.Monetary(readonly=True)
    move_ids = fields.Many2many("account.move", string="Journal Entries", readonly=True)
    class_line_ids = fields.One2many(
        "kopdes.loan.month.end.class", "month_end_id", string="By Collectability", readonly=True
    )

    _sql_constraints = [
        (
            "company_date_uniq",
            "unique(company_id, date)",
            "The month-end of this period has already been made; run it again from its record.",
        ),
    ]

    @api.depends("date", "company_id")
    def _compute_name(self):
        for record in self:
            record.name = _(
                "Month-end %(date)s %(company)s",
                date=fields.Date.to_string(record.date) if record.date else "",
                company=record.company_id.name or "",
            )

    def action_run(self):
        for record in self:
            record._kopdes_run()
        return True

    @api.model
    def _kopdes_close(self, date, company=None):
        """Run (or re-run) the month-end of ``company`` for the period ending on ``date``."""
        company = company or self.env.company
        date = fields.Date.to_date(date)
        record = self.search([("company_id", "=", company.id), ("date", "=", date)], limit=1)
        if not record:
            record = self.create({"company_id": company.id, "date": date})
        record._kopdes_run()
        return record

    def _kopdes_run(self):
        """Run the month-end of the period ending on ``self.date`` from the books as of
        that date: the late fees and interest due up to it (idempotent per installment),
        the days past due, classes and required provisions as of it (payments,
        disbursements and reversals dated later are not seen), and the difference with
        the PPAP balance as of it, dated on it. Re-running it after later activity posts
        nothing. The loans' current figures (``days_past_due``, ``collectability_id``,
        ``provision_required``) are updated only when the period ends today; a past period
        never changes them. The per-loan figures as of the date are kept as the period's
        ``kopdes.loan.snapshot`` rows (replaced by a re-run)."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(
            "kopdes_members.group_kopdes_accountant"
        ):
            raise AccessError(_("Only the accountant (Akuntan) runs the month-end."))
        date = self.date
        today = self.env["kopdes.loan"]._kopdes_today()
        if date > today:
            raise UserError(_("The month-end cannot be run for a period that has not ended."))
        company = self.company_id
        Loan = self.env["kopdes.loan"].sudo().with_company(company)
        Line = self.env["kopdes.loan.line"].sudo().with_company(company)
        late_moves = Line._kopdes_accrue_late_fees(
            date, company=company, month_end=self, as_of=date < today
        )
        interest_move = Line._kopdes_accrue_interest(date, company, month_end=self)
        if date == today:
            # the period ends today: its figures are the loans' current figures
            Loan._kopdes_update_arrears(date, company=company)
            self._kopdes_update_provisions(date, company)
        rows = self._kopdes_portfolio_as_of(date, company)
        required = sum(row["provision"] for row in rows.values())
        booked, provision_move = self._kopdes_post_provision(
            date, company, required, month_end=self
        )
        moves = late_moves | interest_move | provision_move
        by_class = {}
        for row in rows.values():
            count, outstanding, provision = by_class.get(row["class_id"], (0, 0, 0))
            by_class[row["class_id"]] = (
                count + 1,
                outstanding + row["outstanding"],
                provision + row["provision"],
            )
        kopdes_system(self.env["kopdes.loan.snapshot"])._kopdes_snapshot(self, rows)
        self.class_line_ids.unlink()
        self.env["kopdes.loan.month.end.class"].create(
            [
                {
                    "month_end_id": self.id,
                    "collectability_id": class_id,
                    "loan_count": count,
                    "outstanding": outstanding,
                    "provision_required": provision,
                }
                for class_id, (count, outstanding, provision) in sorted(
                    by_class.items(), key=lambda item: item[0] or 0
                )
            ]
        )
        interest = sum(interest_move.line_ids.mapped("debit"))
        late = sum(late_moves.line_ids.mapped("debit"))
        self.write(
            {
                "run_count": self.run_count + 1,
                "user_id": self.env.uid,
                "run_date": fields.Datetime.now(),
                "loan_count": len(rows),
                "outstanding": sum(row["outstanding"] for row in rows.values()),
                "interest_accrued": interest,
                "late_fees": late,
                "provision_required": required,
                "provision_booked": booked,
                "provision_posted": required - booked,
                "move_ids": [fields.Command.link(move.id) for move in moves],
            }
        )
        return True

    @api.model
    def _cron_month_end(self):
        """First day of a month: close the month before for every cooperative with loans."""
        today = kopdes_today(self.env)
        previous = today.replace(day=1) - datetime.timedelta(days=1)
        period_end = previous.replace(day=calendar.monthrange(previous.year, previous.month)[1])
        for (company,) in (
            self.env["kopdes.loan"].sudo()._read_group([("state", "=", "active")], ["company_id"])
        ):
            self.sudo().with_company(company)._kopdes_close(period_end, company)

    # ---------------------------------------------------------- provisions

    @api.model
    def _kopdes_update_provisions(self, date, company):
        """Required provision (PPAP) of every active loan from its class, less eligible
        collateral: one read, the tool, one write. Returns the company's total."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT loan.id, loan.provision_required, loan.principal_residual,
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
                self.env["kopdes.loan"]._kopdes_active_loan_filter(company),
            )
        )
        ids, provisions, collaterals, changed = [], [], [], []
        total = 0
        for (
            loan_id,
            before,
            outstanding,
            blocked,
            declared,
            eligible_rate,
            rate,
            deduct,
        ) in self.env.cr.fetchall():
            amount, collateral = self._kopdes_loan_provision(
                outstanding, blocked, declared, eligible_rate, rate, deduct
            )
            ids.append(loan_id)
            provisions.append(amount)
            collaterals.append(collateral)
            total += amount
            if before is None or float(before) != amount:
                changed.append(loan_id)
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
             RETURNING id
                """,
                company.id,
            )
        )
        changed += [row[0] for row in self.env.cr.fetchall()]
        Loan = self.env["kopdes.loan"]
        Loan.invalidate_model()
        if changed:
            Loan.browse(changed)._kopdes_provisions_changed()
        return total

    @api.model
    def _kopdes_loan_provision(self, outstanding, blocked, declared, eligible_rate, rate, deduct):
        """``(provision, eligible collateral)`` of one loan from its outstanding principal,
        its blocked savings, its declared collateral and its class (the tool)."""
        outstanding = int(outstanding or 0)
        collateral = int(blocked or 0) + schedule_tools.round_down(
            schedule_tools.to_decimal(declared or 0)
            * schedule_tools.to_decimal(eligible_rate or 0)
            / 100
        )
        cls = collectability_tools.CollectabilityClass(
            "", "", 0, schedule_tools.to_decimal(rate or 0), bool(deduct), False
        )
        return (
            collectability_tools.provision(outstanding, collateral, cls),
            collectability_tools.eligible_collateral(outstanding, collateral),
        )

    @api.model
    def _kopdes_portfolio_as_of(self, date, company):
        """The loan portfolio of ``company`` as the books stood at the end of ``date``,
        whatever was posted later: ``{loan_id: {outstanding, days_past_due, class_id,
        non_performing, provision, eligible_collateral}}`` for every loan active that day
        (disbursed on or before it, not closed or written off by it).

        Only allocations (payments, waivers, write-offs, reschedulings and their
        reversals) dated on or before ``date`` count; installments of a rescheduling made
        after it do not exist yet; blocked savings are the balance of that day. One query
        whatever the number of loans; it writes nothing."""
        date = fields.Date.to_date(date)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH loans AS (
                    SELECT loan.id, loan.company_id, loan.product_id,
                           loan.collateral_savings_account_id, loan.collateral_savings_amount,
                           loan.collateral_value
                      FROM kopdes_loan loan
                     WHERE loan.company_id = %(company)s
                       AND loan.state IN ('active', 'closed', 'written_off')
                       AND loan.disbursement_date <= %(date)s
                       AND (loan.closed_date IS NULL OR loan.closed_date > %(date)s)
                       AND (loan.write_off_date IS NULL OR loan.write_off_date > %(date)s)
                ), installments AS (
                    SELECT line.loan_id, line.due_date,
                           line.principal - COALESCE(SUM(alloc.principal), 0) AS principal_open,
                           line.principal + line.interest
                           - COALESCE(SUM(alloc.principal + alloc.interest), 0) AS open
                      FROM kopdes_loan_line line
                      JOIN loans ON loans.id = line.loan_id
                 LEFT JOIN kopdes_loan_allocation alloc
                        ON alloc.line_id = line.id AND alloc.date <= %(date)s
                     WHERE COALESCE(line.schedule_version, 1) <= 1 OR EXISTS (
                               SELECT 1 FROM kopdes_loan_reschedule resch
                                WHERE resch.loan_id = line.loan_id
                                  AND resch.schedule_version = line.schedule_version
                                  AND resch.date <= %(date)s)
                  GROUP BY line.id
                ), per_loan AS (
                    SELECT loan_id, COALESCE(SUM(principal_open), 0) AS outstanding,
                           MIN(due_date) FILTER (WHERE due_date < %(date)s AND open > 0)
                           AS oldest
                      FROM installments
                  GROUP BY loan_id
                )
                SELECT loans.id, COALESCE(per_loan.outstanding, 0),
                       COALESCE(%(date)s - per_loan.oldest, 0), cls.id, cls.non_performing,
                       cls.provision_rate, cls.deduct_collateral,
                       LEAST(loans.collateral_savings_amount,
                             GREATEST(COALESCE(savings.balance, 0), 0)),
                       loans.collateral_value, product.collateral_eligible_rate
                  FROM loans
                  JOIN kopdes_loan_product product ON product.id = loans.product_id
             LEFT JOIN per_loan ON per_loan.loan_id = loans.id
             LEFT JOIN LATERAL (
                        SELECT cls.id, cls.non_performing, cls.provision_rate,
                               cls.deduct_collateral
                          FROM kopdes_loan_collectability cls
                         WHERE cls.company_id = loans.company_id
                           AND cls.min_days <= COALESCE(%(date)s - per_loan.oldest, 0)
                      ORDER BY cls.min_days DESC LIMIT 1
                       ) cls ON TRUE
             LEFT JOIN LATERAL (
                        SELECT SUM(tx.signed_amount) AS balance
                          FROM kopdes_savings_transaction tx
                         WHERE tx.account_id = loans.collateral_savings_account_id
                           AND tx.state = 'posted' AND tx.date <= %(date)s
                       ) savings ON TRUE
              ORDER BY loans.id
                """,
                company=company.id,
                date=date,
            )
        )
        result = {}
        for (
            loan_id,
            outstanding,
            days,
            class_id,
            non_performing,
            rate,
            deduct,
            blocked,
            declared,
            eligible_rate,
        ) in self.env.cr.fetchall():
            provision, collateral = self._kopdes_loan_provision(
                outstanding, blocked, declared, eligible_rate, rate, deduct
            )
            result[loan_id] = {
                "outstanding": float(outstanding),
                "days_past_due": int(days),
                "class_id": class_id,
                "non_performing": bool(non_performing),
                "provision": provision,
                "eligible_collateral": collateral,
            }
        return result

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
    def _kopdes_post_provision(self, date, company, required, month_end=None):
        """Post the difference between the required and the booked provision (an entry
        marked as the provision batch of ``month_end``)."""
        booked = self._kopdes_booked_provision(date, company)
        difference = company.currency_id.round(required - booked)
        if company.currency_id.is_zero(difference):
            return booked, self.env["account.move"]
        if not company.kopdes_loan_provision_expense_account_id:
            raise UserError(_("Set the provision accounts of the cooperative first."))
        label = _("Loan loss provision (PPAP) at %(date)s", date=fields.Date.to_string(date))
        lines = [
            self.env["kopdes.loan"]._kopdes_prepare_move_line_vals(
                company.kopdes_loan_provision_expense_account_id.id, difference, label, None
            ),
            self.env["kopdes.loan"]._kopdes_prepare_move_line_vals(
                company.kopdes_loan_provision_account_id.id, -difference, label, None
            ),
        ]
        move = self.env["kopdes.loan"]._kopdes_create_move(
            lines,
            date,
            label,
            company=company,
            **self.env["kopdes.loan.line"]._kopdes_batch_vals("provision", None, month_end),
        )
        return booked, move


class KopdesLoanMonthEndClass(models.Model):
    _name = "kopdes.loan.month.end.class"
    _description = "Loan Month-End by Collectability"
    _order = "month_end_id, collectability_id"
    _rec_name = "collectability_id"

    month_end_id = fields.Many2one("kopdes.loan.month.end", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="month_end_id.company_id", store=True)
    currency_id = fields.Many2one(related="month_end_id.currency_id")
    collectability_id = fields.Many2one("kopdes.loan.collectability", string="Class")
    loan_count = fields.Integer(string="Loans")
    outstanding = fields.Monetary()
    provision_required = fields.Monetary()
