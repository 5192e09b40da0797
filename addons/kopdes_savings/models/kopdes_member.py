from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import (
    EXIT_SETTLEMENT,
    kopdes_is_system,
    kopdes_today,
)


class KopdesMember(models.Model):
    _inherit = "kopdes.member"

    savings_account_ids = fields.One2many(
        "kopdes.savings.account", "member_id", string="Savings Accounts"
    )
    savings_account_count = fields.Integer(compute="_compute_savings_balances")
    savings_balance_pokok = fields.Monetary(
        string="Simpanan Pokok",
        compute="_compute_savings_balances",
        currency_field="savings_currency_id",
    )
    savings_balance_wajib = fields.Monetary(
        string="Simpanan Wajib",
        compute="_compute_savings_balances",
        currency_field="savings_currency_id",
    )
    savings_balance_sukarela = fields.Monetary(
        string="Simpanan Sukarela",
        compute="_compute_savings_balances",
        currency_field="savings_currency_id",
    )
    savings_balance_berjangka = fields.Monetary(
        string="Simpanan Berjangka",
        compute="_compute_savings_balances",
        currency_field="savings_currency_id",
    )
    savings_balance_total = fields.Monetary(
        string="Total Savings",
        compute="_compute_savings_balances",
        currency_field="savings_currency_id",
    )
    wajib_arrears = fields.Monetary(
        compute="_compute_wajib_arrears",
        currency_field="savings_currency_id",
    )
    wajib_months_behind = fields.Integer(
        string="Wajib Periods Behind", compute="_compute_wajib_arrears"
    )
    savings_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Savings Currency"
    )

    @api.depends("savings_account_ids.balance", "savings_account_ids.kind")
    def _compute_savings_balances(self):
        rows = self.env["kopdes.savings.account"]._read_group(
            [("member_id", "in", self.ids)],
            ["member_id", "kind"],
            ["balance:sum", "__count"],
        )
        totals = {}
        for member, kind, balance, count in rows:
            totals.setdefault(member.id, {})[kind] = (balance, count)
        for member in self:
            by_kind = totals.get(member._origin.id or member.id, {})
            member.savings_balance_pokok = by_kind.get("pokok", (0.0, 0))[0]
            member.savings_balance_wajib = by_kind.get("wajib", (0.0, 0))[0]
            member.savings_balance_sukarela = by_kind.get("sukarela", (0.0, 0))[0]
            member.savings_balance_berjangka = by_kind.get("berjangka", (0.0, 0))[0]
            member.savings_balance_total = sum(value[0] for value in by_kind.values())
            member.savings_account_count = sum(value[1] for value in by_kind.values())

    def _compute_wajib_arrears(self):
        today = kopdes_today(self.env)
        rows = self.env["kopdes.savings.due"]._read_group(
            [
                ("member_id", "in", self.ids),
                *self.env["kopdes.savings.due"]._kopdes_arrears_domain(today),
            ],
            ["member_id"],
            ["amount_residual:sum", "__count"],
        )
        stats = {member.id: (residual, count) for member, residual, count in rows}
        for member in self:
            member.wajib_arrears, member.wajib_months_behind = stats.get(
                member._origin.id or member.id, (0.0, 0)
            )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members.filtered(lambda m: m.state == "active")._kopdes_savings_open_accounts()
        return members

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "active":
            self._kopdes_savings_open_accounts()
        return res

    # --------------------------------------------------------------- actions

    def action_view_savings_accounts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_account_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id}
        return action

    def action_view_savings_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_transaction_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id, "search_default_posted": 1}
        return action

    def action_view_wajib_dues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_savings.kopdes_savings_due_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_new_savings_transaction(self):
        """Teller button on the member form: a deposit or withdrawal for this member."""
        self.ensure_one()
        tx_type = self.env.context.get("kopdes_transaction_type", "deposit")
        return {
            "type": "ir.actions.act_window",
            "name": _("Withdrawal") if tx_type == "withdrawal" else _("Deposit"),
            "res_model": "kopdes.savings.transaction",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_member_id": self.id,
                "default_type": tx_type,
                "default_kind": "sukarela" if tx_type == "withdrawal" else "wajib",
            },
        }

    def action_open_exit_wizard(self):
        """Open the exit settlement for members who resign or die."""
        self._kopdes_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": _("Exit Settlement"),
            "res_model": "kopdes.savings.exit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_member_id": self[:1].id,
                "default_exit_type": self.env.context.get("kopdes_exit_type", "resigned"),
            },
        }

    # --------------------------------------------------------------- helpers

    def _kopdes_savings_open_accounts(self, day=None):
        """Open the pokok and wajib accounts of these (active) members where missing.

        Batch: one search for the existing accounts and one ``create`` for the new ones.
        """
        members = self.filtered(lambda m: m.state == "active")
        if not members:
            return self.env["kopdes.savings.account"]
        # accounts are named after the member number (SP-AGT-00001): number members that
        # were just approved before their accounts are opened
        members.filtered(lambda m: not m.member_number)._kopdes_activate_partners()
        Product = self.env["kopdes.savings.product"].sudo()
        products = Product.search(
            [("company_id", "in", members.company_id.ids), ("kind", "in", ("pokok", "wajib"))]
        )
        if not products:
            return self.env["kopdes.savings.account"]
        Account = self.env["kopdes.savings.account"].sudo()
        existing = {
            (member.id, product.id)
            for member, product in Account._read_group(
                [
                    ("member_id", "in", members.ids),
                    ("product_id", "in", products.ids),
                    ("state", "=", "open"),
                ],
                ["member_id", "product_id"],
            )
        }
        vals_list = []
        for member in members:
            for product in products.filtered(lambda p, m=member: p.company_id == m.company_id):
                if (member.id, product.id) not in existing:
                    vals_list.append(
                        {
                            "member_id": member.id,
                            "product_id": product.id,
                            "company_id": member.company_id.id,
                            "open_date": day or member.join_date or kopdes_today(self.env),
                        }
                    )
        return Account.with_context(tracking_disable=True).create(vals_list)

    def _kopdes_savings_account(self, kind, create=False, open_date=None):
        """The member's open account of ``kind`` (pokok, wajib, sukarela, berjangka).

        With ``create=True`` a missing account is opened (on ``open_date``, today by
        default) on the cooperative's product of that kind. Returns an empty recordset when
        there is none.
        """
        self.ensure_one()
        account = self.savings_account_ids.filtered(lambda a: a.state == "open" and a.kind == kind)[
            :1
        ]
        if account or not create:
            return account
        product = self.env["kopdes.savings.product"].search(
            [("company_id", "=", self.company_id.id), ("kind", "=", kind)], limit=1
        )
        if not product:
            raise UserError(
                _("The cooperative has no savings product of the kind %(kind)s.", kind=kind)
            )
        vals = {"member_id": self.id, "product_id": product.id, "company_id": self.company_id.id}
        if open_date:
            vals["open_date"] = open_date
        return self.env["kopdes.savings.account"].create(vals)

    def _kopdes_savings_balances(self):
        """``{member_id: {kind: balance}}`` for these members, from one ``_read_group``."""
        result = {member.id: {} for member in self}
        for member, kind, balance in self.env["kopdes.savings.account"]._read_group(
            [("member_id", "in", self.ids)], ["member_id", "kind"], ["balance:sum"]
        ):
            result[member.id][kind] = balance
        return result

    def _kopdes_money_attached(self):
        """Members with savings: any savings transaction posted on one of their accounts."""
        members = super()._kopdes_money_attached()
        if not self.ids:
            return members
        with_savings = (
            self.env["kopdes.savings.transaction"]
            .sudo()
            ._read_group([("member_id", "in", self.ids), ("state", "=", "posted")], ["member_id"])
        )
        return members | self.browse([member.id for (member,) in with_savings])

    def _kopdes_change_state(self, new_state, change_date, reason):
        """Members with savings leave through the exit settlement, which refunds them."""
        if new_state in ("resigned", "deceased") and not kopdes_is_system(
            self.env, EXIT_SETTLEMENT
        ):
            balances = self._kopdes_savings_balances()
            with_money = self.filtered(
                lambda m: any(
                    m.savings_currency_id.compare_amounts(value, 0.0)
                    for value in balances[m.id].values()
                )
            )
            if with_money:
                raise UserError(
                    _(
                        "%(names)s still have savings: use the Exit Settlement button, which "
                        "refunds the savings and then changes the status.",
                        names=", ".join(with_money.mapped("display_name")),
                    )
                )
        return super()._kopdes_change_state(new_state, change_date, reason)

    # ------------------------------------------------- exit settlement hooks

    def _kopdes_exit_deduction_lines(self, date):
        """What these members owe the cooperative, to be deducted from their savings refund.

        Extension point for other addons (kopdes_financing adds outstanding loans): return a
        list of dicts, oldest debt first, each with

        - ``member_id``: the member (id) who owes it,
        - ``amount``: the amount owed (positive, company currency),
        - ``account_id``: the account credited in the exit entry (e.g. loan receivable),
        - ``name``: the label of the journal item,
        - any other key the extending addon needs in :meth:`_kopdes_exit_settled`
          (e.g. ``res_model``/``res_id`` of the loan); they are passed back untouched.

        The base implementation owes nothing. Override with
        ``return super()._kopdes_exit_deduction_lines(date) + my_lines``.
        """
        return []

    def _kopdes_exit_amount_owed(self, date=None):
        """``{member_id: total owed}`` from :meth:`_kopdes_exit_deduction_lines`."""
        owed = {member.id: 0.0 for member in self}
        for line in self._kopdes_exit_deduction_lines(date or kopdes_today(self.env)):
            owed[line["member_id"]] = owed.get(line["member_id"], 0.0) + line["amount"]
        return owed

    def _kopdes_exit_settled(self, move, deductions):
        """Called once the exit entry ``move`` is posted.

        ``deductions`` are the dicts of :meth:`_kopdes_exit_deduction_lines` that were
        deducted, each with the ``amount`` actually deducted (capped at the savings) and
        ``move_line_id``: the credit line of the entry for it, e.g. to reconcile it with the
        loan's receivable. The base implementation does nothing.
        """
        return True
