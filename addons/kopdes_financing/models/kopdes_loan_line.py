from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_without_defaults

from ..tools import repayment as repayment_tools
from ..tools import schedule as schedule_tools
from .common import kopdes_is_posting, kopdes_system

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
    ``late_fee_date`` in bulk with SQL and end with a hook (``_kopdes_late_fees_charged``,
    ``_kopdes_interest_accrued``, ``_kopdes_installments_overdue``). Database constraints
    make sure nothing is ever settled twice.
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
        self = kopdes_without_defaults(self)
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

    # ------------------------------------------------------------ schedule

    @api.model
    def _kopdes_compute_installments(
        self, loan, principal, term, rate, grace, start, first_due=None
    ):
        """The installments (``tools.schedule``) of ``loan``'s method and frequency."""
        messages = {
            schedule_tools.PRINCIPAL: _("The loan amount must be a whole number above zero."),
            schedule_tools.TERM: _("A loan has at least one installment."),
            schedule_tools.GRACE: _("The grace installments must be fewer than the installments."),
            schedule_tools.RATE: _("The rate must be zero or more."),
            schedule_tools.METHOD: _("Unknown interest method."),
            schedule_tools.FREQUENCY: _("Unknown installment frequency."),
            schedule_tools.FIRST_DUE: _("The first installment falls due after the disbursement."),
        }
        try:
            return schedule_tools.compute(
                int(principal),
                schedule_tools.to_decimal(rate),
                term,
                loan.method,
                loan.frequency,
                start=start,
                grace=grace,
                first_due=first_due,
            )
        except schedule_tools.ScheduleError as err:
            raise UserError(messages[err.code]) from err

    @api.model
    def _prepare_schedule_vals(self, loan, installments, start, offset=0, version=1):
        """Values of the installments of ``loan`` from ``start``."""
        vals_list = []
        previous = start
        for item in installments:
            vals_list.append(
                {
                    "loan_id": loan.id,
                    "sequence": offset + item.sequence,
                    "schedule_version": version,
                    "period_start": previous,
                    "due_date": item.due_date,
                    "principal": item.principal,
                    "interest": item.interest,
                }
            )
            previous = item.due_date
        return vals_list

    @api.model
    def _kopdes_generate(self, loans, start=None):
        """(Re)compute the schedule of loans not yet disbursed; at disbursement from the
        disbursement date (``start``), before as a preview from the application date."""
        vals_list = []
        for loan in loans:
            if loan.state not in ("draft", "submitted", "approved"):
                continue
            loan_vals = self._kopdes_draft_schedule_vals(loan, start)
            if loan_vals is None:
                continue
            kopdes_system(loan.line_ids).unlink()
            vals_list += [{**vals, "loan_id": loan.id} for vals in loan_vals]
        if vals_list:
            kopdes_system(self.env["kopdes.loan.line"]).create(vals_list)

    @api.model
    def _kopdes_draft_schedule_vals(self, loan, start=None):
        """Values (without ``loan_id``) of the schedule of ``loan`` from ``start``, else
        from its application date; ``None`` while product, amount or term are missing.
        Terms the schedule refuses give no installments, except at disbursement
        (``start``), where the error is raised. The form's preview uses the same values."""
        if not (loan.product_id and loan.amount > 0 and loan.term > 0):
            return None
        begin = start or loan.application_date or loan._kopdes_today()
        first_due = (
            loan.first_due_date if loan.first_due_date and loan.first_due_date > begin else None
        )
        try:
            installments = self._kopdes_compute_installments(
                loan,
                loan.amount,
                loan.term,
                loan.annual_rate,
                loan.grace_periods,
                begin,
                first_due,
            )
        except UserError:
            if start:
                raise
            installments = []
        vals_list = self._prepare_schedule_vals(loan, installments, begin)
        for vals in vals_list:
            vals.pop("loan_id")
        return vals_list

    # ------------------------------------------------------------ accruals

    @api.model
    def _kopdes_late_fee_increments(self, date, company=None, loans=None, as_of=False):
        """``[(line_id, fee, company_id, receivable, fee_account, partner_id)]``: the late
        fees of overdue installments from where they were charged up to ``date``.

        One query reads the overdue installments; the tool computes the increments.
        ``as_of`` (the month-end of a past period): what was overdue as the books stood on
        ``date`` (allocations dated on or before it), so that a payment or a reversal dated
        later changes nothing in that period.
        """
        date = fields.Date.to_date(date)
        company = company or (loans.company_id[:1] if loans else self.env.company)
        if loans is not None and not loans:
            return []
        overdue = SQL("line.principal_residual + line.interest_residual")
        settled_join = SQL("")
        if as_of:
            overdue = SQL("line.principal + line.interest - COALESCE(settled.amount, 0)")
            settled_join = SQL(
                """
             LEFT JOIN LATERAL (
                        SELECT SUM(alloc.principal + alloc.interest) AS amount
                          FROM kopdes_loan_allocation alloc
                         WHERE alloc.line_id = line.id AND alloc.date <= %s
                       ) settled ON TRUE
                """,
                date,
            )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, line.due_date, %s,
                       line.late_fee_date, product.late_fee_grace_days, product.late_fee_mode,
                       product.late_fee_value, product.account_interest_receivable_id,
                       product.account_late_fee_id, loan.company_id, loan.partner_id
                  FROM kopdes_loan_line line
                  JOIN kopdes_loan loan ON loan.id = line.loan_id
                  JOIN kopdes_loan_product product ON product.id = loan.product_id
                  %s
                 WHERE %s
                   AND line.rescheduled IS NOT TRUE
                   AND product.late_fee_mode != 'none'
                   AND product.late_fee_value > 0
                   AND line.due_date < %s
                   AND line.principal_residual + line.interest_residual > 0
                   AND (line.late_fee_date IS NULL OR line.late_fee_date < %s)
                   AND %s
                """,
                overdue,
                settled_join,
                self.env["kopdes.loan"]._kopdes_active_loan_filter(company, loans),
                date,
                date,
                SQL("%s > 0", overdue) if as_of else SQL("TRUE"),
            )
        )
        result = []
        for (
            line_id,
            due_date,
            overdue,
            charged_until,
            grace_days,
            mode,
            value,
            receivable,
            fee_account,
            company_id,
            partner_id,
        ) in self.env.cr.fetchall():
            fee = repayment_tools.late_fee_increment(
                due_date,
                int(overdue),
                charged_until,
                date,
                grace_days or 0,
                mode,
                repayment_tools.to_decimal(value),
            )
            result.append((line_id, fee, company_id, receivable, fee_account, partner_id))
        return result

    @api.model
    def _kopdes_accrue_late_fees(self, date, company=None, loans=None, month_end=None, as_of=False):
        """Charge the late fees of overdue installments up to ``date`` (idempotent).

        One query reads, one writes, and one journal entry per cooperative books the fees
        (receivable against late-fee income, or the social fund for murabahah); the entry
        is linked to ``loans`` (one loan) or marked as the late-fee batch (and linked to the
        ``month_end`` that ran it). ``as_of``: see :meth:`_kopdes_late_fee_increments`.
        Ends with :meth:`_kopdes_late_fees_charged`.
        """
        date = fields.Date.to_date(date)
        rows = self._kopdes_late_fee_increments(date, company, loans, as_of=as_of)
        ids, increments = [], []
        totals = defaultdict(float)
        for line_id, fee, company_id, receivable, fee_account, partner_id in rows:
            ids.append(line_id)
            increments.append(fee)
            if fee:
                key = (company_id, receivable, fee_account, partner_id if loans else None)
                totals[key] += fee
        if not ids:
            return self.env["account.move"]
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan_line line
                   SET late_fee = COALESCE(line.late_fee, 0) + inc.fee, late_fee_date = %s
                  FROM unnest(%s::int[], %s::numeric[]) AS inc(id, fee)
                 WHERE line.id = inc.id
                """,
                date,
                ids,
                increments,
            )
        )
        self.env["kopdes.loan.line"].invalidate_model()
        by_company = defaultdict(list)
        for (company_id, receivable, fee_account, partner_id), amount in totals.items():
            by_company[company_id].append((receivable, fee_account, partner_id, amount))
        moves = self.env["account.move"]
        for company_id, entries in by_company.items():
            company_rec = self.env["res.company"].browse(company_id)
            label = _("Late fees up to %(date)s", date=fields.Date.to_string(date))
            lines = []
            for receivable, fee_account, partner_id, amount in entries:
                lines.append(
                    self.env["kopdes.loan"]._kopdes_prepare_move_line_vals(
                        receivable, amount, label, partner_id
                    )
                )
                lines.append(
                    self.env["kopdes.loan"]._kopdes_prepare_move_line_vals(
                        fee_account, -amount, label, partner_id
                    )
                )
            loan = loans[:1] if loans else self.env["kopdes.loan"]
            moves |= loan._kopdes_create_move(
                lines,
                date,
                label,
                company=company_rec,
                **self._kopdes_batch_vals("late_fees", loans, month_end),
            )
        charged = self.browse([row[0] for row in rows if row[1]])
        if charged:
            charged._kopdes_late_fees_charged()
        return moves

    @api.model
    def _kopdes_accrue_interest(self, period_end, company, month_end=None):
        """Book as receivable the interest of every installment due up to ``period_end``
        not yet recognised (idempotent: a second run finds nothing). Returns the move,
        marked as the interest batch (of ``month_end``). Ends with
        :meth:`_kopdes_interest_accrued`.

        Interest recognised directly by a payment (without accrual) counts as recognised
        if it was so as of ``period_end`` or is so now: a payment reversed after the period
        end does not make the period accrue it again (the next period does)."""
        period_end = fields.Date.to_date(period_end)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan_line line
                   SET interest_accrued = COALESCE(line.interest_accrued, 0) + todo.amount
                  FROM (
                        SELECT line.id,
                               line.interest - COALESCE(line.interest_accrued, 0)
                               - GREATEST(
                                   line.interest_settled - line.interest_receivable_settled,
                                   COALESCE((
                                       SELECT SUM(alloc.interest - alloc.interest_receivable)
                                         FROM kopdes_loan_allocation alloc
                                        WHERE alloc.line_id = line.id
                                          AND alloc.date <= %s
                                   ), 0)
                               ) AS amount
                          FROM kopdes_loan_line line
                          JOIN kopdes_loan loan ON loan.id = line.loan_id
                         WHERE %s AND line.rescheduled IS NOT TRUE AND line.due_date <= %s
                       ) todo
                 WHERE line.id = todo.id AND todo.amount > 0
             RETURNING line.loan_id, todo.amount, line.id
                """,
                period_end,
                self.env["kopdes.loan"]._kopdes_active_loan_filter(company),
                period_end,
            )
        )
        per_loan = self.env.cr.fetchall()
        self.env["kopdes.loan.line"].invalidate_model()
        if not per_loan:
            return self.env["account.move"]
        self.env.cr.execute(
            SQL(
                """
                SELECT loan.id, product.account_interest_receivable_id,
                       product.account_interest_income_id
                  FROM kopdes_loan loan
                  JOIN kopdes_loan_product product ON product.id = loan.product_id
                 WHERE loan.id = ANY(%s)
                """,
                list({row[0] for row in per_loan}),
            )
        )
        accounts = {loan_id: (rec, income) for loan_id, rec, income in self.env.cr.fetchall()}
        totals = defaultdict(float)
        for loan_id, amount, _line_id in per_loan:
            totals[accounts[loan_id]] += float(amount)
        label = _("Interest accrued up to %(date)s", date=fields.Date.to_string(period_end))
        lines = []
        for (receivable, income), amount in sorted(totals.items()):
            lines.append(
                self.env["kopdes.loan"]._kopdes_prepare_move_line_vals(
                    receivable, amount, label, None
                )
            )
            lines.append(
                self.env["kopdes.loan"]._kopdes_prepare_move_line_vals(income, -amount, label, None)
            )
        move = self.env["kopdes.loan"]._kopdes_create_move(
            lines,
            period_end,
            label,
            company=company,
            **self._kopdes_batch_vals("interest", None, month_end),
        )
        self.browse(sorted(row[2] for row in per_loan))._kopdes_interest_accrued()
        return move

    @api.model
    def _kopdes_batch_vals(self, batch, loans=None, month_end=None):
        """What links a batch entry to what posted it (``account.move`` guards it)."""
        if loans:
            return {}
        return {"kopdes_batch": batch, "kopdes_month_end_id": month_end.id if month_end else False}

    # --------------------------------------------------------------- hooks

    def _kopdes_late_fees_charged(self):
        """Hook: late fees were just charged on these installments (``late_fee`` and
        ``late_fee_date`` written by SQL); called once per run with all of them. Does
        nothing by default."""
        return True

    def _kopdes_interest_accrued(self):
        """Hook: the interest of these installments was just booked as receivable
        (``interest_accrued`` written by SQL); called once per run with all of them. Does
        nothing by default."""
        return True

    def _kopdes_installments_overdue(self):
        """Hook: these installments became overdue since the last arrears update of their
        loan (due before the day of the update, unpaid); called once per update with all of
        them. Does nothing by default."""
        return True

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
