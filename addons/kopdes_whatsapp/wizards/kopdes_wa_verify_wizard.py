from odoo import _, fields, models

from ..models.kopdes_member_wa_verification import CODE_MAX_ATTEMPTS


class KopdesWaVerifyWizard(models.TransientModel):
    _name = "kopdes.wa.verify.wizard"
    _description = "Enter the WhatsApp Verification Code"

    member_id = fields.Many2one("kopdes.member", required=True, readonly=True)
    code = fields.Char(required=True, help="The six digits the member received by WhatsApp.")

    def action_confirm(self):
        self.ensure_one()
        if self.member_id.action_wa_enter_code(self.code):
            return {"type": "ir.actions.act_window_close"}
        left = max(0, CODE_MAX_ATTEMPTS - self.member_id.sudo().wa_code_attempts)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger",
                "sticky": False,
                "message": _("The code is not correct. Attempts left: %(left)s.", left=left),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
