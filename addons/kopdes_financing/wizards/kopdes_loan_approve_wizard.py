from odoo import api, fields, models


class KopdesLoanApproveWizard(models.TransientModel):
    _name = "kopdes.loan.approve.wizard"
    _description = "Approve or Reject a Loan"

    loan_id = fields.Many2one("kopdes.loan", required=True, readonly=True)
    currency_id = fields.Many2one(related="loan_id.currency_id")
    amount = fields.Monetary(related="loan_id.amount")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    approval_limit = fields.Monetary(string="Your Approval Limit", compute="_compute_limit")
    member_overdue = fields.Boolean(related="loan_id.member_overdue")
    prepared_by_id = fields.Many2one(related="loan_id.prepared_by_id")
    submitted_by_id = fields.Many2one(related="loan_id.submitted_by_id")
    own_application = fields.Boolean(compute="_compute_own_application")
    reason = fields.Text(required=True)

    @api.depends("loan_id")
    def _compute_limit(self):
        for wizard in self:
            wizard.approval_limit = (
                wizard.loan_id.product_id._kopdes_approval_limit(self.env.user)
                if wizard.loan_id
                else 0.0
            )

    @api.depends("loan_id")
    def _compute_own_application(self):
        for wizard in self:
            wizard.own_application = bool(
                wizard.loan_id and wizard.loan_id._kopdes_is_own_application()
            )

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.loan_id.action_approve(self.reason)
        else:
            self.loan_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
