import uuid
from datetime import date, datetime

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon


class KopdesScoringCommon(KopdesFinancingCommon):
    """A cooperative with a borrower who paid late (A), a member without any history (B),
    a saver behind on wajib (C), a shop and an accountant; all on the real ORM and SQL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.user_accountant = new_test_user(
            cls.env, login="scr_akuntan", groups="kopdes_members.group_kopdes_accountant", **common
        )
        cls.user_teller = new_test_user(
            cls.env, login="scr_teller", groups="kopdes_members.group_kopdes_user", **common
        )
        cls.cashier = new_test_user(
            cls.env,
            login="scr_kasir",
            groups="base.group_user,point_of_sale.group_pos_user",
            **common,
        )
        Due = cls.env["kopdes.savings.due"]
        for member in (cls.member_a, cls.member_c):
            member._kopdes_savings_account("wajib", create=True, open_date=date(2024, 1, 15))
            member._kopdes_savings_account("sukarela", create=True, open_date=date(2024, 1, 15))
        for month in range(2, 13):
            Due._kopdes_generate(company, date(2024, month, 10))
        wajib = cls.wajib.amount
        for month in range(2, 13):
            cls.member_a._kopdes_savings_account("wajib")._kopdes_deposit(
                wajib, date=date(2024, month, 5)
            )
            if month <= 6:
                cls.member_c._kopdes_savings_account("wajib")._kopdes_deposit(
                    wajib, date=date(2024, month, 5)
                )
        cls.member_a._kopdes_savings_account("sukarela")._kopdes_deposit(
            500_000, date=date(2024, 9, 1)
        )
        cls.member_a._kopdes_savings_account("sukarela")._kopdes_deposit(
            300_000, date=date(2024, 12, 1)
        )
        # member A: a loan from January 2025, three installments on time, the fourth 40
        # days late, then nothing
        cls.loan_a = cls.active_loan_cls(cls.member_a, day=date(2025, 1, 31))
        lines = cls.loan_a.line_ids.sorted("sequence")
        for line in lines[:3]:
            cls.loan_a._kopdes_pay(line.total, date=line.due_date, journal=cls.cash)
        late_day = fields.Date.add(lines[3].due_date, days=40)
        cls.loan_a._kopdes_accrue_late_fees(late_day, loans=cls.loan_a)
        lines[3].invalidate_recordset()
        cls.loan_a._kopdes_pay(
            lines[3].total + lines[3].late_fee_residual, date=late_day, journal=cls.cash
        )
        cls.late_day = late_day
        # member D: joined recently, no dues raised yet, no loan: a thin file
        cls.member_d = cls._create_member(9104, "Anggota Baru", join_date=date(2026, 10, 1))

    @classmethod
    def active_loan_cls(cls, member, day, amount=1_200_000, term=12):
        loan = (
            cls.env["kopdes.loan"]
            .with_user(cls.user_officer)
            .create(
                {
                    "member_id": member.id,
                    "product_id": cls.flat.id,
                    "amount": amount,
                    "term": term,
                    "application_date": day,
                    "purpose": "working_capital",
                }
            )
            .with_user(cls.env.user)
        )
        loan.with_user(cls.user_officer).action_submit()
        loan.with_user(cls.user_pengurus).action_approve("Usaha lancar")
        loan.with_user(cls.user_officer).action_disburse(day, cls.cash)
        return loan

    # ------------------------------------------------------------------ helpers

    def features(self, members, day):
        return self.env["kopdes.scoring.feature"]._kopdes_features(
            [(member.id, day) for member in members]
        )

    def grant(self, member, purpose, when):
        return self.env["kopdes.consent"].create(
            {"member_id": member.id, "purpose": purpose, "action": "granted", "date": when}
        )

    def open_shop(self):
        """A POS shop (cash payments) with an open session of the cashier."""
        method = self.env["pos.payment.method"].create(
            {"name": "Tunai Gerai", "journal_id": self.cash.id, "company_id": self.company.id}
        )
        config = self.env["pos.config"].create(
            {
                "name": "Gerai Skor",
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        product = self.env["product.product"].create(
            {
                "name": "Beras 5 kg",
                "available_in_pos": True,
                "lst_price": 70_000.0,
                "taxes_id": [Command.clear()],
                "company_id": self.company.id,
            }
        )
        config.with_user(self.cashier).open_ui()
        return config, method, product

    def shop_order(self, shop, partner, when, qty=1):
        config, method, product = shop
        price = product.lst_price * qty
        order = {
            "amount_paid": price,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": price,
            "date_order": fields.Datetime.to_string(when),
            "fiscal_position_id": False,
            "pricelist_id": config.pricelist_id.id,
            "name": f"Order {uuid.uuid4()}",
            "last_order_preparation_change": "{}",
            "lines": [
                Command.create(
                    {
                        "product_id": product.id,
                        "price_unit": product.lst_price,
                        "qty": qty,
                        "price_subtotal": price,
                        "price_subtotal_incl": price,
                        "tax_ids": [Command.clear()],
                        "pack_lot_ids": [],
                    }
                )
            ],
            "partner_id": partner.id,
            "session_id": config.current_session_id.id,
            "sequence_number": 2,
            "payment_ids": [
                Command.create(
                    {"amount": price, "name": fields.Datetime.now(), "payment_method_id": method.id}
                )
            ],
            "uuid": str(uuid.uuid4()),
            "user_id": self.cashier.id,
            "to_invoice": False,
            "state": "paid",
        }
        result = self.env["pos.order"].with_user(self.cashier).sync_from_ui([order])
        created = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        # the POS stamps orders with the sync time; history is what the test needs
        created.sudo().write({"date_order": when})
        return created


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour)
