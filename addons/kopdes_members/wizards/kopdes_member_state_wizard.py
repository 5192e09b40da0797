from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.kopdes_system import kopdes_today


class KopdesMemberStateWizard(models.TransientModel):
    _name = "kopdes.member.state.wizard"
    _description = "Change Member Status"

    member_ids = fields.Many2many("kopdes.member", string="Members", required=True)
    new_state = fields.Selection(
        [
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("resigned", "Resigned"),
            ("deceased", "Deceased"),
        ],
        string="New Status",
        required=True,
    )
    change_date = fields.Date(
        string="Effective Date", required=True, default=lambda self: kopdes_today(self.env)
    )
    reason = fields.Text(required=True)

    @api.constrains("change_date")
    def _check_change_date(self):
        today = kopdes_today(self.env)
        for wizard in self:
            if wizard.change_date > today:
                raise UserError(_("The effective date of a status change cannot be in the future."))

    def action_confirm(self):
        self.ensure_one()
        self.member_ids._kopdes_check_manager()
        if not (self.reason or "").strip():
            raise UserError(_("Write the reason of the status change."))
        self.member_ids._kopdes_change_state(self.new_state, self.change_date, self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
