import calendar
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


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
        late_moves = Loan._kopdes_accrue_late_fees(date, company=company)
        interest_move = Loan._kopdes_accrue_interest(date, company)
        Loan._kopdes_update_arrears(date, company=company)
        required = Loan._kopdes_update_provisions(date, company)
        booked, provision_move = Loan._kopdes_post_provision(date, company, required)
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
        today = fields.Date.context_today(self)
        previous = today.replace(day=1) - datetime.timedelta(days=1)
        period_end = previous.replace(day=calendar.monthrange(previous.year, previous.month)[1])
        for (company,) in (
            self.env["kopdes.loan"].sudo()._read_group([("state", "=", "active")], ["company_id"])
        ):
            self.sudo().with_company(company)._kopdes_close(period_end, company)


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
