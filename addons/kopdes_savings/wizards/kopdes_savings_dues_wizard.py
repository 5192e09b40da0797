from odoo import _, fields, models

from ..tools import periods


class KopdesSavingsDuesWizard(models.TransientModel):
    _name = "kopdes.savings.dues.wizard"
    _description = "Raise Wajib Dues"

    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Period",
        required=True,
        default=fields.Date.context_today,
        help="Any day of the period whose dues are raised.",
    )

    def action_generate(self):
        self.ensure_one()
        self.env["kopdes.member"]._kopdes_check_manager()
        count = self.env["kopdes.savings.due"].sudo()._kopdes_generate(self.company_id, self.date)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if count else "info",
                "title": _("Wajib Dues"),
                "message": _(
                    "%(count)s new dues raised for %(period)s.",
                    count=count,
                    period=periods.period_label(periods.period_start(self.date)),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
