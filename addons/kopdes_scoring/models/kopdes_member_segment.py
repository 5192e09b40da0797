"""Member segments: active members clustered by how they save, borrow and shop (KMeans on
the scoring features), each segment named in Indonesian from its profile; refreshed monthly."""

import numpy as np
from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .kopdes_scoring_common import check_scoring_role, is_scoring_system, scoring_system

# behaviour columns (from kopdes.scoring.feature) the clustering reads
BEHAVIOUR = (
    "sav_voluntary_balance",
    "sav_trend_6m",
    "sav_wajib_on_time_rate",
    "rep_installments",
    "rep_max_dpd",
    "shop_orders_6m",
    "shop_amount_6m",
    "shop_weeks_active",
)
MAX_SEGMENTS = 5
# (code, condition on the standardised centre): the first that fits names a segment
RULES = (
    ("late_borrower", lambda c: c["rep_max_dpd"] > 0.8),
    ("daily_trader", lambda c: c["shop_weeks_active"] > 0.5 and c["shop_orders_6m"] > 0.5),
    ("active_borrower", lambda c: c["rep_installments"] > 0.5),
    ("regular_saver", lambda c: c["sav_voluntary_balance"] > 0.3 or c["sav_trend_6m"] > 0.3),
    ("behind_wajib", lambda c: c["sav_wajib_on_time_rate"] < -0.5),
    ("passive", lambda c: True),
)


def segment_names(env):
    return {
        "late_borrower": env._("Late-paying borrowers"),
        "daily_trader": env._("Daily shoppers"),
        "active_borrower": env._("Active borrowers"),
        "regular_saver": env._("Regular savers"),
        "behind_wajib": env._("Behind on mandatory savings"),
        "passive": env._("Passive members"),
    }


class KopdesMemberSegment(models.Model):
    _name = "kopdes.member.segment"
    _description = "Member Segment"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    code = fields.Char(readonly=True)
    sequence = fields.Integer(default=10, readonly=True)
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    date = fields.Date(string="Refreshed On", readonly=True)
    profile = fields.Json(readonly=True, help="Average behaviour of the segment's members.")
    profile_html = fields.Html(compute="_compute_profile_html", sanitize=False)
    member_ids = fields.One2many("kopdes.member", "kopdes_segment_id", string="Members")
    member_count = fields.Integer(compute="_compute_member_count")
    active = fields.Boolean(default=True, readonly=True)

    def _compute_member_count(self):
        counts = dict(
            self.env["kopdes.member"]._read_group(
                [("kopdes_segment_id", "in", self.ids)], ["kopdes_segment_id"], ["__count"]
            )
        )
        for segment in self:
            segment.member_count = counts.get(segment, 0)

    @api.depends("profile")
    def _compute_profile_html(self):
        labels = dict(self.env["kopdes.score"]._kopdes_feature_labels())
        for segment in self:
            segment.profile_html = "".join(
                f"<div>{escape(labels.get(name, name))}: {value:,.1f}</div>"
                for name, value in (segment.profile or {}).items()
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_scoring_system(self.env):
            raise AccessError(_("Segments are made by the monthly refresh only."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_scoring_system(self.env):
            raise AccessError(_("Segments are made by the monthly refresh only."))
        return super().write(vals)

    @api.model
    def action_refresh(self):
        check_scoring_role(self.env, _("Only loan officers and managers can refresh segments."))
        scoring_system(self)._kopdes_refresh(self.env.company)
        return True

    @api.model
    def _kopdes_refresh(self, company, as_of=None):
        """Cluster the active members of ``company`` as of ``as_of`` and assign segments
        (one statement for the assignment)."""
        from sklearn.cluster import KMeans

        day = as_of or self.env["kopdes.scoring.model"]._kopdes_today(company)
        members = self.env["kopdes.member"].search(
            [("company_id", "=", company.id), ("state", "=", "active")], order="id"
        )
        old = self.with_context(active_test=False).search([("company_id", "=", company.id)])
        if not members:
            old.write({"active": False})
            return self.browse()
        frame = self.env["kopdes.scoring.feature"]._kopdes_features(
            [(member_id, day) for member_id in members.ids]
        )
        data = frame[list(BEHAVIOUR)].astype(float).fillna(0.0)
        std = data.std(ddof=0).replace(0, 1.0)
        scaled = (data - data.mean()) / std
        k = max(1, min(MAX_SEGMENTS, len(members) // 4 or 1))
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(scaled.to_numpy())
        segments = {}
        used = {}
        names = segment_names(self.with_context(lang=company.partner_id.lang or "id_ID").env)
        for cluster in range(k):
            mask = labels == cluster
            if not mask.any():
                continue
            centre = scaled[mask].mean()
            base = next(c for c, cond in RULES if cond(centre))
            used[base] = used.get(base, 0) + 1
            code, label = base, names[base]
            if used[base] > 1:
                code, label = f"{base}_{used[base]}", f"{label} {used[base]}"
            profile = {key: round(float(v), 2) for key, v in data[mask].mean().items()}
            profile["members"] = int(mask.sum())
            segment = old.filtered(lambda s, c=code: s.code == c)[:1]
            vals = {"name": label, "date": day, "profile": profile, "active": True}
            if segment:
                segment.write(vals)
            else:
                segment = self.create(
                    {**vals, "code": code, "company_id": company.id, "sequence": cluster}
                )
            segments[cluster] = segment
        (old - self.browse([s.id for s in segments.values()])).write({"active": False})
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_member m SET kopdes_segment_id = v.segment
                  FROM unnest(%s::int[], %s::int[]) AS v(member, segment)
                 WHERE m.id = v.member
                """,
                members.ids,
                [segments[int(label)].id for label in np.asarray(labels)],
            )
        )
        self.env["kopdes.member"].invalidate_model(["kopdes_segment_id"])
        return self.browse([s.id for s in segments.values()])

    @api.model
    def _cron_refresh(self):
        Segment = scoring_system(self)
        for company in self.env["res.company"].search([]):
            Segment.with_company(company)._kopdes_refresh(company)
