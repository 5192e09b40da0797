from odoo import fields, models

from ..tools import periods


class KopdesSavingsInterestWizard(models.TransientModel):
    _name = "kopdes.savings.interest.wizard"
    _description = "Credit Savings Interest"

    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Month",
        required=True,
        default=lambda self: periods.previous_period(fields.Date.context_today(self)),
        help="Any day of the month whose interest is credited.",
    )

    def action_run(self):
        self.ensure_one()
        self.env["kopdes.member"]._kopdes_check_manager()
        batch = (
            self.env["kopdes.savings.interest.batch"].sudo()._kopdes_run(self.company_id, self.date)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.savings.interest.batch",
            "res_id": batch.id,
            "view_mode": "form",
        }
