from odoo import api, fields, models

from .account_chart_template import BANK_ACCOUNTS


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_agent_settlement_account_id = fields.Many2one(
        "account.account",
        string="Bank Agent Settlement Account",
        check_company=True,
        help="What the partner banks owe the cooperative, or it owes them, for the cash-in "
        "and cash-out at its counter (one partner per bank).",
    )
    kopdes_agent_fee_account_id = fields.Many2one(
        "account.account",
        string="Bank Agent Commission Account",
        check_company=True,
    )
    kopdes_qris_journal_id = fields.Many2one(
        "account.journal",
        string="QRIS Journal at the Teller",
        domain="[('type', '=', 'bank')]",
        check_company=True,
        help="Bank journal of the account that receives QRIS payments at the teller; its bank "
        "account holds the QRIS merchant ID and API key from the QRIS provider.",
    )
    kopdes_qris_validity = fields.Integer(
        string="QRIS Code Validity (minutes)",
        default=30,
        help="A QRIS code not paid within this time expires and posts nothing.",
    )

    def _kopdes_bank_setup_all(self):
        """Install step: the bank agent accounts for companies whose chart was loaded
        before this addon."""
        self.env["account.chart.template"].sudo()._kopdes_load_missing_templates(
            self.sudo().search([]),
            BANK_ACCOUNTS,
            "_get_kopdes_bank_account_journal",
            "_get_kopdes_bank_res_company",
        )

    def _kopdes_qris_sequence(self):
        return self._kopdes_bank_sequence("kopdes.qris.payment", "QRIS/%(year)s/")

    def _kopdes_agent_sequence(self):
        return self._kopdes_bank_sequence("kopdes.agent.transaction", "AGEN/%(year)s/")

    def _kopdes_bank_sequence(self, code, prefix):
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search([("code", "=", code), ("company_id", "=", self.id)], limit=1)
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": f"{code} {self.name}",
                    "code": code,
                    "prefix": prefix,
                    "padding": 5,
                    "company_id": self.id,
                    "use_date_range": True,
                }
            )
        return sequence

    # ------------------------------------------------------------------ demo

    @api.model
    def _kopdes_bank_demo(self, company_ids, pos_config_xmlid=None):
        """Demo data: QRIS at the teller and in the shop, pointed at the local QRIS test
        provider that ``make run`` starts (http://127.0.0.1:8078/); two partner banks with a
        few days of cash-in and cash-out; a referral. The QRIS payments of the demo are made
        against the same test provider started here for the moment of the install, so they
        went through the real protocol."""
        from ..tools.fake_qris import FakeQrisProvider

        self._kopdes_bank_setup_all()  # the demo loads before the install step
        config = pos_config_xmlid and self.env.ref(pos_config_xmlid, raise_if_not_found=False)
        for company in self.browse(company_ids).with_context(tracking_disable=True):
            company = company.with_company(company)
            journal = company._kopdes_bank_demo_qris_journal()
            if config and config.company_id == company:
                method = company._kopdes_bank_demo_pos_method(journal)
                config.payment_method_ids = [(4, method.id)]
            banks = company._kopdes_bank_demo_agents()
            company._kopdes_bank_demo_agent_transactions(banks)
            company._kopdes_bank_demo_referral(banks[:1])
            provider = FakeQrisProvider().start()
            bank = journal.bank_account_id.sudo()
            demo_url = bank.kopdes_qris_api_url
            try:
                bank.kopdes_qris_api_url = provider.url
                company._kopdes_bank_demo_qris_payments(provider)
            finally:
                bank.kopdes_qris_api_url = demo_url
                provider.stop()

    def _kopdes_bank_demo_qris_journal(self):
        self.ensure_one()
        self.qr_code = True
        if not self.partner_id.country_id:
            self.partner_id.country_id = self.env.ref("base.id")
        Bank = self.env["res.partner.bank"].sudo()
        bank = Bank.create(
            {
                "acc_number": "0021-01-000777-30-9",
                "partner_id": self.partner_id.id,
                "company_id": self.id,
                "allow_out_payment": True,
                "l10n_id_qris_api_key": "demo-api-key",
                "l10n_id_qris_mid": "demo-mid",
                "kopdes_qris_api_url": "http://127.0.0.1:8078/",
            }
        )
        journal = (
            self.env["account.journal"]
            .sudo()
            .create(
                {
                    "name": "QRIS",
                    "code": "QRIS",
                    "type": "bank",
                    "company_id": self.id,
                    "bank_account_id": bank.id,
                }
            )
        )
        self.kopdes_qris_journal_id = journal
        return journal

    def _kopdes_bank_demo_pos_method(self, journal):
        return (
            self.env["pos.payment.method"]
            .sudo()
            .create(
                {
                    "name": "QRIS",
                    "company_id": self.id,
                    "journal_id": journal.id,
                    "payment_method_type": "qr_code",
                    "qr_code_method": "id_qr",
                }
            )
        )

    def _kopdes_bank_demo_agents(self):
        Partner = self.env["res.partner"].sudo()
        cash = self._kopdes_savings_cash_journal()
        banks = self.env["kopdes.agent.bank"]
        for name, code, fee_in, fee_out, partner_name in (
            ("BRILink", "BRILINK-SKD-01", 2000, 3000, "PT Bank Rakyat Indonesia (Persero) Tbk"),
            ("Agen46 BNI", "AGEN46-SKD-07", 1500, 2500, "PT Bank Negara Indonesia (Persero) Tbk"),
        ):
            partner = Partner.create({"name": partner_name, "is_company": True})
            banks |= banks.create(
                {
                    "name": name,
                    "company_id": self.id,
                    "partner_id": partner.id,
                    "agent_code": code,
                    "fee_cash_in": fee_in,
                    "fee_cash_out": fee_out,
                    "max_amount": 10000000,
                    "cash_journal_id": cash.id,
                }
            )
        return banks

    def _kopdes_bank_demo_agent_transactions(self, banks):
        """A dozen counter transactions of today (the entries are posted today)."""
        Transaction = self.env["kopdes.agent.transaction"]
        members = self.env["kopdes.member"].search(
            [("company_id", "=", self.id), ("state", "=", "active")], limit=4
        )
        rows = [
            ("cash_in", 500000, "Sutini", "3372019988776601"),
            ("cash_out", 250000, "Rohmat", "0091020033445502"),
            ("cash_in", 1500000, "Warung Bu Darmi", "3372019988001203"),
            ("cash_out", 1000000, "Slamet Riyadi", "0091020077665504"),
            ("cash_in", 200000, "Karyono", "3372019911223305"),
            ("cash_out", 750000, "Painem", "0091020055667706"),
        ]
        for index, (kind, amount, name, account) in enumerate(rows):
            tx = Transaction.create(
                {
                    "company_id": self.id,
                    "bank_id": banks[index % len(banks)].id,
                    "type": kind,
                    "amount": amount,
                    "customer_name": name,
                    "customer_account": account,
                    "member_id": members[index].id if index < len(members) else False,
                }
            )
            tx.action_post()
        Transaction.create(
            {
                "company_id": self.id,
                "bank_id": banks[0].id,
                "type": "cash_in",
                "amount": 300000,
                "customer_name": "Tukiman",
                "customer_account": "3372019900112207",
            }
        )

    def _kopdes_bank_demo_referral(self, bank):
        Consent = self.env["kopdes.consent"]
        consents = Consent.search(
            [
                ("member_id.company_id", "=", self.id),
                ("purpose", "=", "bank_sharing"),
                ("action", "=", "granted"),
            ]
        )
        member = consents.member_id.filtered(lambda m: m._kopdes_has_consent("bank_sharing"))[:1]
        if not member:
            member = self.env["kopdes.member"].search(
                [("company_id", "=", self.id), ("state", "=", "active")], limit=1
            )
            Consent.create(
                {
                    "member_id": member.id,
                    "purpose": "bank_sharing",
                    "action": "granted",
                    "channel": "office",
                }
            )
        referral = self.env["kopdes.bank.referral"].create(
            {
                "company_id": self.id,
                "member_id": member.id,
                "bank_id": bank.id,
                "product": "digital_account",
                "note": "Ingin membuka tabungan digital untuk menerima bantuan sosial.",
            }
        )
        referral.action_send()

    def _kopdes_bank_demo_qris_payments(self, provider):
        """A deposit paid by QRIS (confirmed by the provider, posted), one whose code expired
        (nothing posted) and one waiting at the counter."""
        members = self.env["kopdes.member"].search(
            [("company_id", "=", self.id), ("state", "=", "active")], order="member_number"
        )
        accounts = members.savings_account_ids.filtered(
            lambda a: a.kind == "sukarela" and a.state == "open"
        )[:3]
        Transaction = self.env["kopdes.savings.transaction"]
        payments = self.env["kopdes.qris.payment"]
        for account, amount in zip(accounts, (150000, 75000, 200000), strict=False):
            deposit = Transaction.create(
                {"account_id": account.id, "type": "deposit", "amount": amount, "ref": "QRIS"}
            )
            deposit.action_pay_qris()
            payments |= deposit.kopdes_qris_payment_ids
        if payments:
            provider.pay(payments[0].qris_invoice_id, customer="DEMO")
            payments[0].action_check()
        if len(payments) > 1:
            # the member never paid: past its validity the code expires, nothing is posted
            self.env.cr.execute(
                "UPDATE kopdes_qris_payment SET expires_at = now() at time zone 'utc' - "
                "interval '1 minute' WHERE id = %s",
                [payments[1].id],
            )
            payments[1].invalidate_recordset(["expires_at"])
            payments[1].action_check()
