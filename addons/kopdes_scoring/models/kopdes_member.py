from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group, kopdes_has_group

from .kopdes_bank_profile import REPAYMENT, SAVINGS, number
from .kopdes_scoring_common import (
    GRADES,
    GROUP_ACCOUNTANT,
    GROUP_MANAGER,
    GROUP_OFFICER,
    GROUP_USER,
    is_scoring_system,
    scoring_system,
)

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

    # ------------------------------------------------------- bank-ready profile

    def _kopdes_bank_profile_check(self):
        if not any(
            kopdes_has_group(self.env, group)
            for group in (GROUP_OFFICER, GROUP_MANAGER, GROUP_ACCOUNTANT)
        ):
            raise AccessError(
                _("Only loan officers, managers and accountants can export a bank profile.")
            )
        refused = self - self._kopdes_consent_granted("bank_sharing")
        if refused:
            raise UserError(
                _(
                    "%(members)s did not consent to sharing data with banks: no bank profile "
                    "was made.",
                    members=", ".join(refused.mapped("name")),
                )
            )

    def _kopdes_bank_profile_data(self):
        """The profile of each member of ``self`` (a dict per member id), no check, no log."""
        today = self.env["kopdes.scoring.model"]._kopdes_today()
        frame = (
            self.env["kopdes.scoring.feature"]
            .sudo()
            ._kopdes_features([(member.id, today) for member in self])
        )
        rows = {int(row["member_id"]): row for row in frame.to_dict("records")}
        result = {}
        for member in self.sudo():
            row = rows[member.id]
            score = member.kopdes_score_id
            result[member.id] = {
                "cooperative": member.company_id.name,
                "member_number": member.member_number,
                "name": member.name,
                "date": str(today),
                "join_date": str(member.join_date) if member.join_date else None,
                "tenure_months": number(row.get("tenure_months")),
                "score": score.score if score else None,
                "grade": member.kopdes_grade or None,
                "scored_on": str(score.date) if score else None,
                "reasons": [line for line in (score.reasons or "").splitlines() if line.strip()],
                "repayment": {name: number(row.get(name)) for name in REPAYMENT},
                "savings": {name: number(row.get(name)) for name in SAVINGS},
                "currency": member.company_id.currency_id.name,
            }
        return result

    def _kopdes_bank_profile_log(self, kind):
        for member in self:
            member.sudo().message_post(
                body=_(
                    "Bank profile exported (%(kind)s) by %(user)s.",
                    kind=kind,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _kopdes_bank_profile_json(self):
        """The credit profile of one member as a dict (no NIK); consent and role checked,
        the export logged."""
        self.ensure_one()
        self._kopdes_bank_profile_check()
        data = self._kopdes_bank_profile_data()[self.id]
        self._kopdes_bank_profile_log("JSON")
        return data

    def _kopdes_bank_profile_pdf(self):
        """The credit profile of one member as PDF bytes (NIK masked); checked and logged by
        the report itself."""
        self.ensure_one()
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "kopdes_scoring.action_report_bank_profile", self.ids
        )
        return pdf

    def action_bank_profile_pdf(self):
        self._kopdes_bank_profile_check()
        return self.env.ref("kopdes_scoring.action_report_bank_profile").report_action(self)
