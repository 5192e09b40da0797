import base64
import io
from datetime import date

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

from ..models.kopdes_shu_distribution import PNL_TYPES

# balance-sheet sections: (title, account types, sign) — sign 1 shows debit balances
ASSET_TYPES = (
    "asset_receivable",
    "asset_cash",
    "asset_current",
    "asset_non_current",
    "asset_prepayments",
    "asset_fixed",
)
LIABILITY_TYPES = (
    "liability_payable",
    "liability_credit_card",
    "liability_current",
    "liability_non_current",
)
EQUITY_TYPES = ("equity", "equity_unaffected")
NPL_MIN_DAYS = 90


class KopdesRatReportWizard(models.TransientModel):
    """The RAT report pack and the bank portfolio pack of one fiscal year, from the
    ledger and the subledgers, with the previous year beside it: PDF and xlsx."""

    _name = "kopdes.rat.report.wizard"
    _description = "RAT Report Pack"

    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    fiscal_year = fields.Integer(
        required=True, default=lambda self: kopdes_today(self.env).year - 1
    )
    pack = fields.Selection(
        [("rat", "RAT Report Pack"), ("bank", "Bank Portfolio Pack")],
        default="rat",
        required=True,
    )
    xlsx_file = fields.Binary(readonly=True, attachment=False)
    xlsx_name = fields.Char(readonly=True)

    # ------------------------------------------------------------------ actions

    def action_print(self):
        self._kopdes_check_access()
        return self.env.ref("kopdes_shu.action_report_rat_pack").report_action(self)

    def action_export_xlsx(self):
        self._kopdes_check_access()
        self.ensure_one()
        self.xlsx_file = base64.b64encode(self._kopdes_xlsx())
        self.xlsx_name = (
            f"laporan_rat_{self.fiscal_year}.xlsx"
            if self.pack == "rat"
            else f"portofolio_bank_{self.fiscal_year}.xlsx"
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/{self.xlsx_name}?download=true",
            "target": "self",
        }

    def _kopdes_check_access(self):
        self.env["kopdes.shu.distribution"]._kopdes_check_run()

    # ------------------------------------------------------------------ data

    def _kopdes_years(self):
        start = date(self.fiscal_year, 1, 1)
        end = date(self.fiscal_year, 12, 31)
        return (start, end), (start - relativedelta(years=1), end - relativedelta(years=1))

    def _kopdes_account_balances(self, date_from, date_to, types):
        """``{account: balance}`` of posted lines of ``types`` (one query); ``date_from``
        None means from the beginning."""
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.account_id, SUM(l.balance)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
                   AND l.date <= %(end)s AND (%(start)s::date IS NULL OR l.date >= %(start)s)
                   AND a.account_type = ANY(%(types)s)
              GROUP BY l.account_id
                """,
                company=self.company_id.id,
                start=date_from,
                end=date_to,
                types=list(types),
            )
        )
        return dict(self.env.cr.fetchall())

    def _kopdes_account_rows(self, current, previous, sign):
        accounts = self.env["account.account"].browse(set(current) | set(previous)).sorted("code")
        rows = []
        for account in accounts:
            cur = sign * float(current.get(account.id, 0))
            prev = sign * float(previous.get(account.id, 0))
            if cur or prev:
                rows.append({"cells": [f"{account.code} {account.name}", cur, prev]})
        return rows

    def _kopdes_table_balance_sheet(self, cur, prev):
        columns = [_("Account"), str(cur[1].year), str(prev[1].year)]
        rows = []
        totals = {}
        for title, types, sign in (
            (_("Assets"), ASSET_TYPES, 1),
            (_("Liabilities"), LIABILITY_TYPES, -1),
            (_("Equity"), EQUITY_TYPES, -1),
        ):
            current = self._kopdes_account_balances(None, cur[1], types)
            previous = self._kopdes_account_balances(None, prev[1], types)
            section = self._kopdes_account_rows(current, previous, sign)
            total_cur = sum(r["cells"][1] for r in section)
            total_prev = sum(r["cells"][2] for r in section)
            if types is EQUITY_TYPES:
                # results not yet moved to equity: earlier years and the year itself
                for label, (start_c, end_c), (start_p, end_p) in (
                    (
                        _("Undistributed SHU of earlier years"),
                        (None, cur[0] - relativedelta(days=1)),
                        (None, prev[0] - relativedelta(days=1)),
                    ),
                    (_("SHU of the year"), cur, prev),
                ):
                    c = -float(
                        sum(self._kopdes_account_balances(start_c, end_c, PNL_TYPES).values())
                    )
                    p = -float(
                        sum(self._kopdes_account_balances(start_p, end_p, PNL_TYPES).values())
                    )
                    if c or p:
                        section.append({"cells": [label, c, p]})
                        total_cur += c
                        total_prev += p
            rows.append({"cells": [title, "", ""], "bold": True})
            rows += section
            rows.append(
                {
                    "cells": [_("Total %(section)s", section=title), total_cur, total_prev],
                    "bold": True,
                }
            )
            totals[title] = (total_cur, total_prev)
        return {
            "key": "neraca",
            "title": _("Balance Sheet (Neraca)"),
            "columns": columns,
            "rows": rows,
        }

    def _kopdes_table_income(self, cur, prev):
        columns = [_("Account"), str(cur[1].year), str(prev[1].year)]
        rows = []
        result_cur = result_prev = 0.0
        for title, types, sign in (
            (_("Income"), ("income", "income_other"), -1),
            (_("Expenses"), ("expense", "expense_depreciation", "expense_direct_cost"), 1),
        ):
            section = self._kopdes_account_rows(
                self._kopdes_account_balances(cur[0], cur[1], types),
                self._kopdes_account_balances(prev[0], prev[1], types),
                sign,
            )
            total_cur = sum(r["cells"][1] for r in section)
            total_prev = sum(r["cells"][2] for r in section)
            rows.append({"cells": [title, "", ""], "bold": True})
            rows += section
            rows.append(
                {
                    "cells": [_("Total %(section)s", section=title), total_cur, total_prev],
                    "bold": True,
                }
            )
            sign_result = 1 if sign < 0 else -1
            result_cur += sign_result * total_cur
            result_prev += sign_result * total_prev
        rows.append(
            {"cells": [_("SHU (income less expenses)"), result_cur, result_prev], "bold": True}
        )
        return {
            "key": "phu",
            "title": _("Income Statement (Perhitungan Hasil Usaha)"),
            "columns": columns,
            "rows": rows,
        }

    def _kopdes_table_equity(self, cur, prev):
        columns = [_("Equity"), _("Opening"), _("Movement"), _("Closing")]
        opening = self._kopdes_account_balances(None, cur[0] - relativedelta(days=1), EQUITY_TYPES)
        closing = self._kopdes_account_balances(None, cur[1], EQUITY_TYPES)
        accounts = self.env["account.account"].browse(set(opening) | set(closing)).sorted("code")
        rows = []
        for account in accounts:
            o = -float(opening.get(account.id, 0))
            c = -float(closing.get(account.id, 0))
            rows.append({"cells": [f"{account.code} {account.name}", o, c - o, c]})
        shu_year = -float(sum(self._kopdes_account_balances(cur[0], cur[1], PNL_TYPES).values()))
        rows.append({"cells": [_("SHU of the year"), 0.0, shu_year, shu_year]})
        rows.append(
            {
                "cells": [
                    _("Total"),
                    sum(r["cells"][1] for r in rows),
                    sum(r["cells"][2] for r in rows),
                    sum(r["cells"][3] for r in rows),
                ],
                "bold": True,
            }
        )
        return {"key": "ekuitas", "title": _("Changes in Equity"), "columns": columns, "rows": rows}

    def _kopdes_table_shu(self, cur, prev):
        Distribution = self.env["kopdes.shu.distribution"]
        columns = [_("Item"), str(cur[1].year), str(prev[1].year)]
        dists = []
        for year in (self.fiscal_year, self.fiscal_year - 1):
            dists.append(
                Distribution.search(
                    [
                        ("company_id", "=", self.company_id.id),
                        ("fiscal_year", "=", year),
                        ("state", "!=", "draft"),
                    ],
                    order="state desc, id desc",
                    limit=1,
                )
            )
        rows = []
        for fname in (
            "shu_amount",
            "pool_reserve",
            "non_member_part",
            "unallocated",
            "pool_capital",
            "pool_patronage",
            "pool_management",
            "pool_staff",
            "pool_education",
            "pool_social",
            "pool_development",
            "pool_other",
            "members_total",
            "pph_total",
        ):
            label = Distribution._fields[fname]._description_string(self.env)
            rows.append(
                {
                    "cells": [label] + [float(d[fname]) if d else 0.0 for d in dists],
                    "bold": fname == "shu_amount",
                }
            )
        return {
            "key": "shu",
            "title": _("SHU Calculation and Distribution"),
            "columns": columns,
            "rows": rows,
        }

    def _kopdes_table_savings(self, cur, prev):
        Account = self.env["kopdes.savings.account"]
        kinds = dict(
            self.env["kopdes.savings.product"]._fields["kind"]._description_selection(self.env)
        )
        c = Account._kopdes_balances_as_of(cur[1], self.company_id, groupby="member_kind")
        p = Account._kopdes_balances_as_of(prev[1], self.company_id, groupby="member_kind")
        columns = [_("Savings"), _("Savers"), str(cur[1].year), str(prev[1].year)]
        rows = []
        for kind, label in kinds.items():
            cur_total = sum(v for (m, k), v in c.items() if k == kind)
            prev_total = sum(v for (m, k), v in p.items() if k == kind)
            savers = sum(1 for (m, k), v in c.items() if k == kind and v)
            rows.append({"cells": [label, str(savers), cur_total, prev_total]})
        rows.append(
            {
                "cells": [
                    _("Total"),
                    "",
                    sum(r["cells"][2] for r in rows),
                    sum(r["cells"][3] for r in rows),
                ],
                "bold": True,
            }
        )
        return {"key": "simpanan", "title": _("Savings by Kind"), "columns": columns, "rows": rows}

    def _kopdes_snapshot_rows(self, day):
        """Per collectability class at the last snapshot on or before ``day``."""
        self.env["kopdes.loan.snapshot"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT s.collectability_id, COUNT(*), SUM(s.outstanding), SUM(s.provision_required)
                  FROM kopdes_loan_snapshot s
                 WHERE s.company_id = %(company)s
                   AND s.date = (SELECT MAX(date) FROM kopdes_loan_snapshot
                                  WHERE company_id = %(company)s AND date <= %(day)s)
              GROUP BY s.collectability_id
                """,
                company=self.company_id.id,
                day=day,
            )
        )
        return {cid: (n, float(o or 0), float(p or 0)) for cid, n, o, p in self.env.cr.fetchall()}

    def _kopdes_table_loans(self, cur, prev):
        classes = self.env["kopdes.loan.collectability"].search(
            [("company_id", "=", self.company_id.id)], order="code"
        )
        c = self._kopdes_snapshot_rows(cur[1])
        p = self._kopdes_snapshot_rows(prev[1])
        columns = [
            _("Class"),
            _("Loans"),
            _("Outstanding %(year)s", year=cur[1].year),
            _("PPAP %(year)s", year=cur[1].year),
            _("Outstanding %(year)s", year=prev[1].year),
        ]
        rows = []
        for klass in classes:
            n, o, prov = c.get(klass.id, (0, 0.0, 0.0))
            rows.append({"cells": [klass.name, str(n), o, prov, p.get(klass.id, (0, 0.0, 0.0))[1]]})
        rows.append(
            {
                "cells": [
                    _("Total"),
                    str(sum(int(r["cells"][1]) for r in rows)),
                    sum(r["cells"][2] for r in rows),
                    sum(r["cells"][3] for r in rows),
                    sum(r["cells"][4] for r in rows),
                ],
                "bold": True,
            }
        )
        return {
            "key": "pinjaman",
            "title": _("Loan Portfolio by Collectability and PPAP"),
            "columns": columns,
            "rows": rows,
        }

    def _kopdes_table_members(self, cur, prev):
        self.env["kopdes.member"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(NULLIF(village, ''), %(none)s),
                       COUNT(*) FILTER (WHERE join_date BETWEEN %(start)s AND %(end)s),
                       COUNT(*) FILTER (WHERE state = 'resigned'
                                          AND state_date BETWEEN %(start)s AND %(end)s),
                       COUNT(*) FILTER (WHERE state = 'deceased'
                                          AND state_date BETWEEN %(start)s AND %(end)s),
                       COUNT(*) FILTER (WHERE join_date <= %(end)s
                                          AND (state IN ('active', 'suspended')
                                               OR (state IN ('resigned', 'deceased')
                                                   AND state_date > %(end)s))),
                       COUNT(*) FILTER (WHERE join_date <= %(pend)s
                                          AND (state IN ('active', 'suspended')
                                               OR (state IN ('resigned', 'deceased')
                                                   AND state_date > %(pend)s)))
                  FROM kopdes_member
                 WHERE company_id = %(company)s AND join_date IS NOT NULL
              GROUP BY 1 ORDER BY 1
                """,
                none=_("(no village)"),
                start=cur[0],
                end=cur[1],
                pend=prev[1],
                company=self.company_id.id,
            )
        )
        columns = [
            _("Village"),
            _("Joined"),
            _("Resigned"),
            _("Deceased"),
            _("Members %(year)s", year=cur[1].year),
            _("Members %(year)s", year=prev[1].year),
        ]
        rows = [{"cells": [row[0]] + [int(v) for v in row[1:]]} for row in self.env.cr.fetchall()]
        rows.append(
            {
                "cells": [_("Total")] + [sum(r["cells"][i] for r in rows) for i in range(1, 6)],
                "bold": True,
            }
        )
        return {
            "key": "anggota",
            "title": _("Membership Movement by Village"),
            "columns": columns,
            "rows": rows,
            "money": False,
        }

    def _kopdes_table_bank(self, cur, prev):
        """Outstanding, PAR 30/90, NPL and provisions at each of the last 12 month ends of
        the year (snapshots), then capital and reserves."""
        self.env["kopdes.loan.snapshot"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT date, SUM(outstanding),
                       SUM(outstanding) FILTER (WHERE days_past_due > 30),
                       SUM(outstanding) FILTER (WHERE days_past_due > 90),
                       SUM(outstanding) FILTER (WHERE non_performing),
                       SUM(provision_required), COUNT(*)
                  FROM kopdes_loan_snapshot
                 WHERE company_id = %(company)s AND date BETWEEN %(start)s AND %(end)s
              GROUP BY date ORDER BY date
                """,
                company=self.company_id.id,
                start=cur[1] - relativedelta(months=12) + relativedelta(days=1),
                end=cur[1],
            )
        )
        columns = [
            _("Month End"),
            _("Loans"),
            _("Outstanding"),
            _("PAR 30"),
            _("PAR 90"),
            _("NPL"),
            _("NPL %"),
            _("Provisions"),
        ]
        rows = []
        for day, out, par30, par90, npl, prov, count in self.env.cr.fetchall():
            out = float(out or 0)
            npl = float(npl or 0)
            rows.append(
                {
                    "cells": [
                        day.strftime("%m/%Y"),
                        str(count),
                        out,
                        float(par30 or 0),
                        float(par90 or 0),
                        npl,
                        f"{(npl / out * 100) if out else 0:.2f} %",
                        float(prov or 0),
                    ]
                }
            )
        equity = self._kopdes_account_balances(None, cur[1], EQUITY_TYPES)
        capital = -float(sum(equity.values()))
        reserve_account = self.company_id.kopdes_shu_reserve_account_id
        reserve = -float(equity.get(reserve_account.id, 0)) if reserve_account else 0.0
        rows.append(
            {"cells": [_("Capital (equity)"), "", capital, "", "", "", "", ""], "bold": True}
        )
        rows.append({"cells": [_("of which reserves"), "", reserve, "", "", "", "", ""]})
        return {
            "key": "bank",
            "title": _("Loan Portfolio: 12-Month Trend"),
            "columns": columns,
            "rows": rows,
        }

    @api.model
    def _kopdes_rat_tables(self):
        return [
            "_kopdes_table_balance_sheet",
            "_kopdes_table_income",
            "_kopdes_table_equity",
            "_kopdes_table_shu",
            "_kopdes_table_savings",
            "_kopdes_table_loans",
            "_kopdes_table_members",
        ]

    def _kopdes_rat_data(self):
        self.ensure_one()
        self = self.with_company(self.company_id)
        cur, prev = self._kopdes_years()
        methods = (
            self._kopdes_rat_tables()
            if self.pack == "rat"
            else ["_kopdes_table_bank", "_kopdes_table_loans", "_kopdes_table_balance_sheet"]
        )
        return {"tables": [getattr(self, name)(cur, prev) for name in methods]}

    def _kopdes_xlsx(self):
        data = self._kopdes_rat_data()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0"})
        money_bold = book.add_format({"num_format": "#,##0", "bold": True})
        for table in data["tables"]:
            sheet = book.add_worksheet(table["key"][:31])
            sheet.write(0, 0, table["title"], bold)
            sheet.write(1, 0, self.company_id.name)
            for col, name in enumerate(table["columns"]):
                sheet.write(3, col, name, bold)
            for r, row in enumerate(table["rows"], start=4):
                for col, cell in enumerate(row["cells"]):
                    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                        sheet.write_number(r, col, cell, money_bold if row.get("bold") else money)
                    else:
                        sheet.write(r, col, cell, bold if row.get("bold") else None)
            sheet.set_column(0, 0, 45)
            sheet.set_column(1, len(table["columns"]), 18)
        book.close()
        return output.getvalue()
