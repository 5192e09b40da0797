import calendar
import datetime

from odoo import fields, models

from ..models.common import kopdes_today


def _last_month_end(today):
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    return previous.replace(day=calendar.monthrange(previous.year, previous.month)[1])


class KopdesLoanMonthEndWizard(models.TransientModel):
    _name = "kopdes.loan.month.end.wizard"
    _description = "Run the Loan Month-End"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    date = fields.Date(
        string="Period End",
        required=True,
        default=lambda self: _last_month_end(kopdes_today(self.env)),
    )

    def action_confirm(self):
        self.ensure_one()
        record = self.env["kopdes.loan.month.end"]._kopdes_close(self.date, self.company_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.loan.month.end",
            "res_id": record.id,
            "view_mode": "form",
        }
