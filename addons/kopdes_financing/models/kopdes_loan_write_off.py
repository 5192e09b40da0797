from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .common import kopdes_is_posting, kopdes_system


class KopdesLoanWriteOff(models.Model):
    """One write-off (hapus buku) of a loan: what was left, what the provision (PPAP)
    covered and the entry that did it. Created only by the posting code
    (:meth:`_kopdes_write_off_loan`); nobody changes or deletes it."""

    _name = "kopdes.loan.write.off"
    _description = "Loan Write-Off"
    _order = "date desc, id desc"
    _check_company_auto = True

    loan_id = fields.Many2one(
        "kopdes.loan",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    member_id = fields.Many2one(related="loan_id.member_id", store=True, index=True)
    date = fields.Date(string="Write-Off Date", required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    written_off_by_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        required=True,
        readonly=True,
    )
    principal = fields.Monetary(string="Principal Written Off", readonly=True)
    interest_reversed = fields.Monetary(string="Accrued Interest Reversed", readonly=True)
    late_fee_reversed = fields.Monetary(string="Late Fees Reversed", readonly=True)
    provision_used = fields.Monetary(
        string="Provision Used (PPAP)",
        readonly=True,
        help="What the entry took from the loan loss provision (PPAP).",
    )
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not kopdes_is_posting(self.env):
            self.check_access("create")  # the staff's own rights first: AccessError
            raise UserError(_("Loan write-offs are recorded only by writing off the loan."))
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_posting(self.env):
            self.check_access("write")
            raise UserError(_("Loan write-offs cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Loan write-offs are never deleted."))

    # ------------------------------------------------------------------ the work

    @api.model
    def _kopdes_write_off_loan(self, loan, date, reason):
        """Write off the active ``loan`` against the provision (PPAP) on ``date``.

        Dr PPAP / Cr loan receivable for the principal left; the accrued interest and late
        fees still unpaid are reversed (Dr interest and late-fee income / Cr interest
        receivable). Every open installment is settled by a ``write_off`` allocation.
        Returns the new ``kopdes.loan.write.off``.
        """
        loan.ensure_one()
        loan._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the loan is written off."))
        today = loan._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        if loan.state != "active":
            raise UserError(_("Only active loans can be written off: %(loan)s", loan=loan.name))
        if date > today or date < loan.disbursement_date:
            raise UserError(_("The write-off date lies between the disbursement and today."))
        loan._kopdes_lock()
        company = loan.company_id
        provision_account = company.kopdes_loan_provision_account_id
        if not provision_account:
            raise UserError(_("Set the loan loss provision account of the cooperative first."))
        Allocation = kopdes_system(self.env["kopdes.loan.allocation"])
        vals_list, principal, interest_rec, late_fee = Allocation._kopdes_prepare_residual_vals(
            loan.line_ids.filtered(lambda line: not line.rescheduled), "write_off", date
        )
        product = loan.product_id
        partner = loan.partner_id.id
        label = _("Write-off %(loan)s", loan=loan.name)
        move_lines = [
            loan._kopdes_prepare_move_line_vals(provision_account, principal, label, None),
            loan._kopdes_prepare_move_line_vals(
                product.account_principal_id, -principal, label, partner
            ),
            loan._kopdes_prepare_move_line_vals(
                product.account_interest_income_id, interest_rec, label, partner
            ),
            loan._kopdes_prepare_move_line_vals(
                product.account_late_fee_id, late_fee, label, partner
            ),
            loan._kopdes_prepare_move_line_vals(
                product.account_interest_receivable_id,
                -(interest_rec + late_fee),
                label,
                partner,
            ),
        ]
        move = loan._kopdes_create_move(move_lines, date, label)
        Allocation.create(vals_list)
        provision_lines = move.line_ids.filtered(lambda line: line.account_id == provision_account)
        write_off = kopdes_system(self).create(
            {
                "loan_id": loan.id,
                "date": date,
                "reason": reason,
                "written_off_by_id": self.env.user.id,
                "principal": principal,
                "interest_reversed": interest_rec,
                "late_fee_reversed": late_fee,
                "provision_used": sum(provision_lines.mapped("balance")),
                "move_id": move.id,
            }
        )
        kopdes_system(loan).write(
            {
                "state": "written_off",
                "write_off_id": write_off.id,
                "write_off_date": date,
                "write_off_reason": reason,
                "write_off_move_id": move.id,
            }
        )
        loan.message_post(
            body=_(
                "Written off: principal %(principal)s. Reason: %(reason)s",
                principal=loan._kopdes_format(principal),
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return write_off.with_env(self.env)

    # ------------------------------------------------------------ display name

    @api.depends("loan_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """``PIN/2025/0001 – Write-off (01/12/2026)``."""
        for write_off in self:
            write_off.display_name = _(
                "%(loan)s – Write-off (%(date)s)",
                loan=write_off.loan_id.name or "",
                date=format_date(write_off.env, write_off.date),
            )
