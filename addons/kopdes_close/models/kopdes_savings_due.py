from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_is_system

from .kopdes_close import CLOSE_POSTING


class KopdesSavingsDue(models.Model):
    _inherit = "kopdes.savings.due"

    kopdes_close_id = fields.Many2one(
        "kopdes.close", string="Raised by Close", index="btree_not_null", readonly=True
    )

    @api.model
    def _kopdes_dues_raised(self, dues):
        """Dues raised by a close remember it (reopening removes them while unpaid)."""
        close_id = self.env.context.get("kopdes_close_id")
        if close_id and dues and kopdes_is_system(self.env, CLOSE_POSTING):
            self.env.cr.execute(
                SQL(
                    "UPDATE kopdes_savings_due SET kopdes_close_id = %s WHERE id = ANY(%s)",
                    close_id,
                    dues.ids,
                )
            )
            dues.invalidate_recordset(["kopdes_close_id"])
        return super()._kopdes_dues_raised(dues)
