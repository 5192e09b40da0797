from odoo import _, api, fields, models

STEPS = [
    ("dues", "Wajib dues raised"),
    ("interest", "Voluntary-savings interest (PPh final withheld)"),
    ("late_fees", "Loan late fees"),
    ("accrual", "Loan interest accrual"),
    ("arrears", "Days past due and collectability classes"),
    ("provision", "Loan loss provisions (PPAP)"),
]


class KopdesCloseStep(models.Model):
    """What one step of a close did: how many records it touched, the amount it posted and
    its journal entries (over all runs of the close)."""

    _name = "kopdes.close.step"
    _description = "Month-End Close Step"
    _order = "close_id, sequence, id"

    @api.depends("close_id", "code")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for rec in self:
            rec.display_name = f"{rec.close_id.display_name or ''}: {labels.get(rec.code, '')}"

    close_id = fields.Many2one("kopdes.close", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="close_id.company_id", store=True)
    currency_id = fields.Many2one(related="close_id.currency_id")
    sequence = fields.Integer()
    code = fields.Selection(STEPS, string="Step", required=True)
    record_count = fields.Integer(string="Records")
    amount = fields.Monetary()
    move_ids = fields.Many2many("account.move", string="Journal Entries")
    move_count = fields.Integer(compute="_compute_move_count", string="Entries")
    res_model = fields.Char(string="Document Model")
    res_id = fields.Integer(string="Document")

    def _compute_move_count(self):
        for step in self:
            step.move_count = len(step.move_ids)

    def action_open(self):
        """The step's journal entries, or the document that ran it."""
        self.ensure_one()
        if self.move_ids:
            return {
                "type": "ir.actions.act_window",
                "name": _("Journal Entries"),
                "res_model": "account.move",
                "view_mode": "list,form",
                "domain": [("id", "in", self.move_ids.ids)],
                "context": {"create": False},
            }
        if self.code == "dues":
            return {
                "type": "ir.actions.act_window",
                "name": _("Wajib Dues"),
                "res_model": "kopdes.savings.due",
                "view_mode": "list,form",
                "domain": [
                    ("company_id", "=", self.close_id.company_id.id),
                    ("period_start", ">=", self.close_id.date_from),
                    ("period_start", "<=", self.close_id.date_to),
                ],
                "context": {"create": False},
            }
        if self.res_model and self.res_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": self.res_model,
                "res_id": self.res_id,
                "view_mode": "form",
            }
        return False
