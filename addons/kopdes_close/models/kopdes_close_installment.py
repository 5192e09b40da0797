from odoo import api, fields, models


class KopdesCloseInstallment(models.Model):
    """What a close changed on an installment (late fee charged, interest accrued), so that
    reopening the close restores it exactly. Written and read with SQL by the close only."""

    _name = "kopdes.close.installment"
    _description = "Installment Before a Close"
    _log_access = False

    @api.depends("close_id", "line_id")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = (
                f"{rec.close_id.display_name or ''}: {rec.line_id.display_name or ''}"
            )

    close_id = fields.Many2one("kopdes.close", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True)
    line_id = fields.Many2one("kopdes.loan.line", required=True, ondelete="cascade")
    late_fee = fields.Float()
    late_fee_date = fields.Date()
    interest_accrued = fields.Float()

    _sql_constraints = [
        ("close_line_uniq", "unique(close_id, line_id)", "One row per close and installment."),
    ]
