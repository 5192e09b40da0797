from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .common import kopdes_system
from .kopdes_loan_product import MAX_ANNUAL_RATE, MAX_TERM


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

    @api.model
    def _kopdes_reschedule_loan(
        self, loan, date, term, annual_rate, reason, grace_periods=0, first_due=None
    ):
        """Replace the open installments of the active ``loan`` by a new schedule.

        The unpaid principal, plus the accrued interest and late fees still unpaid
        (capitalised), is spread over ``term`` new installments; interest not accrued yet
        is dropped. The old installments stay as history (``rescheduled``).
        """
        loan.ensure_one()
        loan._kopdes_check_manager()
        if loan.state != "active":
            raise UserError(_("Only active loans can be rescheduled."))
        if not (reason or "").strip():
            raise UserError(_("Write why the loan is rescheduled."))
        today = loan._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        if date > today or date < loan.disbursement_date:
            raise UserError(_("The rescheduling date lies between the disbursement and today."))
        if not 1 <= term <= MAX_TERM:
            raise UserError(
                _("A new schedule has between 1 and %(max)s installments.", max=MAX_TERM)
            )
        if not 0 <= annual_rate <= MAX_ANNUAL_RATE:
            raise UserError(
                _("The annual rate must lie between 0 and %(max)s percent.", max=MAX_ANNUAL_RATE)
            )
        if not 0 <= grace_periods < term:
            raise UserError(_("The grace installments must be fewer than the installments."))
        first_due = fields.Date.to_date(first_due) if first_due else None
        if first_due and first_due <= date:
            raise UserError(_("The first new installment falls due after the rescheduling."))
        loan._kopdes_lock()
        Line = self.env["kopdes.loan.line"]
        Line._kopdes_accrue_late_fees(date, loans=loan)
        lines = loan.line_ids.filtered(lambda line: not line.rescheduled)
        Allocation = kopdes_system(self.env["kopdes.loan.allocation"])
        vals_list, principal, capital_interest, capital_fee = (
            Allocation._kopdes_prepare_residual_vals(lines, "reschedule", date)
        )
        new_principal = int(loan.currency_id.round(principal + capital_interest + capital_fee))
        if new_principal <= 0:
            raise UserError(_("Nothing is left to reschedule on %(loan)s.", loan=loan.name))
        installments = Line._kopdes_compute_installments(
            loan, new_principal, term, annual_rate, grace_periods, date, first_due
        )
        version = max(lines.mapped("schedule_version"), default=1) + 1
        reschedule = kopdes_system(self.env["kopdes.loan.reschedule"]).create(
            {
                "loan_id": loan.id,
                "date": date,
                "reason": reason,
                "principal_before": principal,
                "capitalised_interest": capital_interest,
                "capitalised_late_fee": capital_fee,
                "principal_after": new_principal,
                "term": term,
                "annual_rate": annual_rate,
                "grace_periods": grace_periods,
                "schedule_version": version,
                "old_maturity_date": loan.maturity_date,
            }
        )
        for vals in vals_list:
            vals["reschedule_id"] = reschedule.id
        capitalised = capital_interest + capital_fee
        if capitalised:
            label = _("Rescheduling %(loan)s: capitalised arrears", loan=loan.name)
            product = loan.product_id
            partner = loan.partner_id.id
            move = loan._kopdes_create_move(
                [
                    loan._kopdes_prepare_move_line_vals(
                        product.account_principal_id, capitalised, label, partner
                    ),
                    loan._kopdes_prepare_move_line_vals(
                        product.account_interest_receivable_id, -capitalised, label, partner
                    ),
                ],
                date,
                label,
            )
            kopdes_system(reschedule).move_id = move
        Allocation.create(vals_list)
        lines.sudo().with_context(kopdes_loan_posting=True).write({"rescheduled": True})
        next_sequence = max(loan.line_ids.mapped("sequence"), default=0)
        kopdes_system(self.env["kopdes.loan.line"]).create(
            Line._prepare_schedule_vals(loan, installments, date, next_sequence, version)
        )
        loan.message_post(
            body=_(
                "Rescheduled on %(date)s: %(principal)s over %(term)s installments at "
                "%(rate)s%%. Reason: %(reason)s",
                date=format_date(self.env, date),
                principal=loan._kopdes_format(new_principal),
                term=term,
                rate=annual_rate,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        loan._kopdes_update_arrears(today, loans=loan)
        return reschedule

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
