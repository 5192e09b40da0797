from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # each WhatsApp notification can be switched off per cooperative; all on by default
    kopdes_wa_remind_before = fields.Boolean(string="Remind Before Due Date", default=True)
    kopdes_wa_remind_days_before = fields.Integer(string="Days Before Due Date", default=3)
    kopdes_wa_remind_due = fields.Boolean(string="Remind on the Due Date", default=True)
    kopdes_wa_remind_overdue_1 = fields.Boolean(string="Remind 1 Day Overdue", default=True)
    kopdes_wa_remind_overdue_7 = fields.Boolean(string="Remind 7 Days Overdue", default=True)
    kopdes_wa_receipt_savings = fields.Boolean(string="Savings Receipts", default=True)
    kopdes_wa_receipt_loan = fields.Boolean(string="Loan Payment Receipts", default=True)
    kopdes_wa_dues_reminder = fields.Boolean(string="Compulsory Savings Reminders", default=True)

    # chatbot (h10b)
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
