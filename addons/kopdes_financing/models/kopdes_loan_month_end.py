import calendar
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import collectability as collectability_tools
from ..tools import schedule as schedule_tools
from .common import kopdes_today


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
        string="Provision Booked Before", readonly=True, help="Balance of the PPAP account before."
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
        late_moves = Line._kopdes_accrue_late_fees(date, company=company, month_end=self)
        interest_move = Line._kopdes_accrue_interest(date, company, month_end=self)
        Loan._kopdes_update_arrears(date, company=company)
        required = self._kopdes_update_provisions(date, company)
        booked, provision_move = self._kopdes_post_provision(
            date, company, required, month_end=self
        )
        moves = late_moves | interest_move | provision_move
        self.env.cr.execute(
            SQL(
                """
                SELECT loan.collectability_id, COUNT(*), COALESCE(SUM(loan.principal_residual), 0),
                       COALESCE(SUM(loan.provision_required), 0)
                  FROM kopdes_loan loan
                 WHERE loan.company_id = %s AND loan.state = 'active'
              GROUP BY loan.collectability_id
                """,
                company.id,
            )
        )
        rows = self.env.cr.fetchall()
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
                for class_id, count, outstanding, provision in rows
            ]
        )
        interest = sum(interest_move.line_ids.mapped("debit"))
        late = sum(late_moves.line_ids.mapped("debit"))
        self.write(
            {
                "run_count": self.run_count + 1,
                "user_id": self.env.uid,
                "run_date": fields.Datetime.now(),
                "loan_count": sum(row[1] for row in rows),
                "outstanding": sum(float(row[2]) for row in rows),
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
            outstanding = int(outstanding or 0)
            collateral = int(blocked or 0) + schedule_tools.round_down(
                schedule_tools.to_decimal(declared or 0)
                * schedule_tools.to_decimal(eligible_rate or 0)
                / 100
            )
            cls = collectability_tools.CollectabilityClass(
                "", "", 0, schedule_tools.to_decimal(rate or 0), bool(deduct), False
            )
            amount = collectability_tools.provision(outstanding, collateral, cls)
            ids.append(loan_id)
            provisions.append(amount)
            collaterals.append(collectability_tools.eligible_collateral(outstanding, collateral))
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
