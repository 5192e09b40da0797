from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_is_system,
    kopdes_without_defaults,
)

SHU_POSTING = "kopdes_shu_posting"


class KopdesShuLine(models.Model):
    """One member's SHU of one year: what they saved, bought and paid, and what each gave
    them. Written by the computation (one batched INSERT); members choose only how they
    are paid (cash or voluntary savings) until the payout."""

    _name = "kopdes.shu.line"
    _description = "Member SHU"
    _order = "distribution_id desc, total desc, id"
    _check_company_auto = True
    _rec_name = "member_id"

    distribution_id = fields.Many2one(
        "kopdes.shu.distribution", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    fiscal_year = fields.Integer(related="distribution_id.fiscal_year")
    member_id = fields.Many2one(
        "kopdes.member", required=True, index=True, readonly=True, check_company=True
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    member_number = fields.Char(related="member_id.member_number", string="Member No.")
    village = fields.Char(related="member_id.village")
    is_leaver = fields.Boolean(string="Left in the Year", readonly=True)
    capital_base = fields.Monetary(
        string="Average Savings",
        readonly=True,
        help="Average daily balance of the savings "
        "that count as capital (pokok, wajib, and sukarela when the rule says so).",
    )
    purchases = fields.Monetary(string="Shop Purchases", readonly=True, help="Net of refunds.")
    interest_paid = fields.Monetary(string="Loan Interest Paid", readonly=True)
    capital_share = fields.Monetary(readonly=True)
    pos_share = fields.Monetary(string="Purchases Share", readonly=True)
    loan_share = fields.Monetary(string="Loan Interest Share", readonly=True)
    total = fields.Monetary(string="SHU", readonly=True)
    pph = fields.Monetary(string="PPh Withheld", readonly=True)
    net = fields.Monetary(string="Net SHU", readonly=True)
    payout_method = fields.Selection(
        [("cash", "Cash"), ("sukarela", "Voluntary Savings")], string="Payout", required=True
    )
    payout_state = fields.Selection(
        [("pending", "To Pay"), ("paid", "Paid")], default="pending", readonly=True
    )
    savings_transaction_id = fields.Many2one(
        "kopdes.savings.transaction", string="Savings Credit", readonly=True, check_company=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not kopdes_is_system(self.env, SHU_POSTING):
            raise UserError(_("Member SHU lines are made by computing the distribution."))
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, SHU_POSTING):
            if set(vals) - {"payout_method"}:
                raise UserError(_("Only the payout choice of a member's SHU can be changed."))
            self.distribution_id._kopdes_check_run()
            if any(line.payout_state != "pending" for line in self):
                raise UserError(_("This SHU has already been paid out."))
            if vals.get("payout_method") == "sukarela" and any(self.mapped("is_leaver")):
                raise UserError(
                    _("A member who left has no voluntary savings to credit the SHU to.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(line.distribution_id.state in ("posted", "paid") for line in self):
            raise UserError(_("The member SHU of a posted distribution cannot be deleted."))

    def action_print_slip(self):
        return self.env.ref("kopdes_shu.action_report_shu_slip").report_action(self)
