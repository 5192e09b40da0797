import random
from datetime import timedelta

from odoo import api, fields, models

from ..tools import periods


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _kopdes_savings_demo(self, company_ids, pos_config_xmlid=None):
        """Demo data: a year of savings for the active members of the demo cooperatives.

        Deterministic (seeded): pokok on joining, wajib every month with a few members in
        arrears, sukarela deposits and withdrawals, two time deposits, a corrected mistake,
        the month-end interest of each finished month and one large withdrawal waiting for
        approval. Also adds the "Simpanan Sukarela" payment method to the demo shop.
        """
        companies = self.browse(company_ids).with_context(tracking_disable=True)
        for company in companies:
            company._kopdes_savings_setup()
            if not self.env["kopdes.savings.product"].search_count(
                [("company_id", "=", company.id)]
            ):
                continue
            company.with_company(company)._kopdes_savings_demo_history()
        config = pos_config_xmlid and self.env.ref(pos_config_xmlid, raise_if_not_found=False)
        if config:
            method = config.company_id._kopdes_savings_pos_payment_method()
            config.payment_method_ids = [(4, method.id)]

    def _kopdes_savings_demo_history(self):
        self.ensure_one()
        rng = random.Random(2026)
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.ids))
        today = fields.Date.context_today(env["kopdes.savings.transaction"])
        first = periods.add_months(periods.period_start(today), -11)
        Member = env["kopdes.member"]
        members = Member.search(
            [("company_id", "=", self.id), ("state", "=", "active")],
            order="member_number",
        )
        members._kopdes_savings_open_accounts()
        Due = env["kopdes.savings.due"]
        months = periods.periods_between(first, today)
        for month in months:
            Due._kopdes_generate(self, month)
        wajib_product = env["kopdes.savings.product"].search(
            [("company_id", "=", self.id), ("kind", "=", "wajib")], limit=1
        )
        late_payers = set(members[3::7].ids)  # a few members stopped paying a while ago
        for member in members:
            start = max(member.join_date or first, first)
            pokok = member._kopdes_savings_account("pokok")
            if not pokok:
                continue
            pokok_account_start = max(start, pokok.open_date)
            pokok._kopdes_deposit(pokok.product_id.amount, date=pokok_account_start)
            wajib = member._kopdes_savings_account("wajib")
            for month in months:
                day = max(month + timedelta(days=rng.randint(0, 9)), wajib.open_date)
                if day > today or day < start:
                    continue
                if member.id in late_payers and month >= periods.add_months(
                    periods.period_start(today), -rng.randint(2, 4)
                ):
                    continue
                wajib._kopdes_deposit(wajib_product.amount, date=day, ref="Setoran bulanan")
            if rng.random() < 0.7 or member.member_number in ("AGT-00001",):
                sukarela = member._kopdes_savings_account("sukarela", create=True, open_date=start)
                balance = 0.0
                day = start
                while True:
                    day += timedelta(days=rng.randint(12, 45))
                    if day > today:
                        break
                    if balance > 100000 and rng.random() < 0.35:
                        amount = rng.randint(1, int(balance * 0.6) // 5000 + 1) * 5000
                        amount = min(amount, balance)
                        sukarela._kopdes_withdraw(amount, date=day, ref="Penarikan tunai")
                        balance -= amount
                    else:
                        amount = rng.choice((50000, 100000, 150000, 250000, 500000))
                        sukarela._kopdes_deposit(amount, date=day, ref="Setoran tunai")
                        balance += amount
        # two time deposits and a teller's mistake, corrected by a reversal
        for member in members[1:3]:
            opened = periods.add_months(today, -5)
            if member.join_date and member.join_date > opened:
                continue
            deposit = member._kopdes_savings_account("berjangka", create=True, open_date=opened)
            deposit._kopdes_deposit(5000000, date=opened, ref="Deposito 12 bulan")
        sukarela = members[:1]._kopdes_savings_account("sukarela")
        if sukarela:
            mistake = sukarela._kopdes_deposit(
                1000000, date=today - timedelta(days=3), ref="Salah ketik: 100.000"
            )
            mistake.action_reverse(reason="Setoran sebenarnya Rp 100.000")
            sukarela._kopdes_deposit(100000, date=today - timedelta(days=3), ref="Setoran tunai")
        # month-end interest of every finished month, in order
        Batch = env["kopdes.savings.interest.batch"]
        for month in months[:-1]:
            Batch._kopdes_run(self, month)
        # a large withdrawal waiting for a manager
        self.kopdes_savings_approval_limit = 1000000
        richest = env["kopdes.savings.account"].search(
            [("company_id", "=", self.id), ("kind", "=", "sukarela"), ("balance", ">=", 1100000)],
            order="balance desc",
            limit=1,
        )
        if richest:
            request = env["kopdes.savings.transaction"].create(
                {
                    "account_id": richest.id,
                    "type": "withdrawal",
                    "amount": 1100000,
                    "ref": "Biaya sekolah anak",
                }
            )
            request._kopdes_check_posting()
            request.with_context(kopdes_savings_posting=True).write({"state": "to_approve"})
            request._kopdes_request_approval()
