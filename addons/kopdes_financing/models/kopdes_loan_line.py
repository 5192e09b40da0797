from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .common import kopdes_is_posting

LINE_STATES = [
    ("open", "Open"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("settled", "Settled"),
]


class KopdesLoanLine(models.Model):
    """One installment of a loan's schedule.

    The schedule amounts (``principal``, ``interest``) never change once the loan is
    disbursed. What has been paid, waived, written off or rescheduled comes from the
    allocations (``kopdes.loan.allocation``), summed with one ``_read_group``; a
    reversal adds negative allocations, so the installment returns exactly to where it
    was. The month-end and daily jobs write ``interest_accrued``, ``late_fee`` and
    ``late_fee_date`` in bulk with SQL. Database constraints make sure nothing is ever
    settled twice.
    """

    _name = "kopdes.loan.line"
    _description = "Loan Installment"
    _order = "loan_id, sequence, id"
    _check_company_auto = True

    loan_id = fields.Many2one(
        "kopdes.loan", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    member_id = fields.Many2one(related="loan_id.member_id", store=True, index=True)
    sequence = fields.Integer(string="No.", required=True)
    schedule_version = fields.Integer(
        default=1, help="Raised by every rescheduling; older versions are kept as history."
    )
    rescheduled = fields.Boolean(
        default=False,
        readonly=True,
        help="Replaced by a new schedule; what was left was rescheduled.",
    )
    period_start = fields.Date(required=True)
    due_date = fields.Date(required=True, index=True)
    principal = fields.Monetary(required=True)
    interest = fields.Monetary(required=True, help="Interest, or margin for murabahah.")
    total = fields.Monetary(compute="_compute_total", store=True, string="Installment")
    late_fee = fields.Monetary(
        default=0.0, readonly=True, help="Late fees charged on this installment."
    )
    late_fee_date = fields.Date(readonly=True, help="Late fees are charged up to this day.")
    interest_accrued = fields.Monetary(
        default=0.0,
        readonly=True,
        help="Interest booked as receivable at its due date (month-end).",
    )
    allocation_ids = fields.One2many("kopdes.loan.allocation", "line_id", readonly=True)
    principal_paid = fields.Monetary(compute="_compute_settled", store=True)
    interest_paid = fields.Monetary(compute="_compute_settled", store=True)
    late_fee_paid = fields.Monetary(compute="_compute_settled", store=True)
    principal_settled = fields.Monetary(compute="_compute_settled", store=True)
    interest_settled = fields.Monetary(compute="_compute_settled", store=True)
    interest_receivable_settled = fields.Monetary(compute="_compute_settled", store=True)
    late_fee_settled = fields.Monetary(compute="_compute_settled", store=True)
    paid_date = fields.Date(compute="_compute_settled", store=True)
    principal_residual = fields.Monetary(
        string="Principal Due", compute="_compute_settled", store=True
    )
    interest_residual = fields.Monetary(
        string="Interest Due", compute="_compute_settled", store=True
    )
    late_fee_residual = fields.Monetary(string="Late Fee Due", compute="_compute_residuals")
    amount_residual = fields.Monetary(string="Amount Due", compute="_compute_residuals")
    interest_receivable = fields.Monetary(
        compute="_compute_residuals",
        help="Accrued interest and late fees of this installment not yet paid.",
    )
    state = fields.Selection(
        LINE_STATES, compute="_compute_settled", store=True, index=True, default="open"
    )

    _sql_constraints = [
        (
            "principal_settled_range",
            "CHECK(principal_settled >= 0 AND principal_settled <= principal)",
            "The principal of an installment cannot be paid twice.",
        ),
        (
            "interest_settled_range",
            "CHECK(interest_settled >= 0 AND interest_settled <= interest)",
            "The interest of an installment cannot be paid twice.",
        ),
        (
            "late_fee_settled_range",
            "CHECK(late_fee_settled >= 0 AND late_fee_settled <= late_fee)",
            "The late fee of an installment cannot be paid twice.",
        ),
        (
            "interest_recognised_range",
            "CHECK(interest_receivable_settled >= 0 AND interest_receivable_settled "
            "<= interest_accrued AND interest_accrued + interest_settled "
            "- interest_receivable_settled <= interest)",
            "The interest of an installment cannot be recognised twice.",
        ),
        (
            "amounts_positive",
            "CHECK(principal >= 0 AND interest >= 0 AND late_fee >= 0)",
            "Installment amounts cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not kopdes_is_posting(self.env):
            raise UserError(_("Installments are made by the loan's schedule only."))
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_posting(self.env):
            raise UserError(_("Installments change only through payments and the loan's actions."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_schedule(self):
        if not kopdes_is_posting(self.env) or self.allocation_ids:
            raise UserError(_("Installments with payments are never deleted."))

    @api.depends("principal", "interest")
    def _compute_total(self):
        for line in self:
            line.total = line.principal + line.interest

    @api.depends(
        "principal",
        "interest",
        "allocation_ids.kind",
        "allocation_ids.principal",
        "allocation_ids.interest",
        "allocation_ids.interest_receivable",
        "allocation_ids.late_fee",
        "allocation_ids.date",
    )
    def _compute_settled(self):
        ids = [line_id for line_id in self._origin.ids if line_id]
        sums = {}
        if ids:
            rows = self.env["kopdes.loan.allocation"]._read_group(
                [("line_id", "in", ids)],
                ["line_id", "kind"],
                [
                    "principal:sum",
                    "interest:sum",
                    "interest_receivable:sum",
                    "late_fee:sum",
                    "date:max",
                ],
            )
            for line, kind, principal, interest, receivable, late_fee, last in rows:
                sums.setdefault(line.id, {})[kind] = (
                    principal,
                    interest,
                    receivable,
                    late_fee,
                    last,
                )
        for line in self:
            by_kind = sums.get(line._origin.id, {})
            paid = by_kind.get("payment", (0.0, 0.0, 0.0, 0.0, False))
            line.principal_paid, line.interest_paid, _rec, line.late_fee_paid, _last = paid
            line.principal_settled = sum(v[0] for v in by_kind.values())
            line.interest_settled = sum(v[1] for v in by_kind.values())
            line.interest_receivable_settled = sum(v[2] for v in by_kind.values())
            line.late_fee_settled = sum(v[3] for v in by_kind.values())
            line.principal_residual = line.principal - line.principal_settled
            line.interest_residual = line.interest - line.interest_settled
            currency = line.currency_id or self.env.company.currency_id
            done = currency.is_zero(line.principal_residual) and currency.is_zero(
                line.interest_residual
            )
            if (
                done
                and currency.compare_amounts(line.principal_paid + line.interest_paid, line.total)
                >= 0
            ):
                line.state = "paid"
                line.paid_date = paid[4]
            elif done:
                line.state = "settled"
                line.paid_date = max((v[4] for v in by_kind.values() if v[4]), default=False)
            elif line.principal_settled or line.interest_settled:
                line.state = "partial"
                line.paid_date = False
            else:
                line.state = "open"
                line.paid_date = False

    @api.depends(
        "principal_residual",
        "interest_residual",
        "late_fee",
        "late_fee_settled",
        "interest_accrued",
        "interest_receivable_settled",
    )
    def _compute_residuals(self):
        for line in self:
            line.late_fee_residual = line.late_fee - line.late_fee_settled
            line.amount_residual = (
                line.principal_residual + line.interest_residual + line.late_fee_residual
            )
            line.interest_receivable = (
                line.interest_accrued - line.interest_receivable_settled + line.late_fee_residual
            )

    def _kopdes_interest_receivable_open(self):
        """Accrued interest of this installment still on the receivable account."""
        self.ensure_one()
        return self.interest_accrued - self.interest_receivable_settled

    # ------------------------------------------------------------ display name

    @api.depends("loan_id.name", "sequence", "due_date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """``PIN/2025/0001 – Installment 3 (01/01/2026)``, the date in the user's format."""
        for line in self:
            line.display_name = _(
                "%(loan)s – Installment %(number)s (%(date)s)",
                loan=line.loan_id.name or "",
                number=line.sequence,
                date=format_date(line.env, line.due_date),
            )
