from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group

from .kopdes_scoring_common import GRADES, GROUP_USER, is_scoring_system, scoring_system

SCORE_GROUPS = (
    "kopdes_members.group_kopdes_loan_officer,kopdes_members.group_kopdes_manager,"
    "kopdes_members.group_kopdes_accountant"
)


SCORING_MEMBER_FIELDS = {
    "kopdes_score_id",
    "kopdes_grade",
    "kopdes_segment_id",
    "scoring_objection",
    "scoring_objection_date",
    "scoring_objection_reason",
}


class KopdesMember(models.Model):
    _inherit = "kopdes.member"

    kopdes_score_id = fields.Many2one(
        "kopdes.score", string="Latest Score", readonly=True, copy=False, groups=SCORE_GROUPS
    )
    kopdes_grade = fields.Selection(
        GRADES, string="Risk Grade", readonly=True, copy=False, index=True, groups=SCORE_GROUPS
    )
    kopdes_score_points = fields.Integer(
        related="kopdes_score_id.score", string="Score", groups=SCORE_GROUPS
    )
    kopdes_score_reasons = fields.Text(
        related="kopdes_score_id.reasons", string="Score Reasons", groups=SCORE_GROUPS
    )
    kopdes_score_date = fields.Date(
        related="kopdes_score_id.date", string="Scored On", groups=SCORE_GROUPS
    )
    kopdes_score_kind = fields.Selection(
        related="kopdes_score_id.model_kind", string="Scored By", groups=SCORE_GROUPS
    )
    kopdes_score_count = fields.Integer(
        string="Scores", compute="_compute_kopdes_score_count", groups=SCORE_GROUPS
    )
    kopdes_segment_id = fields.Many2one(
        "kopdes.member.segment", string="Segment", readonly=True, copy=False, index=True
    )
    kopdes_recommendation_ids = fields.One2many(
        "kopdes.recommendation", "member_id", string="Recommendations", groups=SCORE_GROUPS
    )
    scoring_objection = fields.Boolean(
        string="Objects to Automated Scoring",
        readonly=True,
        copy=False,
        tracking=True,
        help="The member objected to automated scoring (UU 27/2022): loans get a human "
        "review only, without a score.",
    )
    scoring_objection_date = fields.Date(string="Objection Date", readonly=True, copy=False)
    scoring_objection_reason = fields.Text(string="Objection", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        if any(SCORING_MEMBER_FIELDS & set(vals) for vals in vals_list):
            self._kopdes_check_scoring_write()
        return super().create(vals_list)

    def write(self, vals):
        if SCORING_MEMBER_FIELDS & set(vals):
            self._kopdes_check_scoring_write()
        return super().write(vals)

    def _kopdes_check_scoring_write(self):
        if not is_scoring_system(self.env):
            raise AccessError(
                _("Scores, segments and objections are recorded by their buttons only.")
            )

    def _compute_kopdes_score_count(self):
        counts = dict(
            self.env["kopdes.score"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.kopdes_score_count = counts.get(member, 0)

    def action_object_scoring(self, reason):
        """Record the member's objection to automated scoring: their open applications
        lose their score and show "human review only"."""
        kopdes_check_group(
            self.env, GROUP_USER, _("Only cooperative staff can record an objection.")
        )
        if not (reason or "").strip():
            raise UserError(_("Write what the member said when objecting."))
        today = self.env["kopdes.scoring.model"]._kopdes_today()
        system = scoring_system(self)
        system.write(
            {
                "scoring_objection": True,
                "scoring_objection_date": today,
                "scoring_objection_reason": reason,
            }
        )
        loans = system.env["kopdes.loan"].search(
            [("member_id", "in", self.ids), ("state", "in", ("draft", "submitted"))]
        )
        loans.write({"score_id": False, "scoring_human_review": True})
        for member in self:
            member.message_post(
                body=_(
                    "Objected to automated scoring: %(reason)s. Applications get a human "
                    "review only.",
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_withdraw_scoring_objection(self):
        kopdes_check_group(
            self.env, GROUP_USER, _("Only cooperative staff can record an objection.")
        )
        scoring_system(self).write({"scoring_objection": False})
        for member in self:
            member.message_post(
                body=_("Objection to automated scoring withdrawn."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_score_now(self):
        """Score the member today (loan officers and managers)."""
        scores = self.env["kopdes.score"]._kopdes_score_members(self, origin="manual")
        if not scores:
            raise UserError(_("The member objected to automated scoring; no score was made."))
        return self.action_view_scores()

    def action_view_scores(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("kopdes_scoring.kopdes_score_action")
        action["domain"] = [("member_id", "in", self.ids)]
        action["context"] = {}
        return action

    def action_open_objection_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Objection to Automated Scoring"),
            "res_model": "kopdes.scoring.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_member_id": self.id, "default_action": "objection"},
        }

    @api.model
    def _cron_kopdes_score_batch(self):
        """Monthly: score every active member of every cooperative."""
        Score = scoring_system(self.env["kopdes.score"])
        for company in self.env["res.company"].search([]):
            members = self.search([("company_id", "=", company.id), ("state", "=", "active")])
            Score.with_company(company)._kopdes_score_members_system(members, None, None, "batch")
