import calendar
from datetime import timedelta

from odoo import api, models

from ..tools.schedule import add_months

# (member number, product code, amount, installments, months ago disbursed, story)
# stories: on_time, stopped:<n> (paid n then stopped), late:<days> (always that late),
# savings (paid from voluntary savings), overpay (rest into savings), early:<n> (n paid, then
# repaid early), closed, reschedule, write_off, and the states before disbursement
DEMO_LOANS = (
    ("AGT-00001", "PMU", 5_000_000, 12, 10, "on_time"),
    ("AGT-00002", "PEF", 8_000_000, 12, 7, "stopped:4"),
    ("AGT-00003", "PAN", 12_000_000, 24, 14, "stopped:3"),
    ("AGT-00004", "MRB", 6_000_000, 12, 5, "on_time"),
    ("AGT-00005", "PMG", 1_500_000, 20, 2, "late:9"),
    ("AGT-00006", "PMU", 3_000_000, 6, 13, "closed"),
    ("AGT-00007", "PMU", 4_000_000, 12, 20, "write_off"),
    ("AGT-00009", "PMU", 2_000_000, 10, 6, "savings"),
    ("AGT-00010", "PEF", 6_000_000, 12, 8, "overpay"),
    ("AGT-00011", "PMU", 3_600_000, 12, 9, "early:5"),
    ("AGT-00012", "PAN", 9_000_000, 18, 11, "reschedule"),
    ("AGT-00013", "PMU", 2_500_000, 12, 4, "stopped:1"),
    ("AGT-00014", "MRB", 4_800_000, 12, 3, "late:40"),
    ("AGT-00015", "PMU", 7_500_000, 12, 0, "draft"),
    ("AGT-00016", "PEF", 10_000_000, 18, 0, "submitted"),
    ("AGT-00017", "PMU", 4_000_000, 10, 0, "approved"),
    ("AGT-00018", "PAN", 45_000_000, 36, 0, "rejected"),
    ("AGT-00019", "PMG", 1_000_000, 10, 0, "cancelled"),
)


