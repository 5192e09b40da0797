import uuid
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_system, kopdes_today
from odoo.addons.kopdes_savings.tests.common import KopdesSavingsCommon
from odoo.addons.kopdes_shop.models.kopdes_kasbon import KASBON_POSTING


class KopdesShopCommon(KopdesSavingsCommon):
    """A cooperative with a shop that sells on kasbon, a cashier and two members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "kopdes_kasbon_limit_mode": "savings",
                "kopdes_kasbon_savings_multiple": 1.0,
                "kopdes_kasbon_term_days": 30,
                "kopdes_kasbon_room_step": 1000.0,
            }
        )
        cls.kasbon_method = cls.company._kopdes_kasbon_pos_payment_method()
        cls.cash_method = cls.env["pos.payment.method"].create(
            {"name": "Tunai Uji", "journal_id": cls.cash_journal.id, "company_id": cls.company.id}
        )
        cls.config = cls.env["pos.config"].create(
            {
                "name": "Gerai Uji Kasbon",
                "company_id": cls.company.id,
                "payment_method_ids": [Command.set((cls.kasbon_method | cls.cash_method).ids)],
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Beras Uji 5 kg",
                "available_in_pos": True,
                "lst_price": 72500.0,
                "taxes_id": [Command.clear()],
                "company_id": cls.company.id,
            }
        )
        cls.cashier = new_test_user(
            cls.env,
            login="kasbon_kasir",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.kasbon_account = cls.company.kopdes_kasbon_account_id
        cls.today = kopdes_today(cls.env, cls.company)
        # Satu's limit follows his savings (Rp 200.500); Dua has her own limit of Rp 100.000
        cls.member_a._kopdes_savings_account("sukarela", create=True)._kopdes_deposit(200500)
        cls.member_b._kopdes_savings_account("sukarela", create=True)
        cls.member_b.write({"kasbon_own_limit": True, "kasbon_limit_amount": 100000.0})
        cls.config.with_user(cls.cashier).open_ui()
        cls.session = cls.config.current_session_id

    def _order(self, partner, payments, qty=1, refunded_lines=None, price=None):
        price = price or self.product.lst_price
        total = price * qty
        line = {
            "product_id": self.product.id,
            "price_unit": price,
            "qty": qty,
            "price_subtotal": total,
            "price_subtotal_incl": total,
            "tax_ids": [Command.clear()],
            "pack_lot_ids": [],
        }
        if refunded_lines:
            line["refunded_orderline_id"] = refunded_lines[0].id
        return {
            "amount_paid": sum(amount for _method, amount in payments),
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": f"Order {uuid.uuid4()}",
            "last_order_preparation_change": "{}",
            "lines": [Command.create(line)],
            "partner_id": partner and partner.id,
            "session_id": self.session.id,
            "sequence_number": 2,
            "payment_ids": [
                Command.create(
                    {
                        "amount": amount,
                        "name": fields.Datetime.now(),
                        "payment_method_id": method.id,
                    }
                )
                for method, amount in payments
            ],
            "uuid": str(uuid.uuid4()),
            "user_id": self.cashier.id,
            "to_invoice": False,
            "state": "paid",
        }

    def sell(self, member, amount, qty=1):
        """A kasbon sale of ``amount`` as the till syncs it; returns the order."""
        vals = self._order(
            member.partner_id, [(self.kasbon_method, amount)], qty=qty, price=amount / qty
        )
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        return PosOrder.browse(PosOrder._process_order(vals, False)).with_env(self.env)

    def refund(self, order, amount):
        """Refund ``amount`` of ``order`` back to kasbon."""
        vals = self._order(
            order.partner_id,
            [(self.kasbon_method, -amount)],
            qty=-1,
            price=amount,
            refunded_lines=order.lines,
        )
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        return PosOrder.browse(PosOrder._process_order(vals, False)).with_env(self.env)

    def make_overdue(self, kasbons, days=5):
        kopdes_system(kasbons, KASBON_POSTING).write(
            {"due_date": self.today - timedelta(days=days)}
        )

    def kasbon_gl(self, partner):
        """Debit balance of the kasbon receivable of ``partner`` in the general ledger."""
        return -self.gl_balance(self.kasbon_account, partner)
