from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import (
    SAVINGS_POSTING,
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_utc_bounds,
    kopdes_without_defaults,
)

from ..tools import shu
from .kopdes_shu_rule import FUNDS

SHU_POSTING = "kopdes_shu_posting"  # context key of the distribution's workflow
# the P&L account types whose balance over the year is the SHU
PNL_TYPES = (
    "income",
    "income_other",
    "expense",
    "expense_depreciation",
    "expense_direct_cost",
)
# POS orders that count as sales (refunds are orders with negative amounts)
POS_DONE_STATES = ("paid", "done", "invoiced")
STATES = [
    ("draft", "Draft"),
    ("computed", "Computed"),
    ("posted", "Posted"),
    ("paid", "Paid Out"),
]
# pool key -> company account field
POOL_ACCOUNTS = {
    "reserve": "kopdes_shu_reserve_account_id",
    "management": "kopdes_shu_management_account_id",
    "staff": "kopdes_shu_staff_account_id",
    "education": "kopdes_shu_education_account_id",
    "social": "kopdes_shu_social_account_id",
    "development": "kopdes_shu_development_account_id",
    "other": "kopdes_shu_other_account_id",
}
# fields written by the computation (never by users)
COMPUTED_FIELDS = {
    "income",
    "expense",
    "shu_amount",
    "pos_sales_total",
    "pos_sales_members",
    "loan_interest_members",
    "non_member_part",
    "unallocated",
    "pool_patronage_pos",
    "pool_patronage_loan",
} | {f"pool_{pool}" for _fname, pool in FUNDS}
USER_FIELDS = {
    "company_id",
    "rule_id",
    "date",
    "note",
    "payout_journal_id",
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
}


def _dec(value):
    """An exact number for the allocation: PostgreSQL float8 columns come back as floats,
    whose shortest text is the amount that was stored."""
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value or 0)


