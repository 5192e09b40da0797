from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .kopdes_member import SCORE_GROUPS
from .kopdes_scoring_common import (
    GRADES_AGAINST_APPROVAL,
    GRADES_AGAINST_REJECTION,
    GROUP_MANAGER,
    is_scoring_system,
    scoring_system,
)

SCORING_LOAN_FIELDS = {
    "score_id",
    "scoring_human_review",
    "score_override_reason",
    "score_override_by_id",
}


class KopdesLoan(models.Model):
    _inherit = "kopdes.loan"

    score_id = fields.Many2one("kopdes.score", readonly=True, copy=False, groups=SCORE_GROUPS)
    score_points = fields.Integer(related="score_id.score", string="Points", groups=SCORE_GROUPS)
    score_grade = fields.Selection(related="score_id.grade", string="Grade", groups=SCORE_GROUPS)
    score_probability = fields.Float(
        related="score_id.probability", string="Probability of Default", groups=SCORE_GROUPS
    )
    score_reasons = fields.Text(related="score_id.reasons", string="Reasons", groups=SCORE_GROUPS)
    score_model_kind = fields.Selection(
        related="score_id.model_kind", string="Scored By", groups=SCORE_GROUPS
    )
    score_thin_file = fields.Boolean(
        related="score_id.thin_file", string="No History", groups=SCORE_GROUPS
    )
    scoring_human_review = fields.Boolean(
        string="Human Review Only",
        readonly=True,
        copy=False,
        help="The member objected to automated scoring: the committee decides without a score.",
    )
    score_override_reason = fields.Text(
        string="Why Against the Score", readonly=True, copy=False, groups=SCORE_GROUPS
    )
    score_override_by_id = fields.Many2one(
        "res.users", string="Decided Against the Score By", readonly=True, copy=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(SCORING_LOAN_FIELDS & set(vals) for vals in vals_list):
            self._kopdes_check_scoring_write()
        return super().create(vals_list)

    def write(self, vals):
        if SCORING_LOAN_FIELDS & set(vals):
            self._kopdes_check_scoring_write()
        return super().write(vals)

    def _kopdes_check_scoring_write(self):
        if not is_scoring_system(self.env):
            raise AccessError(_("The score of a loan is written by the scoring only."))

    def action_submit(self):
        result = super().action_submit()
        scoring_system(self)._kopdes_score_applications()
        return result

    def _kopdes_score_applications(self):
        """Score the submitted applications as of their application date (system)."""
        objecting = self.filtered(lambda loan: loan.member_id.scoring_objection)
        objecting.write({"scoring_human_review": True, "score_id": False})
        Score = self.env["kopdes.score"]
        for loan in self - objecting:
            score = Score.with_company(loan.company_id)._kopdes_score_members_system(
                loan.member_id, loan.application_date, loan, "application"
            )
            loan.write({"score_id": score[:1].id, "scoring_human_review": False})
        return True

    def _kopdes_against_score(self, decision):
        """Whether ``decision`` (approve/reject) goes against the score's grade."""
        self.ensure_one()
        grade = self.sudo().score_id.grade
        if not grade:
            return False
        if decision == "approve":
            return grade in GRADES_AGAINST_APPROVAL
        return grade in GRADES_AGAINST_REJECTION

    def _kopdes_check_score_decision(self, decision):
        for loan in self:
            if (
                loan._kopdes_against_score(decision)
                and not (loan.sudo().score_override_reason or "").strip()
            ):
                raise UserError(
                    _(
                        "%(loan)s has grade %(grade)s: write why the committee decides "
                        "against the score.",
                        loan=loan.name,
                        grade=loan.sudo().score_id.grade,
                    )
                )

    def action_approve(self, reason):
        self._kopdes_check_score_decision("approve")
        return super().action_approve(reason)

    def action_reject(self, reason):
        self._kopdes_check_score_decision("reject")
        return super().action_reject(reason)

    def action_score_override(self, reason):
        """The committee records why it decides against the score's grade."""
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise UserError(_("Only a manager (Pengurus) decides against the score."))
        if not (reason or "").strip():
            raise UserError(_("Write why the committee decides against the score."))
        for loan in self:
            if loan.state not in ("submitted", "approved"):
                raise UserError(_("The score is overridden while the application is decided."))
        scoring_system(self).write(
            {"score_override_reason": reason, "score_override_by_id": self.env.uid}
        )
        for loan in self:
            loan.message_post(
                body=_(
                    "Decision against the score (grade %(grade)s) by %(user)s: %(reason)s",
                    grade=loan.sudo().score_id.grade or "-",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
