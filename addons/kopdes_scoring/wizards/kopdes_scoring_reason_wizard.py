from odoo import fields, models


class KopdesScoringReasonWizard(models.TransientModel):
    _name = "kopdes.scoring.reason.wizard"
    _description = "Objection to Automated Scoring"

    member_id = fields.Many2one("kopdes.member", required=True, readonly=True)
    action = fields.Selection([("objection", "Objection")], required=True, default="objection")
    reason = fields.Text(required=True, string="What the Member Said")

    def action_confirm(self):
        self.ensure_one()
        self.member_id.action_object_scoring(self.reason)
        return {"type": "ir.actions.act_window_close"}
