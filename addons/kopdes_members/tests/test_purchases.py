"""Purchases per member: every POS order of a member is linked to the membership (online,
offline, refunds), product categories carry a shop category, and ``_kopdes_purchases``
returns what the order lines say, in one query."""

import uuid
from collections import defaultdict
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from .common import make_nik

# UTC times of orders: 16:30 UTC is 23:30 in Jakarta, 17:30 UTC is 00:30 the next day
ORDER_TIMES = (
    datetime(2025, 1, 31, 16, 30),
    datetime(2025, 1, 31, 17, 30),
    datetime(2025, 2, 14, 3, 0),
    datetime(2025, 2, 28, 18, 0),
    datetime(2025, 3, 1, 1, 0),
)
LINE = st.tuples(
    st.integers(min_value=0, max_value=2),  # product
    st.integers(min_value=1, max_value=4),  # quantity
    st.integers(min_value=1, max_value=40).map(lambda n: n * 1250.0),  # unit price
)
ORDER = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=0, max_value=3),  # 3: a customer who is no member
        "when": st.sampled_from(ORDER_TIMES),
        "lines": st.lists(LINE, min_size=1, max_size=3),
        "cash_share": st.sampled_from([1.0, 0.0, 0.5, 0.3]),  # the rest paid by bank
        "refund": st.sampled_from([None, None, "partial", "all"]),
        "refund_customer": st.booleans(),  # the refund names the customer, or not
    }
)


