"""Scores: one member (and, for an application, one loan) scored on a date by a model."""

import json
import math

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .kopdes_scoring_common import (
    GRADES,
    check_scoring_role,
    grade_of,
    is_scoring_system,
    scoring_system,
)
from .kopdes_scoring_feature import FEATURES, NO_HISTORY, model_input

REASONS_PER_SCORE = 4


class KopdesScore(models.Model):
    _name = "kopdes.score"
    _description = "Credit Score"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    member_id = fields.Many2one(
        "kopdes.member", required=True, index=True, readonly=True, check_company=True
    )
    loan_id = fields.Many2one(
        "kopdes.loan",
        string="Application",
        index=True,
        readonly=True,
        check_company=True,
        ondelete="set null",
    )
    model_id = fields.Many2one("kopdes.scoring.model", readonly=True, check_company=True)
    model_kind = fields.Selection(
        [("expert", "Expert scorecard"), ("trained", "Trained model")],
        string="Scored By",
        required=True,
        readonly=True,
    )
    origin = fields.Selection(
        [("application", "Loan application"), ("batch", "Monthly batch"), ("manual", "On request")],
        required=True,
        readonly=True,
        default="manual",
    )
    date = fields.Date(string="As Of", required=True, index=True, readonly=True)
    score = fields.Integer(string="Points", readonly=True, aggregator="avg")
    probability = fields.Float(
        string="Probability of Default", digits=(16, 4), readonly=True, aggregator="avg"
    )
    grade = fields.Selection(GRADES, required=True, index=True, readonly=True)
    reasons = fields.Text(readonly=True, help="What cost the member the most points.")
    points_detail = fields.Json(readonly=True)
    points_html = fields.Html(
        string="Points per Feature", compute="_compute_points_html", sanitize=False
    )
    thin_file = fields.Boolean(
        string="No History",
        readonly=True,
        help="The member has no repayment or savings history yet: scored with neutral points.",
    )
    shop_used = fields.Boolean(
        string="Shop Data Used",
        readonly=True,
        help="Shop purchases were used (consent for credit scoring granted on that date).",
    )
    is_latest = fields.Boolean(string="Latest", readonly=True, index=True)
    village = fields.Char(readonly=True)
    business_type_id = fields.Many2one("kopdes.business.type", readonly=True)
    segment_id = fields.Many2one("kopdes.member.segment", readonly=True)
    count = fields.Integer(default=1, readonly=True, aggregator="sum", string="Members")

    @api.depends("member_id", "date")
    def _compute_name(self):
        for score in self:
            score.name = f"{score.member_id.display_name or ''} {score.date or ''}".strip()

    @api.depends("points_detail")
    def _compute_points_html(self):
        labels = dict(self._kopdes_feature_labels())
        for score in self:
            rows = []
            for feature, item in (score.points_detail or {}).items():
                value = item.get("value")
                rows.append(
                    f"<tr><td>{escape(labels.get(feature, feature))}</td>"
                    f"<td>{escape('-' if value is None else value)}</td>"
                    f"<td class='text-end'>{escape(item.get('points'))}</td></tr>"
                )
            score.points_html = (
                f"<table class='table table-sm'><thead><tr><th>{escape(_('Feature'))}</th>"
                f"<th>{escape(_('Value'))}</th><th class='text-end'>{escape(_('Points'))}</th>"
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_scoring_system(self.env):
            raise AccessError(_("Scores are made by the scoring only; they cannot be entered."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_scoring_system(self.env):
            raise AccessError(_("Scores are made by the scoring only; they cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_by_system_only(self):
        if not is_scoring_system(self.env):
            raise AccessError(_("Scores are kept as the record of the scoring."))

    # ----------------------------------------------------------------- labels

    @api.model
    def _kopdes_feature_labels(self):
        return [
            ("tenure_months", _("Membership (months)")),
            ("age_band", _("Age group")),
            ("business_type", _("Business type")),
            ("village", _("Village")),
            ("occupation", _("Occupation")),
            ("rep_installments", _("Installments due so far")),
            ("rep_max_dpd", _("Most days late")),
            ("rep_mean_dpd", _("Average days late")),
            ("rep_late_count", _("Installments paid late")),
            ("rep_loans_closed_clean", _("Loans repaid cleanly")),
            ("rep_restructured", _("Rescheduled loans")),
            ("rep_written_off", _("Written-off loans")),
            ("sav_wajib_on_time_rate", _("Mandatory savings paid on time")),
            ("sav_months_behind", _("Mandatory savings months behind")),
            ("sav_voluntary_balance", _("Voluntary savings balance")),
            ("sav_trend_3m", _("Voluntary savings change (3 months)")),
            ("sav_trend_6m", _("Voluntary savings change (6 months)")),
            ("shop_orders_6m", _("Shop purchases (6 months)")),
            ("shop_amount_6m", _("Shop spending (6 months)")),
            ("shop_weeks_active", _("Weeks with shop purchases (of 26)")),
            ("shop_groceries_share", _("Share of groceries")),
            ("shop_pharmacy_share", _("Share of pharmacy")),
            ("shop_farm_inputs_share", _("Share of farm inputs")),
            ("kasbon_open", _("Open shop credit (kasbon)")),
            ("kasbon_overdue_days", _("Shop credit days overdue")),
            ("base", _("Base points")),
        ]

    def _kopdes_reason_cached(self, cache, feature, value):
        """:meth:`_kopdes_reason_text`, once per distinct (feature, value) of a batch."""
        key = (feature, _jsonable(value))
        if key not in cache:
            cache[key] = self._kopdes_reason_text(feature, value)
        return cache[key]

    @api.model
    def _kopdes_reason_text(self, feature, value):
        """A reason in plain words for ``feature`` at ``value`` (what cost points)."""
        _ = self.env._  # the texts below are built in closures: translate with this env
        if value is None or (isinstance(value, float) and math.isnan(value)):
            label = dict(self._kopdes_feature_labels()).get(feature, feature)
            return _("No history yet: %(feature)s", feature=label)
        number = value
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        money = self.env.company.currency_id

        def fmt_money(amount):
            return f"{money.symbol} {amount:,.0f}".replace(",", ".")

        texts = {
            "rep_max_dpd": lambda: _("Paid an installment %(days)s days late", days=number),
            "rep_mean_dpd": lambda: _(
                "Installments paid on average %(days)s days late", days=round(float(value))
            ),
            "rep_late_count": lambda: _("%(count)s installments paid late", count=number),
            "rep_loans_closed_clean": lambda: (
                _("No loan repaid in full yet")
                if not number
                else _("%(count)s loan(s) repaid cleanly so far", count=number)
            ),
            "rep_restructured": lambda: _("Loan rescheduled %(count)s times", count=number),
            "rep_written_off": lambda: _("A loan was written off (%(count)s)", count=number),
            "rep_installments": lambda: _(
                "Short repayment history (%(count)s installments)", count=number
            ),
            "sav_months_behind": lambda: _(
                "Mandatory savings %(months)s months behind", months=number
            ),
            "sav_wajib_on_time_rate": lambda: _(
                "Mandatory savings paid on time in %(percent)s%% of the months",
                percent=round(float(value) * 100),
            ),
            "sav_voluntary_balance": lambda: _(
                "Voluntary savings balance %(amount)s", amount=fmt_money(float(value))
            ),
            "sav_trend_3m": lambda: _(
                "Voluntary savings changed by %(amount)s in 3 months",
                amount=fmt_money(float(value)),
            ),
            "sav_trend_6m": lambda: _(
                "Voluntary savings changed by %(amount)s in 6 months",
                amount=fmt_money(float(value)),
            ),
            "tenure_months": lambda: _("Membership of %(months)s months", months=number),
            "shop_weeks_active": lambda: _(
                "Shopped at the store in only %(weeks)s of the last 26 weeks", weeks=number
            ),
            "shop_orders_6m": lambda: _("Few shop purchases (%(count)s in 6 months)", count=number),
            "shop_amount_6m": lambda: _(
                "Shop spending %(amount)s in 6 months", amount=fmt_money(float(value))
            ),
            "kasbon_open": lambda: _("Open shop credit %(amount)s", amount=fmt_money(float(value))),
            "kasbon_overdue_days": lambda: _("Shop credit %(days)s days overdue", days=number),
        }
        if feature in texts:
            return texts[feature]()
        label = dict(self._kopdes_feature_labels()).get(feature, feature)
        return _(
            "%(feature)s: %(value)s", feature=label, value=self._kopdes_value_label(feature, value)
        )

    @api.model
    def _kopdes_value_label(self, feature, value):
        """What a categorical value reads as: the business type's name, the occupation's
        label, the village in title case."""
        if feature == "business_type":
            types = self.env["kopdes.business.type"].sudo().with_context(active_test=False)
            found = types.search(
                ["|", ("code", "=", value), ("id", "=", int(value) if str(value).isdigit() else 0)],
                limit=1,
            )
            return found.name or value
        if feature == "occupation":
            selection = dict(
                self.env["kopdes.member"]._fields["occupation"]._description_selection(self.env)
            )
            return selection.get(value, value)
        if feature == "village":
            return str(value).title()
        return value

    @api.model
    def _kopdes_strengths(self, row):
        """Good habits worth saying beside the reasons (shop regularity, savings)."""
        strengths = []
        weeks = row.get("shop_weeks_active")
        if weeks is not None and not _isnan(weeks) and weeks >= 20:
            strengths.append(_("Shops regularly at the store every week"))
        rate = row.get("sav_wajib_on_time_rate")
        if rate is not None and not _isnan(rate) and rate >= 0.95:
            strengths.append(_("Mandatory savings always paid on time"))
        return strengths

    # ---------------------------------------------------------------- scoring

    @api.model
    def _kopdes_score_members(self, members, as_of=None, loans=None, origin="manual"):
        """Score ``members`` as of ``as_of`` (today by default) with the active model of
        their cooperative (or the expert scorecard) and record the scores; ``loans``
        (one per member, same order) links application scores. Members who objected to
        automated scoring are left out. Returns the scores."""
        check_scoring_role(self.env, _("Only loan officers and managers can score members."))
        allowed = self.env.companies
        foreign = members.filtered(lambda member: member.company_id not in allowed)
        if foreign:
            raise UserError(
                _(
                    "%(member)s belongs to another cooperative and cannot be scored here.",
                    member=foreign[0].display_name,
                )
            )
        return scoring_system(self)._kopdes_score_members_system(members, as_of, loans, origin)

    def _kopdes_score_members_system(self, members, as_of, loans, origin):
        Model = self.env["kopdes.scoring.model"]
        loan_of = dict(zip(members.ids, loans.ids, strict=True)) if loans else {}
        # one query for any number of members (reading the records would take one per
        # thousand): who is scored, by cooperative, objections left out
        by_company = {}
        if members:
            Member = self.env["kopdes.member"]
            Member.flush_model(["company_id", "scoring_objection"])
            self.env.cr.execute(
                "SELECT company_id, array_agg(id ORDER BY id) FROM kopdes_member "
                "WHERE id = ANY(%s) AND scoring_objection IS NOT TRUE GROUP BY company_id",
                [members.ids],
            )
            by_company = dict(self.env.cr.fetchall())
        scores = self.browse()
        for company in self.env["res.company"].browse(sorted(by_company)):
            self = self.with_context(lang=company.partner_id.lang or self.env.lang or "en_US")
            company_members = self.env["kopdes.member"].browse(by_company[company.id])
            day = as_of or Model._kopdes_today(company)
            model, scorecard = Model._kopdes_active_scorer(company)
            keys = [(member.id, day) for member in company_members]
            frame = self.env["kopdes.scoring.feature"]._kopdes_features(keys)
            scores |= self._kopdes_record(company, frame, model, scorecard, day, origin, loan_of)
        return scores

    def _kopdes_record(self, company, frame, model, scorecard, day, origin, loan_of):
        """Score the rows of ``frame`` and insert the scores in one statement."""
        if frame.empty:
            return self.browse()
        features = list(scorecard_features(model, frame))
        X = model_input(frame, features)
        points = scorecard.points(X)
        totals = scorecard.score(X)
        probabilities = scorecard.predict_proba(X)
        reasons = scorecard.reasons(X, k=REASONS_PER_SCORE)
        self.env.cr.execute(
            SQL(
                """
                SELECT id, village, business_type_id, kopdes_segment_id
                  FROM kopdes_member WHERE id = ANY(%s)
                """,
                [int(m) for m in frame["member_id"]],
            )
        )
        member_info = {
            row[0]: {"village": row[1], "business_type_id": row[2], "kopdes_segment_id": row[3]}
            for row in self.env.cr.fetchall()
        }
        values = []
        rows = frame.to_dict("records")
        point_rows = points.to_dict("records")
        columns = list(points.columns)
        texts_cache = {}
        for position, row in enumerate(rows):
            row_points = point_rows[position]
            detail = {
                feature: {
                    "value": _jsonable(row.get(feature)),
                    "points": int(row_points[feature]),
                }
                for feature in columns
            }
            # what every applicant starts with: the points above sum exactly to the score
            detail["base"] = {"value": None, "points": int(scorecard.base_points)}
            # a missing value (no history) earns neutral points: never a reason
            texts = [
                self._kopdes_reason_cached(texts_cache, feature, value)
                for feature, value, lost in reasons[position]
                if lost > 0 and not _is_missing(value)
            ]
            texts += self._kopdes_strengths(row)
            member_id = int(row["member_id"])
            info = member_info.get(member_id, {})
            score = int(totals.iloc[position])
            values.append(
                {
                    "member_id": member_id,
                    "loan_id": loan_of.get(member_id) or None,
                    "score": score,
                    "probability": float(probabilities[position]),
                    "grade": grade_of(score),
                    "reasons": "\n".join(texts),
                    "points_detail": json.dumps(detail),
                    "thin_file": bool(row["thin_file"]),
                    "shop_used": bool(row["shop_consent"]),
                    "village": info.get("village") or None,
                    "business_type_id": info.get("business_type_id") or None,
                    "segment_id": info.get("kopdes_segment_id") or None,
                }
            )
        return self._kopdes_insert(company, model, day, origin, values)

    def _kopdes_insert(self, company, model, day, origin, values):
        """Insert ``values`` (dicts) as scores and mark them the latest of their members."""
        self.env.flush_all()
        columns = [
            "member_id",
            "loan_id",
            "score",
            "probability",
            "grade",
            "reasons",
            "points_detail",
            "thin_file",
            "shop_used",
            "village",
            "business_type_id",
            "segment_id",
        ]
        arrays = {name: [vals[name] for vals in values] for name in columns}
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kopdes_score (
                    company_id, model_id, model_kind, origin, date, is_latest, count,
                    member_id, loan_id, score, probability, grade, reasons, points_detail,
                    thin_file, shop_used, village, business_type_id, segment_id,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(company)s, %(model)s, %(kind)s, %(origin)s, %(date)s, TRUE, 1,
                       v.member_id, v.loan_id, v.score, v.probability, v.grade, v.reasons,
                       v.points_detail::jsonb, v.thin_file, v.shop_used, v.village,
                       v.business_type_id, v.segment_id,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(member_id)s::int[], %(loan_id)s::int[], %(score)s::int[],
                              %(probability)s::float8[], %(grade)s::varchar[],
                              %(reasons)s::text[], %(points_detail)s::text[],
                              %(thin_file)s::bool[], %(shop_used)s::bool[],
                              %(village)s::varchar[], %(business_type_id)s::int[],
                              %(segment_id)s::int[])
                       AS v(member_id, loan_id, score, probability, grade, reasons,
                            points_detail, thin_file, shop_used, village, business_type_id,
                            segment_id)
                RETURNING id
                """,
                company=company.id,
                model=model.id or None,
                kind="trained" if model else "expert",
                origin=origin,
                date=day,
                uid=self.env.uid,
                **arrays,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_score SET is_latest = FALSE
                 WHERE member_id = ANY(%(members)s) AND is_latest AND id != ALL(%(ids)s)
                """,
                members=arrays["member_id"],
                ids=ids,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_member m SET kopdes_score_id = s.id, kopdes_grade = s.grade
                  FROM kopdes_score s WHERE s.id = ANY(%(ids)s) AND m.id = s.member_id
                """,
                ids=ids,
            )
        )
        self.invalidate_model()
        self.env["kopdes.member"].invalidate_model(["kopdes_score_id", "kopdes_grade"])
        return self.browse(ids)

    # ---------------------------------------------------------------- actions

    def action_view_member(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kopdes.member",
            "res_id": self.member_id.id,
            "view_mode": "form",
        }


def scorecard_features(model, frame):
    """The features a model reads: those it was trained on, or every known feature (plus
    kasbon when available) for the expert scorecard."""
    if model and model.feature_names:
        return [name for name in model.feature_names.split(",") if name]
    names = list(FEATURES)
    names += [name for name in ("kasbon_open", "kasbon_overdue_days") if name in frame]
    return names


def _is_missing(value):
    if value is None or value == NO_HISTORY:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def _isnan(value):
    return isinstance(value, float) and math.isnan(value)


def _jsonable(value):
    if value is None:
        return None
    if isinstance(value, (bool, str)):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return None
    return round(number, 4)
