from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanProduct(KopdesFinancingCommon):
    chart_template = "id"  # checks the codes of the Indonesian chart

    def test_defaults_from_the_cooperative(self):
        with Form(self.env["kopdes.loan.product"].with_user(self.user_pengurus)) as form:
            form.name = "Pinjaman Darurat"
            form.code = "PD"
            form.annual_rate = 12
        product = form.save()
        self.assertEqual(product.company_id, self.company)
        self.assertEqual(
            product.account_principal_id, self.company.kopdes_loan_principal_account_id
        )
        self.assertEqual(product.account_principal_id.code, "11230010")
        self.assertEqual(product.account_late_fee_id, self.company.kopdes_loan_late_fee_account_id)
        murabahah = self.env["kopdes.loan.product"].create(
            {"name": "Murabahah 2", "code": "M2", "method": "murabahah", "annual_rate": 10}
        )
        self.assertEqual(
            murabahah.account_late_fee_id, self.company.kopdes_loan_social_fund_account_id
        )
        self.assertEqual(
            murabahah.account_interest_income_id, self.company.kopdes_loan_margin_income_account_id
        )

    def test_out_of_range_settings_refused(self):
        cases = {
            "annual_rate": (-1, "between 0 and 100"),
            "min_term": (0, "1 <= minimum"),
            "max_term": (600, "1 <= minimum"),
            "grace_periods": (36, "grace installments"),
            "min_amount": (-5, "cannot be negative"),
            "admin_fee_value": (101, "cannot exceed 100"),
            "late_fee_value": (101, "cannot exceed 100"),
            "late_fee_grace_days": (-2, "cannot be negative"),
            "collateral_eligible_rate": (120, "between 0 and 100"),
        }
        for field_name, (value, message) in cases.items():
            with self.subTest(field=field_name), self.assertNothingChanged():
                with self.assertRaisesMessage(ValidationError, message):
                    self.flat.write({field_name: value})
        with self.assertRaisesMessage(ValidationError, "between 0 and 100 percent"):
            self.flat.annual_rate = 100.5
        with self.assertRaisesMessage(ValidationError, "above its maximum"):
            self.flat.write({"min_amount": 5_000_000, "max_amount": 1_000_000})

    def test_approval_limit_needs_one_holder(self):
        Limit = self.env["kopdes.loan.approval.limit"]
        with self.assertRaisesMessage(ValidationError, "exactly one"):
            Limit.create({"company_id": self.company.id, "max_amount": 10})
        with self.assertRaisesMessage(ValidationError, "exactly one"):
            Limit.create(
                {
                    "company_id": self.company.id,
                    "max_amount": 10,
                    "user_id": self.user_pengurus.id,
                    "group_id": self.env.ref("kopdes_members.group_kopdes_manager").id,
                }
            )
        with self.assertRaisesMessage(ValidationError, "greater than zero"):
            Limit.create(
                {"company_id": self.company.id, "max_amount": 0, "user_id": self.user_pengurus.id}
            )

    def test_collectability_classes_are_checked(self):
        classes = self.env["kopdes.loan.collectability"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(classes.mapped("min_days"), [0, 1, 91, 121, 181])
        self.assertEqual(classes.mapped("provision_rate"), [0.5, 3.0, 10.0, 50.0, 100.0])
        lancar = classes.filtered(lambda c: c.code == "1")
        with self.assertRaisesMessage(ValidationError, "start at 0 days"):
            lancar.min_days = 5
        with self.assertRaisesMessage(ValidationError, "between 0 and 100"):
            lancar.provision_rate = 150
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            with mute_logger("odoo.sql_db"):
                classes.filtered(lambda c: c.code == "3").min_days = 1
                self.env.flush_all()
