from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kopdes_wa_remind_before = fields.Boolean(
        related="company_id.kopdes_wa_remind_before", readonly=False
    )
    kopdes_wa_remind_days_before = fields.Integer(
        related="company_id.kopdes_wa_remind_days_before", readonly=False
    )
    kopdes_wa_remind_due = fields.Boolean(related="company_id.kopdes_wa_remind_due", readonly=False)
    kopdes_wa_remind_overdue_1 = fields.Boolean(
        related="company_id.kopdes_wa_remind_overdue_1", readonly=False
    )
    kopdes_wa_remind_overdue_7 = fields.Boolean(
        related="company_id.kopdes_wa_remind_overdue_7", readonly=False
    )
    kopdes_wa_receipt_savings = fields.Boolean(
        related="company_id.kopdes_wa_receipt_savings", readonly=False
    )
    kopdes_wa_receipt_loan = fields.Boolean(
        related="company_id.kopdes_wa_receipt_loan", readonly=False
    )
    kopdes_wa_dues_reminder = fields.Boolean(
        related="company_id.kopdes_wa_dues_reminder", readonly=False
    )

    # chatbot (h10b)
    kopdes_wa_bot_hourly_limit = fields.Integer(
        related="company_id.kopdes_wa_bot_hourly_limit", readonly=False
    )
    kopdes_wa_staff_user_id = fields.Many2one(
        related="company_id.kopdes_wa_staff_user_id", readonly=False
    )
