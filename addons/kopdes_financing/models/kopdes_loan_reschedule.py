from odoo import _, api, fields, models
from odoo.tools.misc import format_date


class KopdesLoanReschedule(models.Model):
    """One rescheduling (restrukturisasi) of a loan: what was left, what was capitalised
    and the new terms. The replaced installments stay on the loan as history."""

    _name = "kopdes.loan.reschedule"
    _description = "Loan Rescheduling"
    _order = "date desc, id desc"
    _check_company_auto = True

    loan_id = fields.Many2one(
        "kopdes.loan", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    date = fields.Date(required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, required=True)
    principal_before = fields.Monetary(string="Principal Left")
    capitalised_interest = fields.Monetary()
    capitalised_late_fee = fields.Monetary(string="Capitalised Late Fees")
    principal_after = fields.Monetary(string="New Principal")
    term = fields.Integer(string="New Installments")
    annual_rate = fields.Float(string="New Annual Rate (%)", digits=(16, 4))
    grace_periods = fields.Integer(string="New Grace Installments")
    schedule_version = fields.Integer()
    old_maturity_date = fields.Date()
    move_id = fields.Many2one("account.move", readonly=True)

    # ------------------------------------------------------------ display name

    @api.depends("loan_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """``PIN/2025/0001 – Rescheduling (01/01/2026)``."""
        for reschedule in self:
            reschedule.display_name = _(
                "%(loan)s – Rescheduling (%(date)s)",
                loan=reschedule.loan_id.name or "",
                date=format_date(reschedule.env, reschedule.date),
            )
