from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_wa_bot_hourly_limit = fields.Integer(
        string="Chatbot Messages per Hour",
        default=30,
        help="Messages one number may send to the chatbot in an hour; above it the chatbot "
        "answers once that the member should wait, then stays silent. Zero: no limit.",
    )
    kopdes_wa_staff_user_id = fields.Many2one(
        "res.users",
        string="Chatbot Staff Contact",
        help="Who gets the activity when a member asks the chatbot for staff or applies to "
        "join. Empty: the administrator.",
    )
