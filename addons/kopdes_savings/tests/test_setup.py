from odoo.tests import tagged

from .common import KopdesSavingsCommon


@tagged("post_install", "-at_install")
class TestSavingsSetup(KopdesSavingsCommon):
    chart_template = "id"  # checks the codes of the Indonesian chart

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
        self.env["res.company"]._kopdes_savings_setup_all()
        self.assertEqual(Account.search_count([("company_ids", "in", self.company.id)]), accounts)
        self.assertEqual(self.env["kopdes.savings.product"].search_count([]), products)
        # the accounts and the journal are the chart template's records
        ChartTemplate = self.env["account.chart.template"].with_company(self.company)
        self.assertEqual(self.wajib.account_id, ChartTemplate.ref("kopdes_savings_wajib"))
        self.assertEqual(self.wajib.account_id.with_company(self.company).code, "31400001")
        journal = ChartTemplate.ref("kopdes_savings")
        self.assertEqual(self.company.kopdes_savings_journal_id, journal)
        self.assertEqual(self.company.kopdes_savings_cash_journal_id, ChartTemplate.ref("cash"))
        # a code the chart (or the database) already uses is skipped
        specs = {"x": ("1111", 1, "Kas Lain", "asset_cash")}  # l10n_id has 11110001 (Cash)
        codes = ChartTemplate._kopdes_template_accounts("id", specs)
        self.assertEqual(codes["x"]["code"], "11110002")
        taken = ChartTemplate._kopdes_template_accounts("id", specs, taken=["11110002"])
        self.assertEqual(taken["x"]["code"], "11110003")
        self.assertEqual(
            ChartTemplate._kopdes_template_accounts("generic_coa", specs)["x"]["code"], "111101"
        )

    def test_chart_loaded_before_the_addon(self):
        """A company whose chart was loaded before kopdes_savings (or by an earlier version
        that made the accounts itself) gets the template records on install, adopting
        the accounts and journal it already has instead of duplicating them."""
        company = self.company
        Account = self.env["account.account"].with_company(company)
        count = Account.search_count([("company_ids", "in", company.id)])
        pokok = self.pokok.account_id
        journal = company.kopdes_savings_journal_id
        xmlids = self.env["ir.model.data"].search(
            [("module", "=", "account"), ("name", "=like", f"{company.id}_kopdes_savings%")]
        )
        self.assertEqual(len(xmlids), 7)  # six accounts and the journal
        xmlids.unlink()
        company.kopdes_savings_journal_id = False
        tax = company.kopdes_savings_pph_account_id
        company.kopdes_savings_pph_account_id = False
        interest = self.sukarela.interest_account_id
        self.env["res.company"]._kopdes_savings_setup_all()
        ChartTemplate = self.env["account.chart.template"].with_company(company)
        self.assertEqual(ChartTemplate.ref("kopdes_savings_pokok"), pokok)
        self.assertEqual(ChartTemplate.ref("kopdes_savings_interest"), interest)
        self.assertEqual(company.kopdes_savings_journal_id, journal)
        self.assertEqual(ChartTemplate.ref("kopdes_savings_pph"), tax)
        self.assertEqual(company.kopdes_savings_pph_account_id, tax)
        self.assertEqual(Account.search_count([("company_ids", "in", company.id)]), count)

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