class KopdesShuDistribution(models.Model):
    """One fiscal year's SHU of one cooperative, computed by the year's approved rule.

    draft → computed (the preview: SHU from the ledger, the pools and each member's shares,
    recomputed as often as wanted) → posted (one entry: the year's result to the reserve,
    the funds and each member's SHU payable) → paid out (cash, or credited to voluntary
    savings, PPh final withheld). See ``readme/DEVELOP.md`` for the calculation.
    """

    _name = "kopdes.shu.distribution"
    _description = "SHU Distribution"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "fiscal_year desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule_id = fields.Many2one(
        "kopdes.shu.rule",
        string="SHU Rule",
        required=True,
        check_company=True,
        domain="[('state', '=', 'approved'), ('company_id', '=', company_id)]",
        tracking=True,
    )
    fiscal_year = fields.Integer(related="rule_id.fiscal_year", store=True, aggregator=False)
    date_from = fields.Date(related="rule_id.date_from", store=True)
    date_to = fields.Date(related="rule_id.date_to", store=True)
    date = fields.Date(
        string="Posting Date",
        help="Date of the distribution entry; by default the last day of the year.",
    )
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, copy=False, tracking=True
    )
    payout_journal_id = fields.Many2one(
        "account.journal",
        string="Cash Payout Journal",
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank'))]",
    )
    note = fields.Text()
    income = fields.Monetary(readonly=True, help="Income of the year in the ledger.")
    expense = fields.Monetary(readonly=True, help="Expenses of the year (with tax) in the ledger.")
    shu_amount = fields.Monetary(string="SHU", readonly=True, help="Income less expenses.")
    pool_reserve = fields.Monetary(string="Reserve", readonly=True)
    pool_capital = fields.Monetary(string="Members: Capital", readonly=True)
    pool_patronage = fields.Monetary(string="Members: Patronage", readonly=True)
    pool_management = fields.Monetary(string="Management", readonly=True)
    pool_staff = fields.Monetary(string="Staff", readonly=True)
    pool_education = fields.Monetary(string="Education", readonly=True)
    pool_social = fields.Monetary(string="Social", readonly=True)
    pool_development = fields.Monetary(string="Local Development", readonly=True)
    pool_other = fields.Monetary(string="Other Fund", readonly=True)
    pool_patronage_pos = fields.Monetary(string="Patronage: Shop Purchases", readonly=True)
    pool_patronage_loan = fields.Monetary(string="Patronage: Loan Interest", readonly=True)
    pos_sales_total = fields.Monetary(string="Shop Sales (All)", readonly=True)
    pos_sales_members = fields.Monetary(string="Shop Sales to Members", readonly=True)
    loan_interest_members = fields.Monetary(string="Loan Interest Paid", readonly=True)
    non_member_part = fields.Monetary(
        string="Non-Member Surplus to Reserve",
        readonly=True,
        help="The part of the shop-purchase patronage share earned from non-members, kept "
        "out of the members' shares and added to the reserve.",
    )
    unallocated = fields.Monetary(
        string="Unshared to Reserve",
        readonly=True,
        help="Pools no member qualified for (and the sen below one rupiah): to the reserve.",
    )
    reserve_total = fields.Monetary(
        string="Reserve in Total",
        compute="_compute_totals",
        help="Reserve, non-member surplus and what could not be shared.",
    )
    members_total = fields.Monetary(string="To Members", compute="_compute_totals")
    pph_total = fields.Monetary(string="PPh Withheld", compute="_compute_totals")
    line_ids = fields.One2many(
        "kopdes.shu.line", "distribution_id", string="Members", readonly=True
    )
    line_count = fields.Integer(compute="_compute_totals")
    move_id = fields.Many2one(
        "account.move", string="Distribution Entry", readonly=True, copy=False, check_company=True
    )
    payout_move_id = fields.Many2one(
        "account.move", string="Payout Entry", readonly=True, copy=False, check_company=True
    )

    @api.depends("fiscal_year", "company_id")
    def _compute_name(self):
        for record in self:
            record.name = _("SHU %(year)s", year=record.fiscal_year or "")

    def _compute_totals(self):
        data = {
            dist.id: (total, pph, count)
            for dist, total, pph, count in self.env["kopdes.shu.line"]._read_group(
                [("distribution_id", "in", self.ids)],
                ["distribution_id"],
                ["total:sum", "pph:sum", "__count"],
            )
        }
        for record in self:
            total, pph, count = data.get(record.id, (0.0, 0.0, 0))
            record.members_total = total
            record.pph_total = pph
            record.line_count = count
            record.reserve_total = record.pool_reserve + record.non_member_part + record.unallocated

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, USER_FIELDS, vals_list=vals_list)
        self._kopdes_check_run()
        for vals in vals_list:
            self._kopdes_check_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, SHU_POSTING):
            self._kopdes_check_vals(vals)
            if set(vals) - {"message_main_attachment_id", "message_follower_ids", "activity_ids"}:
                self._kopdes_check_run()
                if any(d.state in ("posted", "paid") for d in self):
                    raise UserError(_("A posted SHU distribution cannot be changed."))
                if {"rule_id", "date", "company_id"} & set(vals):
                    vals = dict(vals, state="draft")
                    self._kopdes_clear_lines()
                    return super(KopdesShuDistribution, kopdes_system(self, SHU_POSTING)).write(
                        vals
                    )
        return super().write(vals)

    def _kopdes_check_vals(self, vals):
        refused = set(vals) - USER_FIELDS
        if refused and not kopdes_is_system(self.env, SHU_POSTING):
            from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_fields

            kopdes_check_fields(self, vals, USER_FIELDS)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(d.state in ("posted", "paid") for d in self):
            raise UserError(_("A posted SHU distribution cannot be deleted."))

    # ------------------------------------------------------------------ roles

    def _kopdes_check_run(self):
        if self.env.su:
            return
        user = self.env.user
        if not (
            user.has_group("kopdes_members.group_kopdes_accountant")
            or user.has_group("kopdes_members.group_kopdes_manager")
        ):
            kopdes_check_group(
                self.env,
                "kopdes_members.group_kopdes_manager",
                _("Only an accountant or a manager computes the SHU."),
            )

    def _kopdes_check_manager(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_manager",
            _("Only a manager (Pengurus) posts and pays out the SHU distribution."),
        )

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        """The preview: the year's SHU from the ledger, the pools and every member's shares
        (recomputed from scratch; nothing is posted)."""
        self._kopdes_check_run()
        for record in self:
            if record.state in ("posted", "paid"):
                raise UserError(_("The SHU of this year has already been posted."))
            if record.rule_id.state != "approved":
                raise UserError(_("Only an SHU rule approved by the RAT can be applied."))
            record._kopdes_compute()
            record.message_post(
                body=_(
                    "SHU computed: %(shu)s for %(count)s members.",
                    shu=record._kopdes_fmt(record.shu_amount),
                    count=record.line_count,
                )
            )
        return True

    def action_post(self):
        """Post the distribution entry (manager only). Refused, with nothing posted, when
        the year is already distributed or its last month is not closed."""
        self._kopdes_check_manager()
        for record in self:
            record._kopdes_check_can_post()
            record._kopdes_compute()
            record._kopdes_post_entry()
            record.message_post(
                body=_("SHU distribution posted: %(entry)s.", entry=record.move_id.display_name)
            )
        return True

    def action_pay(self):
        """Pay out the members' shares (manager only): cash lines in one payout entry,
        the others credited to their voluntary savings, PPh final withheld."""
        self._kopdes_check_manager()
        for record in self:
            record._kopdes_pay()
        return True

    def action_reset(self):
        self._kopdes_check_run()
        for record in self:
            if record.state in ("posted", "paid"):
                raise UserError(_("A posted SHU distribution cannot be reset."))
            record._kopdes_clear_lines()
            kopdes_system(record, SHU_POSTING).write({"state": "draft"})
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kopdes_shu.kopdes_shu_line_action")
        action["domain"] = [("distribution_id", "=", self.id)]
        action["context"] = {"default_distribution_id": self.id}
        return action

    def action_print_slips(self):
        return self.env.ref("kopdes_shu.action_report_shu_slip").report_action(self.line_ids)

    # ------------------------------------------------------------------ computation

    def _kopdes_fmt(self, amount):
        from odoo.tools.misc import formatLang

        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _kopdes_ledger_result(self):
        """``(income, expense)`` of the year from the posted P&L lines (one query)."""
        self.ensure_one()
        self.env["account.move.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(-l.balance) FILTER (WHERE a.account_type = ANY(%(income)s)), 0),
                       COALESCE(SUM(l.balance) FILTER (WHERE a.account_type <> ALL(%(income)s)), 0)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
                   AND l.date BETWEEN %(start)s AND %(end)s
                   AND a.account_type = ANY(%(types)s)
                """,
                company=self.company_id.id,
                start=self.date_from,
                end=self.date_to,
                types=list(PNL_TYPES),
                income=["income", "income_other"],
            )
        )
        income, expense = self.env.cr.fetchone()
        return _dec(income), _dec(expense)

    def _kopdes_pos_sales(self):
        """``(total, {member_id: amount})``: the year's POS sales net of refunds, all of
        them and per member (orders linked to the member, ``pos.order.member_id``), from the
        orders' totals (tax included; a refund is an order with a negative total). One scan
        of the year's orders: the walk-in buyers' sales are the group without a member. The
        year is the cooperative's: its first and last day in its time zone, as UTC bounds of
        ``date_order`` (so the index on the order date serves)."""
        self.ensure_one()
        company = self.company_id
        start, end = kopdes_utc_bounds(self.env, company, self.date_from, self.date_to)
        self.env["pos.order"].flush_model(
            ["company_id", "state", "date_order", "member_id", "amount_total"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT o.member_id, SUM(o.amount_total)
                  FROM pos_order o
                 WHERE o.company_id = %(company)s AND o.state = ANY(%(states)s)
                   AND o.date_order >= %(start)s AND o.date_order < %(end)s
              GROUP BY o.member_id
                """,
                company=company.id,
                states=list(POS_DONE_STATES),
                start=start,
                end=end,
            )
        )
        total, per_member = Decimal(0), {}
        for member_id, amount in self.env.cr.fetchall():
            amount = _dec(amount)
            total += amount
            if member_id:
                per_member[member_id] = amount
        return total, per_member

    def _kopdes_loan_interest(self):
        """``{member_id: amount}``: loan interest and late fees paid in the year, from the
        payment allocations net of their reversals (one aggregate)."""
        self.ensure_one()
        self.env["kopdes.loan.allocation"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.member_id, SUM(a.interest + a.late_fee)
                  FROM kopdes_loan_allocation a
                  JOIN kopdes_loan l ON l.id = a.loan_id
                 WHERE a.company_id = %(company)s AND a.kind = 'payment'
                   AND a.date BETWEEN %(start)s AND %(end)s
              GROUP BY l.member_id
                """,
                company=self.company_id.id,
                start=self.date_from,
                end=self.date_to,
            )
        )
        return {mid: _dec(amount) for mid, amount in self.env.cr.fetchall()}

    def _kopdes_members(self):
        """``{member_id: (partner_id, is_leaver)}``: who shares in the year's SHU: members
        of the cooperative during the year (joined by its end, not left before its start);
        those who left during it only when the rule shares pro rata."""
        self.ensure_one()
        self.env["kopdes.member"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, partner_id, state IN ('resigned', 'deceased')
                  FROM kopdes_member
                 WHERE company_id = %(company)s
                   AND (state IN ('active', 'suspended')
                        OR (state IN ('resigned', 'deceased') AND state_date >= %(start)s))
                   AND COALESCE(join_date, %(start)s) <= %(end)s
                """,
                company=self.company_id.id,
                start=self.date_from,
                end=self.date_to,
            )
        )
        members = {mid: (pid, leaver) for mid, pid, leaver in self.env.cr.fetchall()}
        if self.rule_id.leaver_policy == "excluded":
            members = {mid: v for mid, v in members.items() if not v[1]}
        return members

    def _kopdes_calculate(self):
        """Everything the preview shows, as plain data (no write): ``(figures, lines)``
        with ``lines`` = ``{member_id: {...}}``. Whole rupiah, largest remainder."""
        self.ensure_one()
        rule = self.rule_id
        income, expense = self._kopdes_ledger_result()
        result = income - expense
        whole = int(result // 1) if result > 0 else 0
        cents = result - whole if result > 0 else Decimal(0)
        percentages = {pool: Decimal(str(round(rule[fname], 2))) for fname, pool in FUNDS}
        pools = shu.split_pools(whole, percentages)
        # patronage: shop purchases and loan interest, by the rule's weights
        sub = shu.largest_remainder(
            pools["patronage"],
            {
                "pos": Decimal(str(round(rule.patronage_pos_weight, 2))),
                "loan": Decimal(str(round(rule.patronage_loan_weight, 2))),
            },
        )
        pool_pos, pool_loan = sub.get("pos", 0), sub.get("loan", 0)
        members = self._kopdes_members()
        kinds = ["pokok", "wajib"] + (["sukarela"] if rule.capital_includes_sukarela else [])
        balance_days = self.env["kopdes.savings.account"]._kopdes_balance_days(
            self.date_from, self.date_to, self.company_id, kinds=kinds
        )
        days = (self.date_to - self.date_from).days + 1
        sales_total, sales = self._kopdes_pos_sales()
        interest = self._kopdes_loan_interest()
        sales_members = sum(sales.values(), Decimal(0))
        non_member = 0
        if rule.exclude_non_member_surplus and sales_total > 0:
            shared = shu.scale(pool_pos, max(sales_members, Decimal(0)), sales_total)
            shared = min(shared, pool_pos)
            non_member, pool_pos = pool_pos - shared, shared
        measures = {
            "capital": {m: max(_dec(balance_days.get(m)), 0) for m in members},
            "pos": {m: max(_dec(sales.get(m)), 0) for m in members},
            "loan": {m: max(_dec(interest.get(m)), 0) for m in members},
        }
        shares = shu.member_shares(
            {"capital": pools["capital"], "pos": pool_pos, "loan": pool_loan}, measures
        )
        unallocated = Decimal(0)
        for key, amount in (("capital", pools["capital"]), ("pos", pool_pos), ("loan", pool_loan)):
            if amount and not shares[key]:
                unallocated += amount
        lines = {}
        rate = Decimal(str(round(rule.pph_rate, 2))) if rule.pph_withhold else Decimal(0)
        for member_id, (partner_id, leaver) in members.items():
            capital = shares["capital"].get(member_id, 0)
            pos = shares["pos"].get(member_id, 0)
            loan = shares["loan"].get(member_id, 0)
            total = capital + pos + loan
            if not total and not (
                balance_days.get(member_id) or sales.get(member_id) or interest.get(member_id)
            ):
                continue
            pph = int((Decimal(total) * rate / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
            lines[member_id] = {
                "partner_id": partner_id,
                "is_leaver": leaver,
                "capital_base": float(Decimal(balance_days.get(member_id, 0)) / days),
                "purchases": float(sales.get(member_id, 0)),
                "interest_paid": float(interest.get(member_id, 0)),
                "capital_share": capital,
                "pos_share": pos,
                "loan_share": loan,
                "total": total,
                "pph": pph,
                "net": total - pph,
            }
        figures = {
            "income": float(income),
            "expense": float(expense),
            "shu_amount": float(result),
            **{f"pool_{pool}": float(amount) for pool, amount in pools.items()},
            "pool_patronage_pos": float(pool_pos),
            "pool_patronage_loan": float(pool_loan),
            "pos_sales_total": float(sales_total),
            "pos_sales_members": float(sales_members),
            "loan_interest_members": float(sum(interest.values(), Decimal(0))),
            "non_member_part": float(non_member),
            "unallocated": float(unallocated + cents),
        }
        return figures, lines

    def _kopdes_compute(self):
        """Compute and store the preview: the figures on the record, one line per member
        written with one batched INSERT (see DEVELOP.md)."""
        self.ensure_one()
        figures, lines = self._kopdes_calculate()
        self._kopdes_clear_lines()
        payout = self.rule_id.payout_default
        now = fields.Datetime.now()
        columns = {
            "member_id": ("int4", list(lines)),
            "partner_id": ("int4", [line["partner_id"] for line in lines.values()]),
            "is_leaver": ("bool", [line["is_leaver"] for line in lines.values()]),
        }
        for fname in (
            "capital_base",
            "purchases",
            "interest_paid",
            "capital_share",
            "pos_share",
            "loan_share",
            "total",
            "pph",
            "net",
        ):
            columns[fname] = ("numeric", [line[fname] for line in lines.values()])
        columns["payout_method"] = (
            "varchar",
            ["cash" if line["is_leaver"] else payout for line in lines.values()],
        )
        if lines:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO kopdes_shu_line (
                        distribution_id, company_id, payout_state,
                        create_uid, create_date, write_uid, write_date, %(names)s)
                    SELECT %(dist)s, %(company)s, 'pending', %(uid)s, %(now)s, %(uid)s, %(now)s, *
                      FROM unnest(%(arrays)s)
                    """,
                    names=SQL(", ").join(SQL.identifier(name) for name in columns),
                    dist=self.id,
                    company=self.company_id.id,
                    uid=self.env.uid,
                    now=now,
                    arrays=SQL(", ").join(
                        SQL("%s::" + pgtype + "[]", values) for pgtype, values in columns.values()
                    ),
                )
            )
        self.env["kopdes.shu.line"].invalidate_model()
        kopdes_system(self, SHU_POSTING).write(
            {**figures, "state": "computed", "date": self.date or self.date_to}
        )
        self.invalidate_recordset(["line_ids", "line_count", "members_total", "pph_total"])

    def _kopdes_clear_lines(self):
        self.env["kopdes.shu.line"].flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM kopdes_shu_line WHERE distribution_id = ANY(%s)", self.ids)
        )
        self.env["kopdes.shu.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    # ------------------------------------------------------------------ posting

    def _kopdes_check_can_post(self):
        self.ensure_one()
        if self.state != "computed":
            raise UserError(_("Compute the SHU (preview) before posting it."))
        if self.rule_id.state != "approved":
            raise UserError(_("Only an SHU rule approved by the RAT can be applied."))
        # one distribution per cooperative and year, also when two managers post at once
        self.env.cr.execute(
            SQL(
                "SELECT id FROM kopdes_shu_distribution WHERE company_id = %s "
                "AND fiscal_year = %s FOR UPDATE",
                self.company_id.id,
                self.fiscal_year,
            )
        )
        done = self.sudo().search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("fiscal_year", "=", self.fiscal_year),
                ("state", "in", ("posted", "paid")),
                ("id", "!=", self.id),
            ]
        )
        if done:
            raise UserError(
                _("The SHU of %(year)s has already been distributed.", year=self.fiscal_year)
            )
        if not self.env["kopdes.close"]._kopdes_is_closed(self.company_id, self.date_to):
            raise UserError(
                _(
                    "Close the last month of %(year)s (December) before distributing its SHU: "
                    "the year's result may still change.",
                    year=self.fiscal_year,
                )
            )
        company = self.company_id
        missing = [
            company._fields[fname].string
            for fname in (*POOL_ACCOUNTS.values(), "kopdes_shu_payable_account_id")
            if not company[fname]
        ]
        if missing:
            raise UserError(
                _(
                    "Set the SHU accounts of the cooperative first: %(names)s",
                    names=", ".join(missing),
                )
            )

    def _kopdes_journal(self):
        journal = self.company_id.sudo().kopdes_savings_journal_id
        if not journal:
            raise UserError(_("The cooperative has no savings journal for the SHU entries."))
        return journal

    def _kopdes_post_entry(self):
        self.ensure_one()
        if self.shu_amount <= 0:
            raise UserError(_("The year has no surplus (SHU) to distribute."))
        company = self.company_id.sudo()
        Mixin = self.env["kopdes.move.mixin"]
        label = _("SHU %(year)s", year=self.fiscal_year)
        lines = [
            Mixin._kopdes_prepare_move_line_vals(
                company.get_unaffected_earnings_account(), self.shu_amount, label
            )
        ]
        fund_amounts = {
            "reserve": self.pool_reserve + self.non_member_part + self.unallocated,
            **{pool: self[f"pool_{pool}"] for pool in POOL_ACCOUNTS if pool != "reserve"},
        }
        for pool, amount in fund_amounts.items():
            lines.append(
                Mixin._kopdes_prepare_move_line_vals(company[POOL_ACCOUNTS[pool]], -amount, label)
            )
        payable = company.kopdes_shu_payable_account_id
        self.env["kopdes.shu.line"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, total FROM kopdes_shu_line "
                "WHERE distribution_id = %s AND total > 0 ORDER BY id",
                self.id,
            )
        )
        for partner_id, total in self.env.cr.fetchall():
            lines.append(
                Mixin._kopdes_prepare_move_line_vals(payable, -float(total), label, partner_id)
            )
        vals = Mixin._kopdes_prepare_move_vals(
            self._kopdes_journal(),
            self.date or self.date_to,
            lines,
            _("Distribution of the SHU %(year)s", year=self.fiscal_year),
            kopdes_shu_distribution_id=self.id,
        )
        move = (
            self.env["account.move"]
            .sudo()
            .with_context(**{SHU_POSTING: True}, check_move_validity=True)
            .create(vals)
        )
        move._post(soft=False)
        kopdes_system(self, SHU_POSTING).write({"move_id": move.id, "state": "posted"})

    # ------------------------------------------------------------------ payout

    def _kopdes_pay(self):
        self.ensure_one()
        if self.state != "posted":
            raise UserError(_("Post the SHU distribution before paying it out."))
        lines = self.line_ids.filtered(lambda ln: ln.payout_state == "pending" and ln.total > 0)
        leavers = lines.filtered("is_leaver")
        rule = self.rule_id
        if leavers and not rule.leaver_payout:
            raise UserError(
                _(
                    "%(count)s members who left during the year have an SHU share, and the "
                    "rule does not say how to settle it (e.g. %(names)s). Make the RAT's "
                    "decision a new version of the rule before paying out.",
                    count=len(leavers),
                    names=", ".join(leavers[:3].mapped("member_id.display_name")),
                )
            )
        company = self.company_id.sudo()
        payable = company.kopdes_shu_payable_account_id
        Mixin = self.env["kopdes.move.mixin"]
        label = _("SHU %(year)s payout", year=self.fiscal_year)
        to_reserve = leavers if rule.leaver_payout == "reserve" else leavers.browse()
        cash = (lines - to_reserve).filtered(lambda ln: ln.payout_method == "cash")
        savings = lines - to_reserve - cash
        accounts = self._kopdes_sukarela_accounts(savings)
        journal = self.payout_journal_id or company._kopdes_savings_cash_journal()
        if cash and not journal.default_account_id:
            raise UserError(_("Choose the cash or bank journal of the SHU paid in cash."))
        entry = []
        pph_total = 0.0
        for line in lines:
            if line in to_reserve:
                entry.append(
                    Mixin._kopdes_prepare_move_line_vals(
                        payable, line.total, label, line.partner_id
                    )
                )
                continue
            if line.pph:
                entry.append(
                    Mixin._kopdes_prepare_move_line_vals(payable, line.pph, label, line.partner_id)
                )
                pph_total += line.pph
            if line in cash:
                entry.append(
                    Mixin._kopdes_prepare_move_line_vals(payable, line.net, label, line.partner_id)
                )
        if pph_total:
            if not company.kopdes_shu_pph_account_id:
                raise UserError(_("Set the PPh final on SHU account of the cooperative first."))
            entry.append(
                Mixin._kopdes_prepare_move_line_vals(
                    company.kopdes_shu_pph_account_id, -pph_total, label
                )
            )
        if cash:
            entry.append(
                Mixin._kopdes_prepare_move_line_vals(
                    journal.default_account_id, -sum(cash.mapped("net")), label
                )
            )
        if to_reserve:
            entry.append(
                Mixin._kopdes_prepare_move_line_vals(
                    company.kopdes_shu_reserve_account_id, -sum(to_reserve.mapped("total")), label
                )
            )
        move = self.env["account.move"]
        if entry:
            move = (
                self.env["account.move"]
                .sudo()
                .with_context(**{SHU_POSTING: True})
                .create(
                    Mixin._kopdes_prepare_move_vals(
                        journal if cash else self._kopdes_journal(),
                        kopdes_today(self.env, self.company_id),
                        entry,
                        _("Payout of the SHU %(year)s", year=self.fiscal_year),
                        kopdes_shu_distribution_id=self.id,
                    )
                )
            )
            move._post(soft=False)
        if savings:
            self._kopdes_credit_savings(savings, accounts, payable)
        kopdes_system(lines, SHU_POSTING).write({"payout_state": "paid"})
        kopdes_system(self, SHU_POSTING).write({"state": "paid", "payout_move_id": move.id})
        self.message_post(
            body=_(
                "SHU paid out: %(cash)s members in cash, %(savings)s to voluntary savings, "
                "%(reserve)s to the reserve; PPh withheld %(pph)s.",
                cash=len(cash),
                savings=len(savings),
                reserve=len(to_reserve),
                pph=self._kopdes_fmt(pph_total),
            )
        )

    def _kopdes_sukarela_accounts(self, savings):
        """``{member_id: account}``: the open voluntary savings account of each line of
        ``savings``; refused when one has none."""
        if not savings:
            return {}
        found = (
            self.env["kopdes.savings.account"]
            .sudo()
            .search(
                [
                    ("member_id", "in", savings.member_id.ids),
                    ("kind", "=", "sukarela"),
                    ("state", "=", "open"),
                ]
            )
        )
        accounts = {acc.member_id.id: acc for acc in found}
        missing = savings.filtered(lambda ln: ln.member_id.id not in accounts)
        if missing:
            raise UserError(
                _(
                    "These members have no open voluntary savings account to credit the "
                    "SHU to; pay them in cash or open the account: %(names)s",
                    names=", ".join(missing[:10].mapped("member_id.display_name")),
                )
            )
        return accounts

    def _kopdes_credit_savings(self, savings, accounts, payable):
        """Credit the net SHU of the ``savings`` lines to the members' voluntary savings:
        one batch of posted deposits with the SHU payable as counterpart."""
        Transaction = kopdes_system(self.env["kopdes.savings.transaction"], SAVINGS_POSTING)
        today = kopdes_today(self.env, self.company_id)
        txs = Transaction.create(
            [
                {
                    "account_id": accounts[line.member_id.id].id,
                    "member_id": line.member_id.id,
                    "company_id": self.company_id.id,
                    "type": "deposit",
                    "amount": line.net,
                    "date": today,
                    "payment_journal_id": False,
                    "counterpart_account_id": payable.id,
                    "ref": _("SHU %(year)s", year=self.fiscal_year),
                }
                for line in savings
                if line.net > 0
            ]
        )
        txs._kopdes_post()
        by_member = {tx.member_id.id: tx for tx in txs}
        for line in savings:
            tx = by_member.get(line.member_id.id)
            if tx:
                kopdes_system(line, SHU_POSTING).write({"savings_transaction_id": tx.id})
