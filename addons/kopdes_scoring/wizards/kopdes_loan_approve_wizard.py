from odoo import api, fields, models

from ..models.kopdes_member import SCORE_GROUPS


class KopdesLoanApproveWizard(models.TransientModel):
    _inherit = "kopdes.loan.approve.wizard"

    score_grade = fields.Selection(related="loan_id.score_grade", groups=SCORE_GROUPS)
    score_points = fields.Integer(related="loan_id.score_points", groups=SCORE_GROUPS)
    score_reasons = fields.Text(related="loan_id.score_reasons", groups=SCORE_GROUPS)
    scoring_human_review = fields.Boolean(related="loan_id.scoring_human_review")
    against_score = fields.Boolean(compute="_compute_against_score")
    score_override_reason = fields.Text(
        string="Why Against the Score",
        help="Required when the committee approves a D or E grade or rejects an A or B grade.",
    )

    @api.depends("loan_id", "decision")
    def _compute_against_score(self):
        for wizard in self:
            wizard.against_score = bool(
                wizard.loan_id and wizard.loan_id._kopdes_against_score(wizard.decision)
            )

    def action_confirm(self):
        self.ensure_one()
        if self.against_score and (self.score_override_reason or "").strip():
            self.loan_id.action_score_override(self.score_override_reason)
        return super().action_confirm()
