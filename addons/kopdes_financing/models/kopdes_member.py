from odoo import _, fields, models

from .common import kopdes_today


class KopdesMember(models.Model):
    _inherit = "kopdes.member"

    loan_ids = fields.One2many("kopdes.loan", "member_id", string="Loans")
    loan_count = fields.Integer(compute="_compute_loan_stats")
    loan_outstanding = fields.Monetary(
        string="Loans Outstanding", compute="_compute_loan_stats", currency_field="currency_id"
    )
    loan_overdue = fields.Boolean(string="Has Overdue Loans", compute="_compute_loan_stats")

    def _compute_loan_stats(self):
        rows = self.env["kopdes.loan"]._read_group(
            [("member_id", "in", self.ids), ("state", "not in", ("rejected", "cancelled"))],
            ["member_id"],
            ["__count", "principal_residual:sum"],
        )
        stats = {member.id: (count, outstanding) for member, count, outstanding in rows}
        overdue = self._kopdes_members_overdue(kopdes_today(self.env))
        for member in self:
            member.loan_count, member.loan_outstanding = stats.get(
                member._origin.id or member.id, (0, 0.0)
            )
            member.loan_overdue = member in overdue

    def action_view_loans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id}
        return action

    def _kopdes_members_overdue(self, date):
        """The members of ``self`` with an active loan that has an unpaid installment due
        before ``date`` (one ``_read_group``)."""
        if not self.ids:
            return self.browse()
        rows = (
            self.env["kopdes.loan.line"]
            .sudo()
            ._read_group(
                [
                    ("member_id", "in", self.ids),
                    ("loan_id.state", "=", "active"),
                    ("rescheduled", "=", False),
                    ("due_date", "<", date),
                    ("state", "in", ("open", "partial")),
                ],
                ["member_id"],
            )
        )
        return self.browse([member.id for (member,) in rows])

    def _kopdes_money_attached(self):
        """Members who borrowed: any loan that was disbursed."""
        members = super()._kopdes_money_attached()
        if not self.ids:
            return members
        rows = (
            self.env["kopdes.loan"]
            .sudo()
            ._read_group(
                [
                    ("member_id", "in", self.ids),
                    ("state", "in", ("active", "closed", "written_off")),
                ],
                ["member_id"],
            )
        )
        return members | self.browse([member.id for (member,) in rows])

    # ------------------------------------------------- exit settlement hooks

    def _kopdes_exit_deduction_lines(self, date):
        """What the leaving members still owe on their loans, as repaid in full on
        ``date`` (the product's rule on future interest applies), per loan: late fees and
        accrued interest (interest receivable), interest not accrued yet (income), then
        the principal (loan receivable)."""
        lines = super()._kopdes_exit_deduction_lines(date)
        loans = self.env["kopdes.loan"].search(
            [("member_id", "in", self.ids), ("state", "=", "active")],
            order="disbursement_date, id",
        )
        for loan in loans:
            plan = loan._kopdes_exit_plan(date)
            product = loan.product_id
            parts = (
                ("receivable", product.account_interest_receivable_id, _("Late fees and interest")),
                ("income", product.account_interest_income_id, _("Interest")),
                ("principal", product.account_principal_id, _("Principal")),
            )
            for part, account, label in parts:
                amount = plan[part]
                if loan.currency_id.is_zero(amount):
                    continue
                lines.append(
                    {
                        "member_id": loan.member_id.id,
                        "amount": amount,
                        "account_id": account.id,
                        "name": _("%(what)s of loan %(loan)s", what=label, loan=loan.name),
                        "res_model": "kopdes.loan",
                        "res_id": loan.id,
                        "kopdes_loan_part": part,
                    }
                )
        return lines

    def _kopdes_exit_settled(self, move, deductions):
        """Record the deductions of the exit entry as repayments of the loans."""
        res = super()._kopdes_exit_settled(move, deductions)
        by_loan = {}
        for deduction in deductions:
            if deduction.get("res_model") != "kopdes.loan":
                continue
            parts = by_loan.setdefault(deduction["res_id"], {})
            part = deduction["kopdes_loan_part"]
            parts[part] = parts.get(part, 0.0) + deduction["amount"]
        for loan_id, parts in by_loan.items():
            loan = self.env["kopdes.loan"].browse(loan_id)
            self.env["kopdes.loan.payment"]._kopdes_register_exit(loan, move, parts)
        return res
