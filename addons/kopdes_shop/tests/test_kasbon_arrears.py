from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon

from .common import KopdesShopCommon


@tagged("post_install", "-at_install")
class TestKasbonArrears(KopdesShopCommon, KopdesFinancingCommon):
    """Overdue kasbon at the shop is arrears: a new loan is blocked like after an overdue
    installment, until a manager overrides it with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.kopdes_loan_block_overdue = True

    def test_overdue_kasbon_blocks_a_new_loan(self):
        order = self.sell(self.member_a, 20000)
        loan = self.make_loan(self.member_a, day=self.today)
        # kasbon not yet due: no arrears
        self.assertFalse(loan.member_overdue)
        self.make_overdue(order.kopdes_kasbon_ids)
        loan.invalidate_recordset(["member_overdue"])
        self.assertTrue(loan.member_overdue)
        self.assertEqual(
            self.env["kopdes.member"]._kopdes_members_kasbon_overdue(self.today).ids, []
        )
        members = self.member_a | self.member_b
        self.assertEqual(members._kopdes_members_kasbon_overdue(self.today), self.member_a)
        with self.assertRaisesMessage(UserError, "overdue kasbon at the shop"):
            loan.with_user(self.user_officer).action_submit()
        self.assertEqual(loan.state, "draft")
        # another member is not concerned
        other = self.make_loan(self.member_b, day=self.today)
        self.assertFalse(other.member_overdue)
        other.with_user(self.user_officer).action_submit()
        self.assertEqual(other.state, "submitted")
        # the manager's override lifts the block
        loan.with_user(self.user_pengurus).action_override_overdue("Kasbon dijamin simpanan")
        loan.with_user(self.user_officer).action_submit()
        self.assertEqual(loan.state, "submitted")
