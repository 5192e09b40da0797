from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .common import kopdes_is_posting

ALLOCATION_KINDS = [
    ("payment", "Payment"),
    ("waiver", "Waiver"),
    ("write_off", "Write-Off"),
    ("reschedule", "Rescheduling"),
]


class KopdesLoanAllocation(models.Model):
    """What one payment, waiver, write-off or rescheduling settled on one installment.

    Allocations are never changed or deleted: a reversal adds the same allocation with
    the opposite sign (``reversal_of_id``).
    """

    _name = "kopdes.loan.allocation"
    _description = "Loan Installment Allocation"
    _order = "date, id"
    _check_company_auto = True

    loan_id = fields.Many2one(
        "kopdes.loan", required=True, index=True, ondelete="cascade", check_company=True
    )
    line_id = fields.Many2one(
        "kopdes.loan.line",
        string="Installment",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    payment_id = fields.Many2one("kopdes.loan.payment", index=True, ondelete="restrict")
    reschedule_id = fields.Many2one("kopdes.loan.reschedule", index=True, ondelete="restrict")
    kind = fields.Selection(ALLOCATION_KINDS, required=True, index=True)
    date = fields.Date(required=True)
    principal = fields.Monetary()
    interest = fields.Monetary()
    interest_receivable = fields.Monetary(
        help="The part of the interest that settled accrued interest (receivable); the rest "
        "had not been accrued yet."
    )
    late_fee = fields.Monetary()
    total = fields.Monetary(compute="_compute_total", store=True)
    reversal_of_id = fields.Many2one("kopdes.loan.allocation", readonly=True, index=True)

    @api.depends("principal", "interest", "late_fee")
    def _compute_total(self):
        for allocation in self:
            allocation.total = allocation.principal + allocation.interest + allocation.late_fee

    def write(self, vals):
        if not kopdes_is_posting(self.env):
            raise UserError(
                _("Allocations of loan payments cannot be changed; reverse the payment.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not kopdes_is_posting(self.env):
            raise UserError(
                _("Allocations of loan payments cannot be deleted; reverse the payment.")
            )

    @api.model
    def _kopdes_prepare_vals(
        self,
        line,
        kind,
        date,
        principal=0.0,
        interest=0.0,
        interest_receivable=0.0,
        late_fee=0.0,
        payment=None,
        reschedule=None,
    ):
        """The values of one allocation on the installment ``line`` (the one place they are
        built: payments, waivers, exit deductions, write-offs and reschedulings)."""
        return {
            "loan_id": line.loan_id.id,
            "line_id": line.id,
            "payment_id": payment.id if payment else False,
            "reschedule_id": reschedule.id if reschedule else False,
            "kind": kind,
            "date": date,
            "principal": principal,
            "interest": interest,
            "interest_receivable": interest_receivable,
            "late_fee": late_fee,
        }

    @api.model
    def _kopdes_prepare_residual_vals(self, lines, kind, date):
        """Allocations settling everything still open on ``lines`` (write-off and
        rescheduling): ``(vals_list, principal, interest_receivable, late_fee)``."""
        vals_list = []
        principal = receivable_total = late_fee = 0.0
        for line in lines:
            if not (line.principal_residual or line.interest_residual or line.late_fee_residual):
                continue
            receivable = line._kopdes_interest_receivable_open()
            vals_list.append(
                self._kopdes_prepare_vals(
                    line,
                    kind,
                    date,
                    principal=line.principal_residual,
                    interest=line.interest_residual,
                    interest_receivable=receivable,
                    late_fee=line.late_fee_residual,
                )
            )
            principal += line.principal_residual
            receivable_total += receivable
            late_fee += line.late_fee_residual
        return vals_list, principal, receivable_total, late_fee

    def _kopdes_reversal_vals(self, date):
        return [
            {
                "loan_id": allocation.loan_id.id,
                "line_id": allocation.line_id.id,
                "payment_id": allocation.payment_id.id,
                "reschedule_id": allocation.reschedule_id.id,
                "kind": allocation.kind,
                "date": date,
                "principal": -allocation.principal,
                "interest": -allocation.interest,
                "interest_receivable": -allocation.interest_receivable,
                "late_fee": -allocation.late_fee,
                "reversal_of_id": allocation.id,
            }
            for allocation in self
        ]

    # ------------------------------------------------------------ display name

    @api.depends("line_id.display_name", "kind", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """``PIN/2025/0001 – Installment 3 (01/01/2026): Payment``."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for allocation in self:
            allocation.display_name = _(
                "%(installment)s: %(kind)s",
                installment=allocation.line_id.display_name or allocation.loan_id.name or "",
                kind=kinds.get(allocation.kind, ""),
            )
