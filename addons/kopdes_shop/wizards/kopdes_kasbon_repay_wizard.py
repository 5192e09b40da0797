from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group


class KopdesKasbonRepayWizard(models.TransientModel):
    _name = "kopdes.kasbon.repay.wizard"
    _description = "Repay Kasbon"

    member_id = fields.Many2one("kopdes.member", required=True, readonly=True)
    company_id = fields.Many2one(related="member_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    kasbon_open = fields.Monetary(related="member_id.kasbon_open", string="Kasbon Open")
    kasbon_overdue_amount = fields.Monetary(
        related="member_id.kasbon_overdue_amount", string="Kasbon Overdue"
    )
    source = fields.Selection(
        [("cash", "Cash"), ("bank", "Bank"), ("savings", "Voluntary Savings")],
        string="Paid With",
        required=True,
        default="cash",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Cash or Bank Journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id), ('type', '=', source)]",
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False, required=True)

    @api.depends("member_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.member_id.kasbon_open

    @api.depends("source", "company_id")
    def _compute_journal_id(self):
        for wizard in self:
            if wizard.source in ("cash", "bank"):
                wizard.journal_id = self.env["account.journal"].search(
                    [("company_id", "=", wizard.company_id.id), ("type", "=", wizard.source)],
                    limit=1,
                )
            else:
                wizard.journal_id = False

    def action_confirm(self):
        self.ensure_one()
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff (Petugas) record kasbon repayments."),
        )
        if self.source in ("cash", "bank") and not self.journal_id:
            raise UserError(_("Choose the cash or bank journal the member pays into."))
        repayment = self.env["kopdes.kasbon.repayment"]._kopdes_repay(
            self.member_id,
            self.amount,
            self.source,
            journal=self.journal_id if self.source != "savings" else None,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.kasbon.repayment",
            "res_id": repayment.id,
            "view_mode": "form",
        }
