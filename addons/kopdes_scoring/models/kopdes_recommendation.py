"""Product recommendations: configurable rules over the scoring features (the same frame as
the scores) plus the member's risk grade, evaluated in batch for a whole cooperative."""

import ast
import logging
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_without_defaults

from .kopdes_scoring_common import GRADES, check_scoring_role, is_scoring_system, scoring_system
from .kopdes_scoring_feature import FEATURES

_logger = logging.getLogger(__name__)
GRADE_ORDER = {code: index for index, (code, _label) in enumerate(GRADES)}
VARIABLES = (*FEATURES, "grade", "score")


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def condition_names(condition):
    """The variable names a condition reads (for the reason shown to staff)."""
    try:
        tree = ast.parse(condition or "True", mode="eval")
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in VARIABLES and node.id not in names:
            names.append(node.id)
    return names


class _FormatDict(dict):
    def __missing__(self, key):
        return "-"


class KopdesRecommendationRule(models.Model):
    _name = "kopdes.recommendation.rule"
    _description = "Recommendation Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    condition = fields.Text(
        required=True,
        default="True",
        help="A Python expression over the member's features (e.g. occupation == 'trader' "
        "and (rep_max_dpd or 0) <= 7); a missing feature is None. Also grade and score.",
    )
    product_kind = fields.Selection(
        [("savings", "Savings Product"), ("loan", "Loan Product"), ("label", "Other")],
        string="Product Type",
        required=True,
        default="label",
    )
    savings_product_id = fields.Many2one("kopdes.savings.product", check_company=True)
    loan_product_id = fields.Many2one("kopdes.loan.product", check_company=True)
    product_label = fields.Char(string="Product")
    message = fields.Text(
        string="Message Template",
        required=True,
        help="Sent to the member; placeholders {member}, {product} and any feature name.",
    )
    max_grade = fields.Selection(
        GRADES,
        string="Worst Risk Grade",
        help="Only members with this grade or a better one (and a grade) get it; empty: any.",
    )
    promotion = fields.Boolean(
        help="A promotion: sent only to members who consented to WhatsApp promotions."
    )
    wa_template = fields.Char(
        string="WhatsApp Template",
        help="Name of an approved WhatsApp template to send (its variables rendered from the "
        "member); without one the message is sent as free text, which WhatsApp delivers only "
        "to members who wrote in the last 24 hours.",
    )
    recommendation_count = fields.Integer(compute="_compute_recommendation_count")

    def _compute_recommendation_count(self):
        counts = dict(
            self.env["kopdes.recommendation"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.recommendation_count = counts.get(rule, 0)

    @api.constrains("condition", "message", "product_kind", "savings_product_id", "loan_product_id")
    def _check_condition(self):
        sample = dict.fromkeys(VARIABLES)
        for rule in self:
            try:
                ast.parse(rule.condition or "", mode="eval")
            except SyntaxError as err:
                raise ValidationError(
                    _(
                        "The condition of rule %(rule)s is not valid: %(error)s",
                        rule=rule.name,
                        error=err.msg,
                    )
                ) from err
            try:
                rule._kopdes_match(sample)
            except ValidationError:
                raise
            except Exception as err:  # noqa: BLE001 - any error of a user expression
                raise ValidationError(
                    _(
                        "The condition of rule %(rule)s is not valid: %(error)s",
                        rule=rule.name,
                        error=err,
                    )
                ) from err
            if rule.product_kind == "savings" and not rule.savings_product_id:
                raise ValidationError(_("Rule %(rule)s needs a savings product.", rule=rule.name))
            if rule.product_kind == "loan" and not rule.loan_product_id:
                raise ValidationError(_("Rule %(rule)s needs a loan product.", rule=rule.name))
            try:
                (rule.message or "").format_map(_FormatDict())
            except (ValueError, IndexError) as err:
                raise ValidationError(
                    _(
                        "The message of rule %(rule)s is not valid: %(error)s",
                        rule=rule.name,
                        error=err,
                    )
                ) from err

    def _kopdes_product_name(self):
        self.ensure_one()
        if self.product_kind == "savings":
            return self.savings_product_id.name
        if self.product_kind == "loan":
            return self.loan_product_id.name
        return self.product_label or self.name

    def _kopdes_match(self, values):
        """Does the member with ``values`` (features, grade, score) fit the rule?"""
        self.ensure_one()
        if self.max_grade:
            grade = values.get("grade")
            if not grade or GRADE_ORDER[grade] > GRADE_ORDER[self.max_grade]:
                return False
        try:
            return bool(safe_eval(self.condition or "True", dict(values)))
        except TypeError:
            # a comparison with a missing feature (None): no history, no recommendation
            return False

    def _kopdes_safe_match(self, values):
        """``_kopdes_match`` for the batch: a rule whose condition cannot be evaluated (data
        written around the form's check) recommends nothing and is logged."""
        try:
            return self._kopdes_match(values)
        except Exception:  # noqa: BLE001 - any error of a user expression
            _logger.warning("Recommendation rule %s cannot be evaluated", self.id, exc_info=True)
            return False


class KopdesRecommendation(models.Model):
    _name = "kopdes.recommendation"
    _description = "Product Recommendation"
    _order = "date desc, sequence, id"
    _check_company_auto = True

    member_id = fields.Many2one(
        "kopdes.member",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    rule_id = fields.Many2one(
        "kopdes.recommendation.rule",
        required=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    sequence = fields.Integer(readonly=True)
    date = fields.Date(required=True, readonly=True)
    product = fields.Char(readonly=True)
    grade = fields.Selection(GRADES, string="Risk Grade", readonly=True)
    reason = fields.Text(readonly=True)
    message = fields.Text(readonly=True)
    promotion = fields.Boolean(related="rule_id.promotion", store=True)
    state = fields.Selection(
        [("new", "New"), ("sent", "Sent"), ("done", "Done")],
        default="new",
        required=True,
        readonly=True,
    )
    sent_date = fields.Datetime(readonly=True)

    @api.depends("product", "member_id.name")
    def _compute_display_name(self):
        for reco in self:
            reco.display_name = f"{reco.product or reco.rule_id.name} – {reco.member_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not is_scoring_system(self.env):
            raise UserError(_("Recommendations are made by the monthly run or its button only."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_scoring_system(self.env):
            raise UserError(_("Recommendations are changed by their buttons only."))
        return super().write(vals)

    @api.model
    def action_refresh(self):
        check_scoring_role(
            self.env, _("Only loan officers and managers can compute recommendations.")
        )
        scoring_system(self)._kopdes_recommend(self.env.company)
        return True

    def action_done(self):
        check_scoring_role(
            self.env, _("Only loan officers and managers can close recommendations.")
        )
        scoring_system(self).write({"state": "done"})
        return True

    @api.model
    def _kopdes_recommend(self, company, as_of=None, members=None):
        """Evaluate the active rules of ``company`` for its active members (or ``members``)
        as of ``as_of``; replaces their open ("new") recommendations. One feature frame,
        one read of the grades, one create."""
        day = as_of or self.env["kopdes.scoring.model"]._kopdes_today(company)
        Member = self.env["kopdes.member"]
        if members is None:
            members = Member.search(
                [("company_id", "=", company.id), ("state", "=", "active")], order="id"
            )
        rules = self.env["kopdes.recommendation.rule"].search([("company_id", "=", company.id)])
        old = self.search([("member_id", "in", members.ids), ("state", "=", "new")])
        old.unlink()
        if not members or not rules:
            return self.browse()
        frame = self.env["kopdes.scoring.feature"]._kopdes_features(
            [(member_id, day) for member_id in members.ids]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.kopdes_grade, s.score
                  FROM kopdes_member m
             LEFT JOIN kopdes_score s ON s.id = m.kopdes_score_id
                 WHERE m.id = ANY(%s)
                """,
                members.ids,
            )
        )
        grades = {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
        names = dict(zip(members.ids, members.mapped("name"), strict=True))
        rule_names = {rule.id: condition_names(rule.condition) for rule in rules}
        products = {rule.id: rule._kopdes_product_name() for rule in rules}
        labels = dict(self.env["kopdes.score"]._kopdes_feature_labels())
        labels.update({"grade": _("Risk Grade"), "score": _("Score")})
        vals_list = []
        records = frame.to_dict("records")
        for row in records:
            member_id = int(row["member_id"])
            grade, score = grades.get(member_id, (None, None))
            values = {name: _clean(row.get(name)) for name in FEATURES}
            values.update({"grade": grade, "score": score})
            for rule in rules:
                if not rule._kopdes_safe_match(values):
                    continue
                shown = [
                    f"{labels.get(name, name)}: {_format(values[name])}"
                    for name in rule_names[rule.id]
                ]
                if rule.max_grade:
                    shown.append(f"{labels['grade']}: {grade}")
                text = {"member": names[member_id], "product": products[rule.id]}
                text.update({k: _format(v) for k, v in values.items()})
                vals_list.append(
                    {
                        "member_id": member_id,
                        "rule_id": rule.id,
                        "company_id": company.id,
                        "sequence": rule.sequence,
                        "date": day,
                        "product": products[rule.id],
                        "grade": grade,
                        "reason": _("%(rule)s — %(facts)s", rule=rule.name, facts="; ".join(shown)),
                        "message": (rule.message or "").format_map(_FormatDict(text)),
                    }
                )
        return self.create(vals_list)

    @api.model
    def _cron_recommend(self):
        Reco = scoring_system(self)
        for company in self.env["res.company"].search([]):
            Reco.with_company(company)._kopdes_recommend(company)

    @api.model
    def _kopdes_recommend_demo(self, company_ids):
        Reco = scoring_system(self)
        for company in self.env["res.company"].browse(company_ids):
            Reco.with_company(company)._kopdes_recommend(company)

    def action_send_whatsapp(self):
        """Send the selected promotion recommendations over WhatsApp, only to members who
        consented to promotions; returns a notification with the counts."""
        check_scoring_role(self.env, _("Only loan officers and managers can send recommendations."))
        if "kopdes.wa.message" not in self.env:
            raise UserError(_("WhatsApp is not installed."))
        records = self.filtered(lambda r: r.state == "new")
        not_promo = records.filtered(lambda r: not r.promotion)
        promo = records - not_promo
        consenting = promo.member_id._kopdes_consent_granted("whatsapp_promotion")
        allowed = promo.filtered(lambda r: r.member_id in consenting)
        groups = {}
        for reco in allowed:
            rule = reco.rule_id
            body = None if rule.wa_template else reco.message
            key = (rule.id, reco.date, body)
            groups[key] = groups.get(key, self.browse()) | reco
        Message = self.env["kopdes.wa.message"]
        sent = self.browse()
        for (rule_id, day, body), recos in groups.items():
            rule = self.env["kopdes.recommendation.rule"].browse(rule_id)
            messages = Message._kopdes_notify(
                recos.member_id,
                "promotion",
                f"recommendation-{rule_id}-{day}",
                template=rule.wa_template or None,
                body=body,
            )
            queued = messages.mapped("member_id")
            sent |= recos.filtered(lambda r, q=queued: r.member_id in q)
        scoring_system(sent).write({"state": "sent", "sent_date": fields.Datetime.now()})
        skipped = len(records) - len(sent)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _(
                    "%(sent)s recommendations queued on WhatsApp, %(skipped)s skipped (not a "
                    "promotion, no consent for promotions or not deliverable).",
                    sent=len(sent),
                    skipped=skipped,
                ),
            },
        }


def _format(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
