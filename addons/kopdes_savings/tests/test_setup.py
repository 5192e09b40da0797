from odoo.tests import tagged

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsSetup(KopdesSavingsCommon):
    def _check_setup(self, company):
        products = self.env["kopdes.savings.product"].search([("company_id", "=", company.id)])
        self.assertEqual(
            sorted(products.mapped("kind")), ["berjangka", "pokok", "sukarela", "wajib"]
        )
        by_kind = {product.kind: product for product in products}
        self.assertEqual(by_kind["pokok"].account_id.account_type, "equity")
        self.assertEqual(by_kind["wajib"].account_id.account_type, "equity")
        self.assertEqual(by_kind["sukarela"].account_id.account_type, "liability_current")
        self.assertEqual(by_kind["berjangka"].account_id.account_type, "liability_current")
        self.assertEqual(len(products.account_id), 4, "each product has its own account")
        self.assertEqual(by_kind["sukarela"].interest_account_id.account_type, "expense")
        self.assertEqual(by_kind["pokok"].withdrawal_policy, "exit")
        self.assertEqual(by_kind["wajib"].withdrawal_policy, "exit")
        self.assertEqual(by_kind["sukarela"].withdrawal_policy, "anytime")
        self.assertEqual(by_kind["berjangka"].withdrawal_policy, "maturity")
        self.assertEqual(by_kind["wajib"].period, "monthly")
        journal = company.kopdes_savings_journal_id
        self.assertEqual(journal.type, "general")
        self.assertEqual(products.journal_id, journal)
        self.assertIn(company.kopdes_savings_cash_journal_id.type, ("cash", "bank"))
        for account in products.account_id | products.interest_account_id:
            self.assertIn(company, account.company_ids)
        return by_kind

    def test_indonesian_chart(self):
        by_kind = self._check_setup(self.company)
        self.assertEqual(self.company.chart_template, "id")
        # codes follow the 8 digits of the Indonesian chart
        self.assertEqual(len(by_kind["pokok"].account_id.with_company(self.company).code), 8)
        self.assertEqual(by_kind["pokok"].amount, 100000.0)
        self.assertEqual(by_kind["wajib"].amount, 20000.0)

    def test_generic_chart_new_company(self):
        company = self._create_cooperative("KKMP Uji Generik", chart_template="generic_coa")
        by_kind = self._check_setup(company)
        code = by_kind["wajib"].account_id.with_company(company).code
        self.assertTrue(code.startswith("314"), code)
        self.assertEqual(len(code), 6)

    def test_setup_is_idempotent_and_respects_existing_codes(self):
        Account = self.env["account.account"].with_company(self.company)
        accounts = Account.search_count([("company_ids", "in", self.company.id)])
        products = self.env["kopdes.savings.product"].search_count([])
        self.company._kopdes_savings_setup()
        self.assertEqual(Account.search_count([("company_ids", "in", self.company.id)]), accounts)
        self.assertEqual(self.env["kopdes.savings.product"].search_count([]), products)
        # a code already taken by the chart is skipped
        company = self.env["res.company"].create({"name": "KKMP Kode Terpakai"})
        self.env.user.company_ids |= company
        self.env["account.chart.template"].try_loading("id", company=company, install_demo=False)
        wajib = self.env["kopdes.savings.product"].search(
            [("company_id", "=", company.id), ("kind", "=", "wajib")]
        )
        self.assertEqual(wajib.account_id.with_company(company).code, "31400001")
        taken = Account.with_company(company).create(
            {"name": "Taken", "code": "21700001", "account_type": "liability_current"}
        )
        new = company._kopdes_savings_new_account("217", "Simpanan Lain", "liability_current")
        self.assertNotEqual(new, taken)
        self.assertEqual(new.with_company(company).code, "21700002")

    def test_active_members_get_pokok_and_wajib_accounts(self):
        accounts = self.member_a.savings_account_ids
        self.assertEqual(sorted(accounts.mapped("kind")), ["pokok", "wajib"])
        self.assertEqual(set(accounts.mapped("balance")), {0.0})
        self.assertEqual(accounts.mapped("state"), ["open", "open"])
        self.assertTrue(
            all(a.name.endswith(self.member_a.member_number) for a in accounts),
            accounts.mapped("name"),
        )
        applicant = self._create_member(9150, "Calon Anggota", state="applicant")
        self.assertFalse(applicant.savings_account_ids)
        applicant.action_approve()
        self.assertEqual(sorted(applicant.savings_account_ids.mapped("kind")), ["pokok", "wajib"])
        # opening again does not duplicate
        applicant._kopdes_savings_open_accounts()
        self.assertEqual(len(applicant.savings_account_ids), 2)
