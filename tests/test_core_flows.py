"""Cross-addon: Odoo's own flows keep working with KopDes installed. A cooperative with several
shops is one company with branches (Odoo 18 branches share the root's chart of accounts), and
the warehouse, pharmacy and purchase staff are plain Odoo users outside the Koperasi groups."""

from datetime import date

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.kopdes_financing.models.account_chart_template import FINANCING_ACCOUNTS
from odoo.addons.kopdes_financing.tests.common import KopdesFinancingCommon
from odoo.addons.kopdes_savings.models.account_chart_template import SAVINGS_ACCOUNTS


@tagged("post_install", "-at_install")
class TestCoreFlows(KopdesFinancingCommon):
    def _accounts(self, company):
        return self.env["account.account"].search([("company_ids", "in", company.id)])

    def _branch(self, parent, name):
        branch = self.env["res.company"].create({"name": name, "parent_id": parent.id})
        self.env.user.company_ids = [Command.link(branch.id)]
        self.env.cr.precommit.run()  # Odoo loads the root's chart on a branch before commit
        return branch

    def _invoicing_user(self, company, login):
        return new_test_user(
            self.env,
            login=login,
            groups="account.group_account_invoice,base.group_partner_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def _post_and_open_invoice(self, company, login):
        """A plain invoicing user creates, posts and opens a customer invoice."""
        user = self._invoicing_user(company, login)
        env = self.env(user=user, context={"allowed_company_ids": company.ids})
        customer = env["res.partner"].create({"name": f"Pelanggan {login}"})
        with Form(env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = customer
            form.invoice_date = date(2025, 3, 1)
            with form.invoice_line_ids.new() as line:
                line.name = "Beras 5 kg"
                line.price_unit = 72500
        invoice = form.save()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.company_id, company)
        self.assertEqual(invoice.amount_untaxed, 72500)
        # opening it computes every field of the form, the savings smart button included
        opened = Form(env["account.move"].browse(invoice.id))
        self.assertEqual(opened.partner_id, customer)
        self.assertEqual(invoice.kopdes_savings_transaction_count, 0)
        return invoice

    def _assert_branch_shares_the_root(self, root):
        accounts = self._accounts(root)
        journals = self.env["account.journal"].search([("company_id", "=", root.id)])
        branch = self._branch(root, f"{root.name} - Gerai 2")
        self.assertEqual(branch.chart_template, root.chart_template)
        self.assertEqual(self._accounts(root), accounts, "no account made for the branch")
        self.assertFalse(self._accounts(branch) - accounts)
        self.assertFalse(
            self.env["account.journal"].search(
                [("code", "in", ("SMPN", "PMB")), ("company_id", "=", branch.id)]
            )
        )
        self.assertEqual(
            self.env["account.journal"].search([("company_id", "=", root.id)]), journals
        )
        self.assertEqual(branch.kopdes_savings_journal_id, root.kopdes_savings_journal_id)
        self.assertEqual(branch.kopdes_loan_journal_id, root.kopdes_loan_journal_id)
        for xmlid in FINANCING_ACCOUNTS:
            field = f"{xmlid}_account_id"
            self.assertTrue(branch[field], field)
            self.assertEqual(branch[field], root[field], field)
        products = self.env["kopdes.savings.product"].search([("company_id", "=", branch.id)])
        self.assertEqual(len(products), 4)
        root_products = self.env["kopdes.savings.product"].search([("company_id", "=", root.id)])
        self.assertEqual(products.account_id, root_products.account_id)
        return branch

    def test_branch_of_an_indonesian_cooperative(self):
        branch = self._assert_branch_shares_the_root(self.company)
        self.assertEqual(self.company.chart_template, "id")
        self._post_and_open_invoice(branch, "kasir_cabang_id")
        self._post_and_open_invoice(self.company, "kasir_pusat_id")

    def test_branch_of_a_generic_chart_company(self):
        company = self._create_cooperative("KKMP Generik", chart_template="generic_coa")
        ChartTemplate = self.env["account.chart.template"].with_company(company)
        for xmlid in (*SAVINGS_ACCOUNTS, *FINANCING_ACCOUNTS):
            self.assertEqual(len(ChartTemplate.ref(xmlid).with_company(company).code), 6, xmlid)
        principal = company.kopdes_loan_principal_account_id.with_company(company)
        self.assertEqual(principal.code, "112310")
        branch = self._assert_branch_shares_the_root(company)
        self._post_and_open_invoice(branch, "kasir_cabang_generik")

    def test_savings_button_follows_access(self):
        transaction = self.deposit(self.member_a, "sukarela", 150_000, day=date(2025, 3, 1))
        move = transaction.move_id
        self.assertTrue(move)
        self.assertEqual(move.with_user(self.user_akuntan).kopdes_savings_transaction_count, 1)
        plain = self._invoicing_user(self.company, "akuntan_biasa")
        self.assertEqual(move.with_user(plain).kopdes_savings_transaction_count, 0)
        arch = self.env["account.move"].with_user(plain).get_view(view_type="form")["arch"]
        self.assertNotIn("action_view_kopdes_savings_transactions", arch)
        arch = self.env["account.move"].with_user(self.user_akuntan).get_view(view_type="form")
        self.assertIn("action_view_kopdes_savings_transactions", arch["arch"])

    def test_financing_chart_loaded_before_the_addon(self):
        """The install step of kopdes_financing on a chart loaded before it: the accounts an
        earlier version made are adopted, missing ones are made, the company fields filled."""
        company = self._create_cooperative("KKMP Lama", chart_template="generic_coa")
        ChartTemplate = self.env["account.chart.template"].with_company(company)
        principal = company.kopdes_loan_principal_account_id
        xmlids = self.env["ir.model.data"].search(
            [("module", "=", "account"), ("name", "=like", f"{company.id}_kopdes_loan%")]
        )
        self.assertEqual(len(xmlids), len(FINANCING_ACCOUNTS) + 1)  # and the journal
        xmlids.unlink()
        # the provision accounts were never made, the company fields never set
        (
            company.kopdes_loan_provision_account_id
            | company.kopdes_loan_provision_expense_account_id
        ).unlink()
        company.write({f"{xmlid}_account_id": False for xmlid in FINANCING_ACCOUNTS})
        accounts = self._accounts(company)
        self.env["res.company"]._kopdes_financing_setup_all()
        self.assertEqual(company.kopdes_loan_principal_account_id, principal)
        self.assertEqual(ChartTemplate.ref("kopdes_loan_principal"), principal)
        self.assertEqual(len(self._accounts(company) - accounts), 2)
        provision = company.kopdes_loan_provision_account_id.with_company(company)
        self.assertEqual(provision.code, "112390")
        self.assertEqual(provision.name, "Penyisihan Penghapusan Pinjaman (PPAP)")
        for xmlid in FINANCING_ACCOUNTS:
            self.assertEqual(company[f"{xmlid}_account_id"], ChartTemplate.ref(xmlid), xmlid)
        self.assertEqual(company.kopdes_loan_journal_id.code, "PMB")
