from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

from .kopdes_kasbon import KASBON_POSTING

REPAYMENT_SOURCES = [
    ("cash", "Cash"),
    ("bank", "Bank"),
    ("savings", "Voluntary Savings"),
    ("refund", "Refund at the Till"),
    ("exit", "Exit Settlement"),
]


class KopdesKasbonRepayment(models.Model):
    _name = "kopdes.kasbon.repayment"
    _description = "Kasbon Repayment"
    _inherit = ["mail.thread", "kopdes.move.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    member_id = fields.Many2one(
        "kopdes.member", required=True, readonly=True, index=True, check_company=True
    )
    partner_id = fields.Many2one(related="member_id.partner_id", store=True, string="Contact")
    date = fields.Date(required=True, readonly=True, index=True)
    amount = fields.Monetary(required=True, readonly=True)
    source = fields.Selection(REPAYMENT_SOURCES, required=True, readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True, check_company=True)
    savings_transaction_id = fields.Many2one(
        "kopdes.savings.transaction", string="Savings Withdrawal", readonly=True
    )
    pos_order_id = fields.Many2one("pos.order", string="Refund Order", readonly=True)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    allocation_ids = fields.One2many(
        "kopdes.kasbon.allocation", "repayment_id", string="Kasbon Repaid", readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Teller", readonly=True, default=lambda self: self.env.user
    )

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not kopdes_is_system(self.env, KASBON_POSTING):
            raise UserError(_("Kasbon is repaid at the teller, with the Repay Kasbon button."))
        return super().create(vals_list)

    def write(self, vals):
        system_free = {"message_main_attachment_id", "message_follower_ids"}
        if set(vals) - system_free and not kopdes_is_system(self.env, KASBON_POSTING):
            raise UserError(_("A posted repayment is never changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("A posted repayment is never changed."))

    @api.model
    def _kopdes_move_context(self):
        return {KASBON_POSTING: True}

    # ------------------------------------------------------------ posting

    @api.model
    def _kopdes_repay(self, member, amount, source, journal=None, date=None, first=None, **vals):
        """Repay ``amount`` of the open kasbon of ``member``, the kasbon ``first`` first and
        then the oldest due first, and post it:

        - ``cash``/``bank``: the journal's account against the kasbon receivable;
        - ``savings``: a posted withdrawal from the member's simpanan sukarela whose
          counterpart is the kasbon receivable;
        - ``refund``: the member's receivable against the kasbon receivable (the session
          closing credits that receivable for the refund and reconciles both);
        - ``exit``: no entry here (the exit settlement's entry credits the receivable).

        Refused (``UserError``, nothing changed) above the open kasbon. Returns the repayment.
        """
        company = member.company_id
        currency = company.currency_id
        amount, kasbons = self._kopdes_check_amount(member, amount, first=first)
        date = date or kopdes_today(self.env, company)
        allocations = []
        left = amount
        for kasbon in kasbons:
            if currency.is_zero(left):
                break
            part = min(kasbon.amount_residual, left)
            allocations.append((0, 0, {"kasbon_id": kasbon.id, "amount": part}))
            left = currency.round(left - part)
        repayment = kopdes_system(self, KASBON_POSTING).create(
            {
                "name": vals.pop("name", None)
                or _("Kasbon repayment %(member)s", member=member.member_number or member.name),
                "company_id": company.id,
                "member_id": member.id,
                "date": date,
                "amount": amount,
                "source": source,
                "journal_id": journal.id if journal else False,
                "allocation_ids": allocations,
                **vals,
            }
        )
        repayment._kopdes_post()
        return repayment

    @api.model
    def _kopdes_check_amount(self, member, amount, first=None):
        """``(amount rounded, open kasbon of member in repayment order)``; ``UserError``
        when the amount is not more than zero or more than the open kasbon."""
        currency = member.company_id.currency_id
        amount = currency.round(amount)
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(_("The repayment must be more than zero."))
        kasbons = (
            self.env["kopdes.kasbon"]
            .sudo()
            .search([("member_id", "=", member.id), ("state", "=", "open")])
        )
        if first:
            kasbons = first.filtered(lambda k: k.state == "open") | kasbons
        open_total = sum(kasbons.mapped("amount_residual"))
        if currency.compare_amounts(amount, open_total) > 0:
            raise UserError(
                _(
                    "%(member)s owes %(open)s of kasbon; the repayment of %(amount)s is more "
                    "than that.",
                    member=member.display_name,
                    open=self.env["kopdes.kasbon"]._kopdes_format_amount(open_total, currency),
                    amount=self.env["kopdes.kasbon"]._kopdes_format_amount(amount, currency),
                )
            )
        return amount, kasbons

    def _kopdes_post(self):
        for repayment in self:
            company = repayment.company_id
            partner = repayment.partner_id
            kasbon_account = company.kopdes_kasbon_account_id
            label = _("Kasbon repayment %(ref)s", ref=repayment.name)
            credit_lines = self.env["account.move.line"]
            if repayment.source in ("cash", "bank", "refund"):
                if repayment.source == "refund":
                    debit_account = partner.with_company(company).property_account_receivable_id
                    journal = company.kopdes_kasbon_journal_id
                else:
                    journal = repayment.journal_id
                    debit_account = journal.default_account_id
                lines = [
                    repayment._kopdes_prepare_move_line_vals(
                        debit_account, repayment.amount, label, partner
                    ),
                    repayment._kopdes_prepare_move_line_vals(
                        kasbon_account, -repayment.amount, label, partner
                    ),
                ]
                vals = repayment._kopdes_prepare_move_vals(
                    journal, repayment.date, lines, repayment.name
                )
                move = repayment._kopdes_make_moves([vals], link_field="move_id")
                credit_lines = move.line_ids.filtered(
                    lambda ml, acc=kasbon_account: ml.account_id == acc
                )
            elif repayment.source == "savings":
                account = repayment.member_id._kopdes_savings_account("sukarela")
                if not account:
                    raise UserError(
                        _(
                            "%(member)s has no simpanan sukarela account.",
                            member=repayment.member_id.display_name,
                        )
                    )
                tx = account.sudo()._kopdes_withdraw(
                    repayment.amount,
                    date=repayment.date,
                    counterpart_account_id=kasbon_account.id,
                    payment_journal_id=False,
                    ref=repayment.name,
                    note=label,
                )
                if tx.state != "posted":
                    raise UserError(
                        _(
                            "The withdrawal from simpanan sukarela needs a manager's approval; "
                            "a manager (Pengurus) repays this kasbon."
                        )
                    )
                kopdes_system(repayment, KASBON_POSTING).write(
                    {"savings_transaction_id": tx.id, "move_id": tx.move_id.id}
                )
                credit_lines = tx.move_id.line_ids.filtered(
                    lambda ml, acc=kasbon_account: ml.account_id == acc
                )
            repayment._kopdes_reconcile(credit_lines)

    def _kopdes_reconcile(self, credit_lines):
        """Reconcile the repayment's credit on the kasbon receivable with the open kasbon
        lines it repaid."""
        self.ensure_one()
        debit_lines = self.allocation_ids.kasbon_id.move_line_id.filtered(
            lambda ml: not ml.reconciled
        )
        lines = (credit_lines | debit_lines).filtered(lambda ml: not ml.reconciled)
        if lines.filtered("debit") and lines.filtered("credit"):
            lines.sudo().reconcile()