@tagged("post_install", "-at_install")
class TestPurchases(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the main company with its chart (loading a chart for a new company takes long);
        # the test's own members and point of sale keep its figures apart
        cls.company = cls.env.ref("base.main_company")
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.company.partner_id.tz = "Asia/Jakarta"
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.other_company = cls.env["res.company"].create({"name": "KKMP Uji Lain"})
        Member = cls.env["kopdes.member"]
        cls.members = Member.create(
            [
                {
                    "name": f"Anggota Belanja {n}",
                    "nik": make_nik(7100 + n),
                    "company_id": cls.company.id,
                    "state": "active",
                }
                for n in range(3)
            ]
        )
        # the first member is also a member of another cooperative
        cls.other_membership = Member.create(
            {
                "name": "Anggota Belanja 0",
                "nik": cls.members[0].nik,
                "partner_id": cls.members[0].partner_id.id,
                "company_id": cls.other_company.id,
                "state": "active",
            }
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Pembeli Umum"})
        Category = cls.env["product.category"]
        cls.cat_groceries = Category.create(
            {"name": "Sembako Uji", "kopdes_shop_category": "groceries"}
        )
        cls.cat_rice = Category.create({"name": "Beras Uji", "parent_id": cls.cat_groceries.id})
        cls.cat_pharmacy = Category.create({"name": "Obat Uji", "kopdes_shop_category": "pharmacy"})
        cls.cat_plain = Category.create({"name": "Lain-lain Uji"})
        cls.products = cls.env["product.product"].create(
            [
                {"name": name, "categ_id": categ.id, "available_in_pos": True, "taxes_id": []}
                for name, categ in (
                    ("Beras Uji", cls.cat_rice),
                    ("Paracetamol Uji", cls.cat_pharmacy),
                    ("Sapu Uji", cls.cat_plain),
                )
            ]
        )
        journals = cls.env["account.journal"].search([("company_id", "=", cls.company.id)])
        cls.cash = cls.env["pos.payment.method"].create(
            {
                "name": "Tunai Uji",
                "company_id": cls.company.id,
                "journal_id": journals.filtered(lambda j: j.type == "cash")[:1].id,
            }
        )
        cls.bank = cls.env["pos.payment.method"].create(
            {
                "name": "Bank Uji",
                "company_id": cls.company.id,
                "journal_id": journals.filtered(lambda j: j.type == "bank")[:1].id,
            }
        )
        cls.config = cls.env["pos.config"].create(
            {
                "name": "Gerai Uji Belanja",
                "company_id": cls.company.id,
                "payment_method_ids": [Command.set((cls.cash | cls.bank).ids)],
            }
        )
        cls.cashier = new_test_user(
            cls.env,
            login="belanja_kasir",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.config.with_user(cls.cashier).open_ui()
        cls.session = cls.config.current_session_id
        cls.customers = [*cls.members.partner_id, cls.stranger]

    # ------------------------------------------------------------ helpers

    def _order_vals(self, partner, lines, when, cash_share=1.0, refunded_lines=None):
        """An order as the POS sends it (offline orders sync the same way)."""
        line_vals = []
        total = 0.0
        for index, (product_index, qty, price) in enumerate(lines):
            product = self.products[product_index]
            subtotal = price * qty
            # a price-included 11 % PPN on groceries, so untaxed differs from total
            untaxed = round(subtotal / 1.11) if product_index == 0 else subtotal
            total += subtotal
            vals = {
                "product_id": product.id,
                "price_unit": price,
                "qty": qty,
                "price_subtotal": untaxed,
                "price_subtotal_incl": subtotal,
                "tax_ids": [Command.clear()],
                "pack_lot_ids": [],
            }
            if refunded_lines:
                vals["refunded_orderline_id"] = refunded_lines[index].id
            line_vals.append(Command.create(vals))
        cash = round(total * cash_share)
        payments = [(self.cash, cash), (self.bank, total - cash)]
        if cash_share == 1.0:
            # the customer gives a round note and gets change back
            payments = [(self.cash, total + 5000), (self.cash, -5000)]
        return {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(when),
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": f"Order {uuid.uuid4()}",
            "last_order_preparation_change": "{}",
            "lines": line_vals,
            "partner_id": partner.id if partner else False,
            "session_id": self.session.id,
            "sequence_number": 2,
            "payment_ids": [
                Command.create(
                    {
                        "amount": amount,
                        "name": fields.Datetime.now(),
                        "payment_method_id": method.id,
                        "is_change": amount < 0 and cash_share == 1.0,
                    }
                )
                for method, amount in payments
                if amount
            ],
            "uuid": str(uuid.uuid4()),
            "user_id": self.cashier.id,
            "to_invoice": False,
            "state": "paid",
        }

    def _sync(self, vals, fast=False):
        """Sync an order as the POS does; ``fast``: through ``_process_order``, the part of
        ``sync_from_ui`` that creates the order, without building the reply to the POS."""
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        if fast:
            return PosOrder.browse(PosOrder._process_order(vals, False))
        result = PosOrder.sync_from_ui([vals])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def _refund(self, order, partial, with_customer, when, fast=False):
        lines = order.lines[:1] if partial else order.lines
        refund_lines = [
            (self.products.ids.index(line.product_id.id), -line.qty, line.price_unit)
            for line in lines
        ]
        return self._sync(
            self._order_vals(
                order.partner_id if with_customer else None,
                refund_lines,
                when,
                refunded_lines=lines,
            ),
            fast=fast,
        )

    # ------------------------------------------------------------ linking

    def test_orders_are_linked_to_the_member(self):
        member = self.members[0]
        order = self._sync(self._order_vals(member.partner_id, [(0, 2, 10000.0)], ORDER_TIMES[0]))
        self.assertEqual(order.member_id, member, "the membership in the order's cooperative")
        stranger = self._sync(self._order_vals(self.stranger, [(2, 1, 5000.0)], ORDER_TIMES[0]))
        self.assertFalse(stranger.member_id)
        # a refund without a customer carries the member of the order it refunds
        refund = self._refund(order, partial=False, with_customer=False, when=ORDER_TIMES[2])
        self.assertFalse(refund.partner_id)
        self.assertEqual(refund.member_id, member)
        # the refund made from the back office (pos.order.refund) too
        back_office = order._refund()
        self.assertEqual(back_office.member_id, member)
        # the customer chosen later
        later = self._sync(self._order_vals(None, [(1, 1, 2500.0)], ORDER_TIMES[1]))
        self.assertFalse(later.member_id)
        later.partner_id = self.members[1].partner_id
        self.assertEqual(later.member_id, self.members[1])

    def test_a_customer_who_joins_later(self):
        order = self._sync(self._order_vals(self.stranger, [(2, 1, 5000.0)], ORDER_TIMES[0]))
        self.assertFalse(order.member_id)
        member = self.env["kopdes.member"].create(
            {
                "name": self.stranger.name,
                "nik": make_nik(7190),
                "partner_id": self.stranger.id,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(order.member_id, member)

    def test_one_membership_per_person_and_cooperative(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["kopdes.member"].create(
                    {
                        "name": "Anggota Belanja 0",
                        "nik": make_nik(7191),
                        "partner_id": self.members[0].partner_id.id,
                        "company_id": self.company.id,
                    }
                )

    def test_shop_category_inherits_from_the_nearest_parent(self):
        self.assertEqual(self.cat_rice.kopdes_shop_category, "groceries")
        self.assertEqual(self.cat_plain.kopdes_shop_category, "other")
        self.cat_groceries.kopdes_shop_category = "farm_inputs"
        self.assertEqual(self.cat_rice.kopdes_shop_category, "farm_inputs")
        # a category with its own value keeps it when its parent changes
        self.cat_rice.kopdes_shop_category = "pharmacy"
        self.cat_groceries.kopdes_shop_category = "groceries"
        self.assertEqual(self.cat_rice.kopdes_shop_category, "pharmacy")

    # ------------------------------------------------------------ the API

    def test_purchases_by_month_category_and_method(self):
        member = self.members[1]
        # 23:30 in Jakarta on 31 January, and 00:30 on 1 February
        self._sync(self._order_vals(member.partner_id, [(0, 1, 11100.0)], ORDER_TIMES[0]))
        self._sync(
            self._order_vals(
                member.partner_id, [(1, 2, 5000.0), (2, 1, 10000.0)], ORDER_TIMES[1], 0.5
            )
        )
        API = self.env["kopdes.member"]._kopdes_purchases
        rows = API(date(2025, 1, 1), date(2025, 2, 28), self.company, member)
        self.assertEqual(
            rows,
            [
                {
                    "member_id": member.id,
                    "amount_total": 31100.0,
                    "amount_untaxed": 30000.0,
                    "order_count": 2,
                    "refund_count": 0,
                }
            ],
        )
        rows = API(
            date(2025, 1, 1),
            date(2025, 2, 28),
            self.company,
            member,
            groupby=("member", "month", "category", "payment_method_id"),
        )
        got = {(r["month"], r["category"], r["payment_method_id"]): r["amount_total"] for r in rows}
        self.assertEqual(
            got,
            {
                (date(2025, 1, 1), "groceries", self.cash.id): 11100.0,
                (date(2025, 2, 1), "pharmacy", self.cash.id): 5000.0,
                (date(2025, 2, 1), "pharmacy", self.bank.id): 5000.0,
                (date(2025, 2, 1), "other", self.cash.id): 5000.0,
                (date(2025, 2, 1), "other", self.bank.id): 5000.0,
            },
        )
        # the period is read in the cooperative's time zone: 1 February only
        rows = API(date(2025, 2, 1), date(2025, 2, 1), self.company, member)
        self.assertEqual(rows[0]["amount_total"], 20000.0)
        with self.assertRaises(UserError):
            API(date(2025, 1, 1), date(2025, 1, 31), self.company, groupby=("product",))

    def test_one_query_whatever_the_number_of_members(self):
        for member in self.members:
            self._sync(self._order_vals(member.partner_id, [(0, 1, 5000.0)], ORDER_TIMES[2]))
        self.env.flush_all()
        groupby = ("member", "month", "category", "payment_method_id")
        with self.assertQueryCount(1):
            rows = self.env["kopdes.member"]._kopdes_purchases(
                date(2025, 1, 1), date(2025, 3, 31), self.company, groupby=groupby
            )
        mine = [row for row in rows if row["member_id"] in self.members.ids]
        self.assertEqual(len(mine), 3)

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(orders=st.lists(ORDER, min_size=1, max_size=5))
    def test_purchases_match_the_order_lines(self, orders):
        with self.env.cr.savepoint() as savepoint:
            for spec in orders:
                order = self._sync(
                    self._order_vals(
                        self.customers[spec["customer"]],
                        spec["lines"],
                        spec["when"],
                        spec["cash_share"],
                    ),
                    fast=True,
                )
                if spec["refund"]:
                    self._refund(
                        order,
                        spec["refund"] == "partial",
                        spec["refund_customer"],
                        ORDER_TIMES[-1],
                        fast=True,
                    )
            self._check_against_lines()
            savepoint.close(rollback=True)

    def _check_against_lines(self):
        """The API's totals against the POS order lines read through the ORM."""
        tz_dates = {
            when: fields.Datetime.context_timestamp(
                self.env["pos.order"].with_context(tz="Asia/Jakarta"), when
            ).date()
            for when in ORDER_TIMES
        }
        orders = self.env["pos.order"].search(
            [("session_id", "=", self.session.id), ("state", "in", ("paid", "done", "invoiced"))]
        )
        expected = defaultdict(lambda: [0.0, 0.0, set(), set()])
        by_key = defaultdict(float)
        for order in orders:
            member = order.member_id
            if not member:
                continue
            self.assertIn(member, self.members)
            local = tz_dates[order.date_order]
            month = local.replace(day=1)
            paid = defaultdict(float)
            for payment in order.payment_ids:
                paid[payment.payment_method_id.id] += payment.amount
            for line in order.lines:
                totals = expected[member.id]
                totals[0] += line.price_subtotal_incl
                totals[1] += line.price_subtotal
                (totals[3] if order.amount_total < 0 else totals[2]).add(order.id)
                category = line.product_id.categ_id.kopdes_shop_category or "other"
                for method_id, amount in paid.items():
                    share = amount / order.amount_paid
                    by_key[(member.id, month, category, method_id)] += (
                        line.price_subtotal_incl * share
                    )
        API = self.env["kopdes.member"]._kopdes_purchases
        rows = API(date(2025, 1, 1), date(2025, 3, 31), self.company, self.members)
        got = {
            r["member_id"]: [
                r["amount_total"],
                r["amount_untaxed"],
                r["order_count"],
                r["refund_count"],
            ]
            for r in rows
        }
        want = {member_id: [t[0], t[1], len(t[2]), len(t[3])] for member_id, t in expected.items()}
        self.assertEqual(got, want)
        rows = API(
            date(2025, 1, 1),
            date(2025, 3, 31),
            self.company,
            self.members,
            groupby=("member", "month", "category", "payment_method_id"),
        )
        got = {
            (r["member_id"], r["month"], r["category"], r["payment_method_id"]): r["amount_total"]
            for r in rows
            if r["amount_total"]
        }
        want = {key: round(value) for key, value in by_key.items() if round(value)}
        self.assertEqual(got.keys(), want.keys())
        for key, value in want.items():
            self.assertAlmostEqual(got[key], value, delta=1.0)
