"""The loan side of a member's exit: what the savings repay, and its recording."""

from collections import defaultdict

from odoo import _, api, models

from .common import kopdes_system


class KopdesLoanPayment(models.Model):
    _inherit = "kopdes.loan.payment"

    @api.model
    def _kopdes_register_exit(self, loan, move, parts):
        """Record what an exit settlement deducted from the member's savings for ``loan``.

        ``parts``: the amounts deducted per part of :meth:`kopdes.loan._kopdes_exit_plan`
        (already credited to the loan's accounts by the exit entry ``move``). When all is
        covered the loan is closed with the product's rule on future interest.
        """
        currency = loan.currency_id
        date = move.date
        loan._kopdes_lock()
        self.env["kopdes.loan.line"]._kopdes_accrue_late_fees(date, loans=loan)
        plan = self._kopdes_exit_plan(loan, date, pending_fees=False)
        left = {part: parts.get(part, 0.0) for part in ("receivable", "income", "principal")}
        full = all(
            currency.compare_amounts(left[part], plan[part]) >= 0
            for part in ("receivable", "income", "principal")
        )
        payment = self._kopdes_create_payment(
            loan,
            date,
            {
                "amount": sum(left.values()),
                "source": "exit",
                "is_settlement": full,
                "move_id": move.id,
                "note": _("Deducted from the savings at the member's exit."),
            },
        )
        Allocation = kopdes_system(self.env["kopdes.loan.allocation"])
        vals_list = []
        totals = defaultdict(float)
        for line, fee, accrued, unaccrued, principal in plan["lines"]:
            take_fee = min(fee, left["receivable"])
            left["receivable"] -= take_fee
            take_accrued = min(accrued, left["receivable"])
            left["receivable"] -= take_accrued
            take_unaccrued = min(unaccrued, left["income"])
            left["income"] -= take_unaccrued
            take_principal = min(principal, left["principal"])
            left["principal"] -= take_principal
            if take_fee or take_accrued or take_unaccrued or take_principal:
                vals_list.append(
                    Allocation._kopdes_prepare_vals(
                        line,
                        "payment",
                        date,
                        principal=take_principal,
                        interest=take_accrued + take_unaccrued,
                        interest_receivable=take_accrued,
                        late_fee=take_fee,
                        payment=payment,
                    )
                )
            totals["late_fee"] += take_fee
            totals["interest"] += take_accrued + take_unaccrued
            totals["principal"] += take_principal
            waived = line.interest_residual - accrued - unaccrued
            if full and currency.compare_amounts(waived, 0.0) > 0:
                receivable = max(
                    min(waived, line._kopdes_interest_receivable_open() - take_accrued), 0.0
                )
                vals_list.append(
                    Allocation._kopdes_prepare_vals(
                        line,
                        "waiver",
                        date,
                        interest=waived,
                        interest_receivable=receivable,
                        payment=payment,
                    )
                )
                totals["waived"] += waived
                totals["waived_receivable"] += receivable
        if totals["waived_receivable"]:
            label = _("Interest waived at exit %(loan)s", loan=loan.name)
            product = loan.product_id
            loan._kopdes_create_move(
                [
                    loan._kopdes_prepare_move_line_vals(
                        product.account_interest_income_id,
                        totals["waived_receivable"],
                        label,
                        loan.partner_id.id,
                    ),
                    loan._kopdes_prepare_move_line_vals(
                        product.account_interest_receivable_id,
                        -totals["waived_receivable"],
                        label,
                        loan.partner_id.id,
                    ),
                ],
                date,
                label,
            )
        Allocation.create(vals_list)
        payment.sudo().with_context(kopdes_loan_posting=True).write(
            {
                "amount_principal": totals["principal"],
                "amount_interest": totals["interest"],
                "amount_late_fee": totals["late_fee"],
                "amount_waived": totals["waived"],
            }
        )
        payment._kopdes_close_if_repaid()
        payment._kopdes_payments_posted()
        return payment.with_env(self.env)

    @api.model
    def _kopdes_exit_plan(self, loan, date, pending_fees=True):
        """What repays ``loan`` in full on ``date``, split by account: ``receivable``
        (late fees, with those not charged yet, and accrued interest), ``income`` (interest
        not accrued yet) and ``principal``; ``lines`` gives the same per installment."""
        pending = {}
        if pending_fees:
            increments = self.env["kopdes.loan.line"]._kopdes_late_fee_increments(date, loans=loan)
            pending = {row[0]: row[1] for row in increments}
        to_pay = self._kopdes_settlement_interest(loan, date)
        lines = loan.line_ids.filtered(lambda line: not line.rescheduled).sorted(
            lambda line: (line.due_date, line.sequence)
        )
        plan = {"receivable": 0.0, "income": 0.0, "principal": 0.0, "lines": []}
        for line in lines:
            fee = line.late_fee_residual + pending.get(line.id, 0.0)
            interest = to_pay.get(line, 0.0)
            accrued = min(interest, max(line._kopdes_interest_receivable_open(), 0.0))
            plan["lines"].append((line, fee, accrued, interest - accrued, line.principal_residual))
            plan["receivable"] += fee + accrued
            plan["income"] += interest - accrued
            plan["principal"] += line.principal_residual
        return plan
