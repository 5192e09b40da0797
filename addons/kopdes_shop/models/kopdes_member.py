import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group, kopdes_today


class KopdesMember(models.Model):
    _inherit = "kopdes.member"

    kasbon_ids = fields.One2many("kopdes.kasbon", "member_id")
    kasbon_own_limit = fields.Boolean(
        string="Own Kasbon Limit",
        tracking=True,
        help="A manager (Pengurus) set this member's kasbon limit; otherwise the "
        "cooperative's default applies.",
    )
    kasbon_limit_amount = fields.Monetary(
        string="Own Limit Amount", currency_field="kopdes_currency_id", tracking=True
    )
    kasbon_limit = fields.Monetary(currency_field="kopdes_currency_id", compute="_compute_kasbon")
    kasbon_open = fields.Monetary(currency_field="kopdes_currency_id", compute="_compute_kasbon")
    kasbon_overdue_amount = fields.Monetary(
        string="Kasbon Overdue", currency_field="kopdes_currency_id", compute="_compute_kasbon"
    )
    kasbon_room = fields.Monetary(currency_field="kopdes_currency_id", compute="_compute_kasbon")
    kasbon_count = fields.Integer(compute="_compute_kasbon")
    kasbon_limit_editable = fields.Boolean(compute="_compute_kasbon_limit_editable")

    @api.depends_context("uid")
    def _compute_kasbon_limit_editable(self):
        manager = self.env.user.has_group("kopdes_members.group_kopdes_manager")
        for member in self:
            member.kasbon_limit_editable = manager

    @api.depends(
        "kasbon_ids.amount_residual",
        "kasbon_ids.due_date",
        "kasbon_own_limit",
        "kasbon_limit_amount",
        "savings_account_ids.balance",
        "company_id.kopdes_kasbon_limit_mode",
        "company_id.kopdes_kasbon_savings_multiple",
        "company_id.kopdes_kasbon_fixed_limit",
    )
    def _compute_kasbon(self):
        today = kopdes_today(self.env)
        stats = {}
        if self.ids:
            for member, due, residual, count in (
                self.env["kopdes.kasbon"]
                .sudo()
                ._read_group(
                    [("member_id", "in", self.ids), ("state", "=", "open")],
                    ["member_id", "due_date:day"],
                    ["amount_residual:sum", "__count"],
                )
            ):
                entry = stats.setdefault(member.id, [0.0, 0.0, 0])
                entry[0] += residual
                entry[2] += count
                if due < today:
                    entry[1] += residual
        limits = self._kopdes_kasbon_limits()
        for member in self:
            opened, overdue, count = stats.get(member._origin.id or member.id, (0.0, 0.0, 0))
            member.kasbon_open = opened
            member.kasbon_overdue_amount = overdue
            member.kasbon_count = count
            member.kasbon_limit = limits.get(member._origin.id or member.id, 0.0)
            member.kasbon_room = max(member.kasbon_limit - opened, 0.0)

    # ------------------------------------------------------------ who writes

    def _kopdes_user_fields(self):
        allowed = super()._kopdes_user_fields()
        if self.env.user.has_group("kopdes_members.group_kopdes_manager"):
            allowed |= {"kasbon_own_limit", "kasbon_limit_amount"}
        return allowed

    # ------------------------------------------------------------ actions

    def action_view_kasbon(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kopdes_shop.kopdes_kasbon_action")
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_kasbon_repay(self):
        self.ensure_one()
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff (Petugas) record kasbon repayments."),
        )
        if self.kopdes_currency_id.is_zero(self.kasbon_open):
            raise UserError(_("%(member)s has no open kasbon.", member=self.display_name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Repay Kasbon"),
            "res_model": "kopdes.kasbon.repay.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_member_id": self.id},
        }

    def action_print_kasbon_statement(self):
        return self.env.ref("kopdes_shop.action_report_kopdes_kasbon_statement").report_action(self)

    def _kopdes_kasbon_statement_lines(self):
        """The member's kasbon sales and repayments in date order with the running balance
        (the kasbon statement)."""
        self.ensure_one()
        sources = dict(
            self.env["kopdes.kasbon.repayment"]._fields["source"]._description_selection(self.env)
        )
        events = []
        for kasbon in self.env["kopdes.kasbon"].sudo().search([("member_id", "=", self.id)]):
            events.append(
                (
                    kasbon.date,
                    0,
                    kasbon.id,
                    kasbon.name,
                    _("Purchase on kasbon"),
                    kasbon.due_date,
                    kasbon.amount,
                    0.0,
                )
            )
        allocations = (
            self.env["kopdes.kasbon.allocation"]
            .sudo()
            .search([("kasbon_id.member_id", "=", self.id)])
        )
        for allocation in allocations:
            repayment = allocation.repayment_id
            events.append(
                (
                    repayment.date,
                    1,
                    allocation.id,
                    allocation.kasbon_id.name,
                    _("Repayment (%(method)s)", method=sources.get(repayment.source)),
                    False,
                    0.0,
                    allocation.amount,
                )
            )
        balance = 0.0
        lines = []
        currency = self.company_id.currency_id
        for date, _kind, _id, name, label, due_date, debit, credit in sorted(events):
            balance = currency.round(balance + debit - credit)
            lines.append(
                {
                    "date": date,
                    "name": name,
                    "label": label,
                    "due_date": due_date,
                    "debit": debit,
                    "credit": credit,
                    "balance": balance,
                }
            )
        return lines

    # ------------------------------------------------------------ the rules

    def _kopdes_kasbon_limits(self):
        """``{member_id: limit}``: the member's own limit set by a manager, else the
        cooperative's default (a multiple of the simpanan sukarela balance, or a fixed
        amount)."""
        members = self.filtered("id")
        balances = members._kopdes_savings_balances() if members else {}
        limits = {}
        for member in members:
            company = member.company_id
            if member.kasbon_own_limit:
                limit = member.kasbon_limit_amount
            elif company.kopdes_kasbon_limit_mode == "fixed":
                limit = company.kopdes_kasbon_fixed_limit
            else:
                savings = balances.get(member.id, {}).get("sukarela", 0.0)
                limit = company.kopdes_kasbon_savings_multiple * max(savings, 0.0)
            limits[member.id] = company.currency_id.round(max(limit, 0.0))
        return limits

    def _kopdes_kasbon_check(self, amount):
        """``(refusal, room)`` for a kasbon of ``amount`` for this member now: ``refusal``
        is an empty string when allowed, else the reason a cashier may be told; ``room`` is
        what is left of the limit (``None`` when the member gets no kasbon at all)."""
        self.ensure_one()
        member = self.sudo()
        # read afresh: another till may have sold on kasbon in the meantime
        member.invalidate_recordset(
            ["kasbon_open", "kasbon_room", "kasbon_limit", "kasbon_overdue_amount", "kasbon_count"]
        )
        today = kopdes_today(self.env, member.company_id)
        if member.state != "active":
            return (
                _("%(member)s is not an active member: no kasbon.", member=member.display_name),
                None,
            )
        overdue = (
            self.env["kopdes.kasbon"]
            .sudo()
            .search_count(
                [("member_id", "=", member.id), ("state", "=", "open"), ("due_date", "<", today)],
                limit=1,
            )
        )
        if overdue:
            return (
                _(
                    "%(member)s has overdue kasbon: no new kasbon until it is repaid.",
                    member=member.display_name,
                ),
                None,
            )
        if member._kopdes_members_overdue(today):
            return (
                _(
                    "%(member)s has overdue loan installments: no kasbon.",
                    member=member.display_name,
                ),
                None,
            )
        room = member.kasbon_room
        if member.company_id.currency_id.compare_amounts(amount, room) > 0:
            return (_("The purchase is above the member's kasbon limit."), room)
        return "", room

    def _kopdes_kasbon_room_shown(self, room):
        """The room a cashier may see: rounded down to the cooperative's step."""
        self.ensure_one()
        step = self.company_id.kopdes_kasbon_room_step or 1.0
        return max(math.floor((room or 0.0) / step + 1e-9) * step, 0.0)

    @api.model
    def _kopdes_kasbon_summary(self, members, as_of):
        """``{member_id: {"open": amount, "overdue_days_max": int, "count": int}}`` for
        ``members`` as of the date ``as_of``: the kasbon sold up to that day minus what was
        repaid up to that day, the largest number of days past due of what was still open,
        and the number of kasbon still open. Every member of ``members`` is in the result
        (zeros without kasbon). ONE query (for scoring features)."""
        result = {m.id: {"open": 0.0, "overdue_days_max": 0, "count": 0} for m in members}
        if not members:
            return result
        as_of = fields.Date.to_date(as_of)
        self.env["kopdes.kasbon"].flush_model()
        self.env["kopdes.kasbon.allocation"].flush_model()
        self.env.cr.execute(
            """
            SELECT k.member_id,
                   SUM(k.amount - COALESCE(p.paid, 0)),
                   MAX(CASE WHEN k.due_date < %(as_of)s THEN %(as_of)s - k.due_date ELSE 0 END),
                   COUNT(*)
              FROM kopdes_kasbon k
              LEFT JOIN LATERAL (
                    SELECT SUM(a.amount) AS paid
                      FROM kopdes_kasbon_allocation a
                     WHERE a.kasbon_id = k.id AND a.date <= %(as_of)s
              ) p ON TRUE
             WHERE k.member_id = ANY(%(members)s) AND k.date <= %(as_of)s
               AND k.amount - COALESCE(p.paid, 0) > 0.001
          GROUP BY k.member_id
            """,
            {"as_of": as_of, "members": list(members.ids)},
        )
        for member_id, opened, days, count in self.env.cr.fetchall():
            currency = members.browse(member_id).company_id.currency_id
            result[member_id] = {
                "open": currency.round(float(opened)),
                "overdue_days_max": int(days or 0),
                "count": count,
            }
        return result

    # ------------------------------------------------------------ money attached, exit

    def _kopdes_money_attached(self):
        members = super()._kopdes_money_attached()
        if not self.ids:
            return members
        rows = (
            self.env["kopdes.kasbon"]
            .sudo()
            ._read_group([("member_id", "in", self.ids)], ["member_id"])
        )
        return members | self.browse([member.id for (member,) in rows])

    def _kopdes_exit_deduction_lines(self, date):
        """The open kasbon of the leaving members, oldest due first, deducted from their
        savings refund (credit: the kasbon receivable)."""
        lines = super()._kopdes_exit_deduction_lines(date)
        kasbons = (
            self.env["kopdes.kasbon"]
            .sudo()
            .search([("member_id", "in", self.ids), ("state", "=", "open")])
        )
        for kasbon in kasbons:
            lines.append(
                {
                    "member_id": kasbon.member_id.id,
                    "amount": kasbon.amount_residual,
                    "account_id": kasbon.company_id.kopdes_kasbon_account_id.id,
                    "name": _("Kasbon %(ref)s", ref=kasbon.name),
                    "res_model": "kopdes.kasbon",
                    "res_id": kasbon.id,
                }
            )
        return lines

    def _kopdes_exit_settled(self, move, deductions):
        """Record the kasbon deducted in the exit entry as repayments, reconciled."""
        res = super()._kopdes_exit_settled(move, deductions)
        by_member = {}
        for deduction in deductions:
            if deduction.get("res_model") == "kopdes.kasbon" and deduction["amount"] > 0:
                by_member.setdefault(deduction["member_id"], []).append(deduction)
        Repayment = self.env["kopdes.kasbon.repayment"]
        for member_id, items in by_member.items():
            member = self.browse(member_id)
            kasbons = self.env["kopdes.kasbon"].browse([item["res_id"] for item in items])
            repayment = Repayment._kopdes_repay(
                member,
                sum(item["amount"] for item in items),
                "exit",
                date=move.date,
                first=kasbons,
                name=move.name,
                move_id=move.id,
            )
            credit_lines = self.env["account.move.line"].browse(
                [item["move_line_id"] for item in items if item.get("move_line_id")]
            )
            repayment._kopdes_reconcile(credit_lines)
        return res

    def _kopdes_members_kasbon_overdue(self, date):
        """The members of ``self`` with open kasbon due before ``date`` (one query)."""
        if not self.ids:
            return self.browse()
        rows = (
            self.env["kopdes.kasbon"]
            .sudo()
            ._read_group(
                [("member_id", "in", self.ids), ("state", "=", "open"), ("due_date", "<", date)],
                ["member_id"],
            )
        )
        return self.browse([member.id for (member,) in rows])