class KopdesLoan(models.Model):
    _inherit = "kopdes.loan"

    @api.model
    def _kopdes_financing_demo(self, company_ids):
        """Demo data: loans of the demo members in every state, some late, one written off,
        one rescheduled, and the month-end of last month (deterministic)."""
        for company in self.env["res.company"].browse(company_ids):
            company._kopdes_setup_financing()
            self.with_company(company).with_context(
                tracking_disable=True, allowed_company_ids=company.ids
            )._kopdes_financing_demo_loans(company)

    @api.model
    def _kopdes_financing_demo_loans(self, company):
        Loan = self
        today = Loan._kopdes_today()
        products = {
            product.code: product
            for product in self.env["kopdes.loan.product"].search([("company_id", "=", company.id)])
        }
        members = {
            member.member_number: member
            for member in self.env["kopdes.member"].search(
                [("company_id", "=", company.id), ("state", "=", "active")]
            )
        }
        journal = company._kopdes_savings_cash_journal()
        write_offs = Loan.browse()
        for number, code, amount, term, months_ago, story in DEMO_LOANS:
            member, product = members.get(number), products.get(code)
            if not member or not product:
                continue
            start = add_months(today, -months_ago) if months_ago else today - timedelta(days=3)
            start = max(start, member.join_date or start)
            loan = Loan.create(
                {
                    "member_id": member.id,
                    "product_id": product.id,
                    "amount": amount,
                    "term": term,
                    "application_date": start - timedelta(days=7),
                    "purpose": "working_capital" if code != "MRB" else "investment",
                    "purpose_note": "Tambahan modal usaha" if code != "MRB" else "Mesin jahit",
                    "collateral_type": "vehicle" if amount >= 5_000_000 else "none",
                    "collateral_description": "BPKB sepeda motor" if amount >= 5_000_000 else False,
                    "collateral_value": 8_000_000 if amount >= 5_000_000 else 0,
                }
            )
            if story == "draft":
                continue
            loan.action_submit()
            if story == "submitted":
                continue
            if story == "rejected":
                loan.action_reject("Melebihi kemampuan bayar anggota")
                continue
            loan.action_approve("Usaha berjalan, riwayat simpanan baik")
            if story == "approved":
                continue
            if story == "cancelled":
                loan.action_cancel()
                continue
            loan.action_disburse(start, journal)
            self._kopdes_financing_demo_story(loan, story, journal, today)
            if story == "write_off":
                write_offs |= loan
        previous = today.replace(day=1) - timedelta(days=1)
        period_end = previous.replace(day=calendar.monthrange(previous.year, previous.month)[1])
        self.env["kopdes.loan.month.end"]._kopdes_close(period_end, company)
        for loan in write_offs:
            loan._kopdes_write_off(today, "Anggota merantau, tidak dapat dihubungi")
        Loan._kopdes_accrue_late_fees(today, company=company)
        Loan._kopdes_update_arrears(today, company=company)

    def _kopdes_financing_demo_story(self, loan, story, journal, today):
        kind, _sep, arg = story.partition(":")
        due = loan.line_ids.sorted("sequence").filtered(lambda line: line.due_date <= today)
        getattr(self, f"_kopdes_financing_demo_{kind}")(loan, due, arg, journal, today)

    def _kopdes_financing_demo_on_time(self, loan, due, arg, journal, today):
        for line in due:
            loan._kopdes_pay(line.total, line.due_date, journal)

    def _kopdes_financing_demo_stopped(self, loan, due, arg, journal, today):
        self._kopdes_financing_demo_on_time(loan, due[: int(arg)], arg, journal, today)

    def _kopdes_financing_demo_early(self, loan, due, arg, journal, today):
        self._kopdes_financing_demo_stopped(loan, due, arg, journal, today)
        day = due[int(arg) - 1].due_date + timedelta(days=10)
        loan._kopdes_pay(loan._kopdes_payoff_amount(day), day, journal, settle=True)

    def _kopdes_financing_demo_late(self, loan, due, arg, journal, today):
        for line in due:
            day = line.due_date + timedelta(days=int(arg))
            if day > today:
                break
            loan._kopdes_accrue_late_fees(day, loans=loan)
            line.invalidate_recordset()
            loan._kopdes_pay(line.total + line.late_fee_residual, day, journal)

    def _kopdes_financing_demo_closed(self, loan, due, arg, journal, today):
        self._kopdes_financing_demo_on_time(
            loan, loan.line_ids.sorted("sequence"), arg, journal, today
        )

    def _kopdes_financing_demo_savings(self, loan, due, arg, journal, today):
        savings = loan.member_id._kopdes_savings_account("sukarela")
        for line in due:
            # what the savings held on the due date and every day after (no back-dated
            # overdraft in the passbook)
            held = savings._kopdes_lowest_balances({savings.id: line.due_date}) if savings else {}
            if savings and held.get(savings.id, 0.0) >= line.total:
                loan._kopdes_pay(line.total, line.due_date, source="savings")
            else:
                loan._kopdes_pay(line.total, line.due_date, journal)

    def _kopdes_financing_demo_overpay(self, loan, due, arg, journal, today):
        # the last installment due is paid with 150,000 too much, which goes to savings
        self._kopdes_financing_demo_on_time(loan, due[:-1], arg, journal, today)
        if due:
            loan._kopdes_pay(
                due[-1].total + 150_000, due[-1].due_date, journal, overpayment="savings"
            )

    def _kopdes_financing_demo_reschedule(self, loan, due, arg, journal, today):
        self._kopdes_financing_demo_on_time(loan, due[:4], arg, journal, today)
        loan._kopdes_reschedule(
            add_months(today, -2), 18, loan.annual_rate, "Usaha terdampak banjir rob"
        )
        new_due = loan.current_line_ids.sorted("sequence").filtered(
            lambda line: line.due_date <= today
        )
        self._kopdes_financing_demo_on_time(loan, new_due, arg, journal, today)

    def _kopdes_financing_demo_write_off(self, loan, due, arg, journal, today):
        self._kopdes_financing_demo_on_time(loan, due[:2], arg, journal, today)
