import random
from datetime import date, datetime, time, timedelta

from odoo import api, fields, models

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

# the demo shop's customers who are not members (walk-in buyers)
DEMO_WALK_IN_SHARE = 0.35


class KopdesShuDistribution(models.Model):
    _inherit = "kopdes.shu.distribution"

    @api.model
    def _kopdes_shu_demo(self, company_ids, pos_config_xmlid=None):
        """Demo data, clearly generated (seeded): a year of shop sales at the demo POS to
        members and to walk-in buyers (with a few refunds), the monthly summary entry of
        those sales in the ledger (the demo shop session is not closed), the year's SHU
        rule approved and its distribution computed (preview)."""
        config = pos_config_xmlid and self.env.ref(pos_config_xmlid, raise_if_not_found=False)
        for company in self.env["res.company"].browse(company_ids):
            company._kopdes_shu_setup()
            env = self.env(
                context=dict(
                    self.env.context, tracking_disable=True, allowed_company_ids=company.ids
                )
            )
            year = kopdes_today(env, company).year
            if config and config.company_id == company:
                self.with_env(env)._kopdes_shu_demo_sales(company, config, year)
            rule = (
                env["kopdes.shu.rule"]
                .sudo()
                .create(
                    {
                        "company_id": company.id,
                        "fiscal_year": year,
                        "capital_includes_sukarela": False,
                        "leaver_payout": "cash",
                        "approval_date": kopdes_today(env, company),
                        "minutes_ref": f"DEMO/RAT/{year}/01",
                        "note": "Aturan contoh (data demo).",
                    }
                )
            )
            rule.action_approve()
            distribution = (
                env["kopdes.shu.distribution"]
                .sudo()
                .create({"company_id": company.id, "rule_id": rule.id})
            )
            distribution.action_compute()

    def _kopdes_shu_demo_sales(self, company, config, year):
        rng = random.Random(year)
        env = self.env
        today = kopdes_today(env, company)
        products = env["product.product"].search(
            [
                ("available_in_pos", "=", True),
                ("company_id", "in", (company.id, False)),
                ("list_price", ">", 0),
            ],
            order="id",
        )
        if not products:
            return
        # a session of their own, marked closed afterwards: the monthly summary entries below
        # book these sales, and the shop's next session starts empty
        session = (
            env["pos.session"]
            .sudo()
            .search([("config_id", "=", config.id), ("state", "!=", "closed")], limit=1)
        )
        own_session = not session
        if own_session:
            session = env["pos.session"].sudo().create({"config_id": config.id, "user_id": env.uid})
        members = env["kopdes.member"].search(
            [("company_id", "=", company.id), ("state", "in", ("active", "suspended"))],
            order="member_number",
        )
        vals_list, monthly = [], {}
        day = date(year, 1, 2)
        while day < today:
            for _n in range(rng.randint(3, 6)):
                member = (
                    False
                    if rng.random() < DEMO_WALK_IN_SHARE or not members
                    else members[rng.randrange(len(members))]
                )
                refund = rng.random() < 0.04
                lines, total, cost = [], 0.0, 0.0
                for product in rng.sample(list(products), k=min(len(products), rng.randint(1, 3))):
                    qty = rng.randint(1, 6) * (-1 if refund else 1)
                    subtotal = qty * product.lst_price
                    total += subtotal
                    cost += qty * product.standard_price
                    lines.append(
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "qty": qty,
                                "price_unit": product.lst_price,
                                "price_subtotal": subtotal,
                                "price_subtotal_incl": subtotal,
                                "full_product_name": product.display_name,
                            },
                        )
                    )
                when = datetime.combine(day, time(3 + rng.randint(0, 8), rng.randint(0, 59)))
                vals_list.append(
                    {
                        "session_id": session.id,
                        "company_id": company.id,
                        "partner_id": member.partner_id.id if member else False,
                        "date_order": when,
                        "lines": lines,
                        "amount_total": total,
                        "amount_tax": 0.0,
                        "amount_paid": total,
                        "amount_return": 0.0,
                        "state": "paid",
                    }
                )
                month = day.replace(day=1)
                sales, costs = monthly.get(month, (0.0, 0.0))
                monthly[month] = (sales + total, costs + cost)
                if member and "member_id" in env["pos.order"]._fields:
                    vals_list[-1]["member_id"] = member.id
            day += timedelta(days=rng.randint(1, 2))
        env["pos.order"].sudo().with_context(tracking_disable=True).create(vals_list)
        env.flush_all()
        if own_session:
            env.cr.execute(
                "UPDATE pos_session SET state = 'closed', stop_at = now() at time zone 'utc' "
                "WHERE id = %s",
                [session.id],
            )
            session.invalidate_recordset(["state", "stop_at"])
        # the ledger side of those sales, one summary entry per month
        journal = company._kopdes_savings_cash_journal()
        Account = env["account.account"].sudo().with_company(company)
        income = Account.search(
            [("company_ids", "in", company.id), ("account_type", "=", "income")],
            order="code",
            limit=1,
        )
        cost_account = Account.search(
            [("company_ids", "in", company.id), ("account_type", "=", "expense_direct_cost")],
            order="code",
            limit=1,
        )
        stock = Account.search(
            [("company_ids", "in", company.id), ("account_type", "=", "asset_current")],
            order="code",
            limit=1,
        )
        moves = []
        for month, (sales, costs) in sorted(monthly.items()):
            end = min(fields.Date.end_of(month, "month"), today)
            moves.append(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": end,
                    "ref": "Ringkasan penjualan gerai (data demo)",
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Penjualan gerai",
                                "account_id": journal.default_account_id.id,
                                "debit": sales,
                            },
                        ),
                        (
                            0,
                            0,
                            {"name": "Penjualan gerai", "account_id": income.id, "credit": sales},
                        ),
                        (
                            0,
                            0,
                            {"name": "HPP gerai", "account_id": cost_account.id, "debit": costs},
                        ),
                        (0, 0, {"name": "HPP gerai", "account_id": stock.id, "credit": costs}),
                    ],
                }
            )
        if moves and income and cost_account and stock:
            env["account.move"].sudo().create(moves)._post(soft=False)
