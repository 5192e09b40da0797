from datetime import date, datetime
from fractions import Fraction

from odoo import Command

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon

YEAR = 2025


class KopdesShuCommon(KopdesFinancingCommon):
    """A cooperative with a year (2025) of savings, shop sales to members and walk-in
    buyers, loan interest paid and income in the ledger; the SHU rule approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.member_d = cls._create_member(9104, "Anggota Empat Keluar")
        cls.member_e = cls._create_member(9105, "Anggota Lima Lama", join_date=date(2024, 1, 2))
        # savings: a and b the same, c more, d leaves in July, e saves sukarela only
        for member, pokok, wajib in (
            (cls.member_a, 100000, 20000),
            (cls.member_b, 100000, 20000),
            (cls.member_c, 100000, 50000),
            (cls.member_d, 100000, 20000),
        ):
            acc = cls._acc(member, "pokok")
            acc._kopdes_deposit(pokok, date=date(YEAR, 1, 10))
            wajib_acc = cls._acc(member, "wajib")
            for month in range(1, 13):
                if member == cls.member_d and month > 6:
                    break
                wajib_acc._kopdes_deposit(wajib, date=date(YEAR, month, 5))
        cls._acc(cls.member_c, "sukarela")._kopdes_deposit(2_000_000, date=date(YEAR, 3, 1))
        cls._acc(cls.member_e, "sukarela")._kopdes_deposit(750_000, date=date(2024, 6, 1))
        cls._acc(cls.member_a, "sukarela")._kopdes_deposit(10_000, date=date(YEAR, 12, 1))
        cls._acc(cls.member_b, "sukarela")._kopdes_deposit(10_000, date=date(YEAR, 12, 1))
        # a loan to c, three installments paid in the year
        cls.loan = cls._active_loan_cls(cls.member_c, date(YEAR, 1, 31))
        for month in (2, 3, 4):
            cls.loan.with_user(cls.user_officer)._kopdes_pay(
                cls.loan.line_ids.sorted("due_date")[month - 2].total,
                date=date(YEAR, month, 28),
                journal=cls.cash,
            )
        # the shop: b buys twice what a buys; walk-in buyers; a refund of c; an order of
        # the year before and one of the year after that do not count
        cls.config = cls.env["pos.config"].create({"name": "Gerai SHU", "company_id": company.id})
        cls.session = cls.env["pos.session"].create(
            {"config_id": cls.config.id, "user_id": cls.env.uid}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Beras SHU",
                "lst_price": 50000.0,
                "company_id": company.id,
                "taxes_id": [Command.clear()],
            }
        )
        cls._order(cls.member_a, 3, datetime(YEAR, 2, 3, 3))
        cls._order(cls.member_a, 1, datetime(YEAR, 9, 3, 3))
        cls._order(cls.member_b, 8, datetime(YEAR, 5, 3, 3))
        cls._order(cls.member_c, 5, datetime(YEAR, 6, 3, 3))
        cls._order(cls.member_c, -1, datetime(YEAR, 6, 4, 3))
        cls._order(None, 6, datetime(YEAR, 7, 3, 3))
        cls._order(None, 2, datetime(YEAR, 8, 3, 3))
        cls._order(cls.member_a, 10, datetime(YEAR - 1, 12, 31, 12))  # 2024 (WIB)
        cls._order(cls.member_a, 10, datetime(YEAR, 12, 31, 18))  # 1 Jan of the next year WIB
        # d resigns in July (their savings are refunded through the exit in real life; the
        # balance-days stop counting when the refund is posted)
        cls.env["kopdes.savings.exit.wizard"].create(
            {"member_id": cls.member_d.id, "date": date(YEAR, 7, 15), "reason": "Pindah"}
        ).action_confirm()
        # the year's result: the shop's margin booked in the ledger
        income = cls.env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1
        )
        move = cls.env["account.move"].create(
            {
                "journal_id": cls.cash.id,
                "date": date(YEAR, 12, 31),
                "line_ids": [
                    Command.create(
                        {"account_id": cls.cash.default_account_id.id, "debit": 12_345_678.9}
                    ),
                    Command.create({"account_id": income.id, "credit": 12_345_678.9}),
                ],
            }
        )
        move.action_post()
        cls.rule = cls.env["kopdes.shu.rule"].create(
            {
                "company_id": company.id,
                "fiscal_year": YEAR,
                "approval_date": date(YEAR + 1, 3, 1),
                "minutes_ref": "RAT/2026/001",
                "leaver_payout": "cash",
            }
        )
        cls.rule.with_user(cls.user_pengurus).action_approve()
        cls.dist = cls.env["kopdes.shu.distribution"].create(
            {"company_id": company.id, "rule_id": cls.rule.id}
        )

    @classmethod
    def _acc(cls, member, kind):
        return member._kopdes_savings_account(kind, create=True, open_date=date(2024, 1, 2))

    @classmethod
    def _active_loan_cls(cls, member, day):
        loan = (
            cls.env["kopdes.loan"]
            .with_user(cls.user_officer)
            .create(
                {
                    "member_id": member.id,
                    "product_id": cls.flat.id,
                    "amount": 1_200_000,
                    "term": 12,
                    "application_date": day,
                    "purpose": "working_capital",
                }
            )
        )
        loan.action_submit()
        loan.with_user(cls.user_pengurus).action_approve("Usaha lancar")
        loan.with_user(cls.user_officer).action_disburse(day, cls.cash)
        return loan.with_user(cls.env.user)

    @classmethod
    def _order(cls, member, qty, when):
        price = cls.product.lst_price
        extra = {}
        if member and "member_id" in cls.env["pos.order"]._fields:  # kopdes_members (h12)
            extra["member_id"] = member.id
        return cls.env["pos.order"].create(
            {
                **extra,
                "session_id": cls.session.id,
                "company_id": cls.company.id,
                "partner_id": member.partner_id.id if member else False,
                "date_order": when,
                "amount_total": price * qty,
                "amount_tax": 0.0,
                "amount_paid": price * qty,
                "amount_return": 0.0,
                "state": "paid",
                "lines": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "qty": qty,
                            "price_unit": price,
                            "price_subtotal": price * qty,
                            "price_subtotal_incl": price * qty,
                        }
                    )
                ],
            }
        )

    def close_december(self):
        return (
            self.env["kopdes.close"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "date_from": date(YEAR, 12, 1),
                    "date_to": date(YEAR, 12, 31),
                    "state": "done",
                }
            )
        )


def hamilton(amount, weights):
    """An independent largest-remainder split (for the tests): exact fractions."""
    weights = {k: Fraction(w) for k, w in weights.items() if w > 0}
    total = sum(weights.values())
    if not total:
        return {}
    quotas = {k: Fraction(amount) * w / total for k, w in weights.items()}
    shares = {k: int(q) for k, q in quotas.items()}
    left = amount - sum(shares.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - shares[k]), k))[:left]:
        shares[k] += 1
    return shares
