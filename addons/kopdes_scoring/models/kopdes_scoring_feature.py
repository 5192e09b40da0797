"""The features of the scoring: what the cooperative knew about a member on a date.

Every family (profile, repayment, savings, shop, consent, kasbon) is one SQL statement over
all the requested rows at once, each row a pair (member, as-of date), so the same code
builds the batch of every active member today and the training set of every past loan at
its application date. Nothing recorded after a row's date is read (no look-ahead): an
installment paid after the date counts as unpaid on it, a consent granted after it does
not exist yet.
"""

import numpy as np
import pandas as pd

from odoo import api, models
from odoo.tools import SQL

# the drivers whose direction has a clear business meaning (+1: more is safer)
MONOTONE = {
    "tenure_months": 1,
    "rep_max_dpd": -1,
    "rep_mean_dpd": -1,
    "rep_late_count": -1,
    "rep_loans_closed_clean": 1,
    "rep_restructured": -1,
    "rep_written_off": -1,
    "sav_wajib_on_time_rate": 1,
    "sav_months_behind": -1,
    "sav_voluntary_balance": 1,
    "sav_trend_3m": 1,
    "sav_trend_6m": 1,
}
CATEGORICAL = ("age_band", "business_type", "village", "occupation")
SHOP_FEATURES = (
    "shop_orders_6m",
    "shop_amount_6m",
    "shop_weeks_active",
    "shop_groceries_share",
    "shop_pharmacy_share",
    "shop_farm_inputs_share",
)
KASBON_FEATURES = ("kasbon_open", "kasbon_overdue_days")
FEATURES = (
    "tenure_months",
    "age_band",
    "business_type",
    "village",
    "occupation",
    "rep_installments",
    "rep_max_dpd",
    "rep_mean_dpd",
    "rep_late_count",
    "rep_loans_closed_clean",
    "rep_restructured",
    "rep_written_off",
    "sav_wajib_on_time_rate",
    "sav_months_behind",
    "sav_voluntary_balance",
    "sav_trend_3m",
    "sav_trend_6m",
    *SHOP_FEATURES,
)
# what a missing categorical value is passed to the scorecards as (declared neutral, so it
# scores 0 points like any missing value)
NO_HISTORY = "no_history"


def model_input(frame, features):
    """The columns ``features`` of ``frame`` as the scorecards read them: categorical
    missing values as ``NO_HISTORY`` (neutral), numbers unchanged (NaN = neutral)."""
    X = frame[list(features)].copy()
    for name in CATEGORICAL:
        if name in X:
            X[name] = X[name].astype(object).where(X[name].notna(), NO_HISTORY)
    return X


# flags carried beside the features (not scored)
FLAGS = ("thin_file", "shop_consent")
# an installment is "late" from this many days after its due date
LATE_DAYS = 7
SHOP_WINDOW_DAYS = 182


def _keys_sql(keys):
    """The rows as a SQL relation k(row, member_id, as_of)."""
    return SQL(
        "unnest(%s::int[], %s::int[], %s::date[]) AS k(row, member_id, as_of)",
        list(range(len(keys))),
        [int(member) for member, _day in keys],
        [day for _member, day in keys],
    )


class KopdesScoringFeature(models.AbstractModel):
    _name = "kopdes.scoring.feature"
    _description = "Credit Scoring Features"

    @api.model
    def _kopdes_features(self, keys, with_kasbon=None):
        """A DataFrame of the features (``FEATURES`` and ``FLAGS``) of ``keys``, a list of
        (member id, as-of date); one row per key in that order (columns ``member_id`` and
        ``as_of`` too). Missing values mean "no history" and are left missing (NaN): the
        scorecards give them neutral points.

        Shop features are read only for the rows whose member had granted the consent
        ``credit_scoring`` on the row's date; the other rows keep them missing."""
        keys = [(int(member), day) for member, day in keys]
        frame = pd.DataFrame(
            {
                "member_id": [member for member, _day in keys],
                "as_of": [day for _member, day in keys],
            }
        )
        if not keys:
            for name in (*FEATURES, *FLAGS):
                frame[name] = pd.Series(dtype=object if name in CATEGORICAL else float)
            return frame
        self.env.flush_all()
        relation = _keys_sql(keys)
        profile = self._kopdes_features_profile(relation)
        repayment = self._kopdes_features_repayment(relation)
        savings = self._kopdes_features_savings(relation)
        consent = self._kopdes_features_consent(relation)
        shop = self._kopdes_features_shop(relation, consent)
        for part in (profile, repayment, savings, shop):
            frame = frame.join(part, how="left")
        frame["shop_consent"] = frame.index.isin(consent)
        if with_kasbon is None:
            with_kasbon = hasattr(self.env["kopdes.member"], "_kopdes_kasbon_summary")
        if with_kasbon:
            frame = frame.join(self._kopdes_features_kasbon(keys), how="left")
        for name in FEATURES:
            if name not in frame:
                frame[name] = np.nan
        for name in CATEGORICAL:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
        frame["thin_file"] = (
            frame["rep_installments"].fillna(0).eq(0) & frame["sav_wajib_on_time_rate"].isna()
        )
        return frame

    def _kopdes_query(self, query, columns):
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        part = pd.DataFrame(rows, columns=["row", *columns])
        return part.set_index("row")

    # ---------------------------------------------------------------- families

    def _kopdes_features_profile(self, relation):
        """Tenure, age band, business type, village and occupation as of the date."""
        part = self._kopdes_query(
            SQL(
                """
                SELECT k.row,
                       CASE WHEN m.join_date IS NOT NULL AND m.join_date <= k.as_of
                            THEN (DATE_PART('year', AGE(k.as_of, m.join_date)) * 12
                                  + DATE_PART('month', AGE(k.as_of, m.join_date)))
                       END,
                       CASE WHEN m.birth_date IS NOT NULL AND m.birth_date < k.as_of
                            THEN DATE_PART('year', AGE(k.as_of, m.birth_date)) END,
                       COALESCE(bt.code, bt.id::text),
                       NULLIF(TRIM(UPPER(m.village)), ''),
                       m.occupation
                  FROM %s
                  JOIN kopdes_member m ON m.id = k.member_id
             LEFT JOIN kopdes_business_type bt ON bt.id = m.business_type_id
                """,
                relation,
            ),
            ["tenure_months", "age", "business_type", "village", "occupation"],
        )
        age = pd.to_numeric(part.pop("age"), errors="coerce")
        part["age_band"] = pd.cut(
            age,
            bins=[0, 25, 35, 45, 55, 200],
            right=False,
            labels=["<25", "25-34", "35-44", "45-54", "55+"],
        ).astype(object)
        part["tenure_months"] = pd.to_numeric(part["tenure_months"], errors="coerce")
        return part

    def _kopdes_features_repayment(self, relation):
        """Days past due and late installments of the loans disbursed before the date
        (an installment paid after the date is unpaid on it; a rescheduled installment
        stops counting at its rescheduling), clean closures, reschedulings, write-offs and
        the month-end snapshots up to the date."""
        return self._kopdes_query(
            SQL(
                """
                WITH rl AS (
                    SELECT k.row, k.as_of, loan.id AS loan_id, loan.closed_date,
                           loan.write_off_date
                      FROM %(keys)s
                      JOIN kopdes_loan loan ON loan.member_id = k.member_id
                           AND loan.disbursement_date IS NOT NULL
                           AND loan.disbursement_date <= k.as_of
                ), lines AS (
                    SELECT rl.row, rl.loan_id,
                           GREATEST(
                               CASE WHEN line.paid_date IS NOT NULL AND line.paid_date <= rl.as_of
                                    THEN line.paid_date - line.due_date
                                    ELSE LEAST(rl.as_of, COALESCE(resched.date, rl.as_of))
                                         - line.due_date
                               END, 0) AS dpd
                      FROM rl
                      JOIN kopdes_loan_line line ON line.loan_id = rl.loan_id
                           AND line.due_date < rl.as_of
                 LEFT JOIN LATERAL (
                           SELECT MIN(r.date) AS date FROM kopdes_loan_reschedule r
                            WHERE line.rescheduled AND r.loan_id = line.loan_id
                              AND r.date >= line.due_date
                           ) resched ON TRUE
                     WHERE NOT (line.rescheduled AND resched.date IS NOT NULL
                                AND resched.date <= line.due_date)
                ), per_loan AS (
                    SELECT row, loan_id, MAX(dpd) AS max_dpd FROM lines GROUP BY row, loan_id
                ), resched AS (
                    SELECT rl.row, COUNT(*) AS n
                      FROM rl JOIN kopdes_loan_reschedule r ON r.loan_id = rl.loan_id
                           AND r.date <= rl.as_of
                  GROUP BY rl.row
                ), snap AS (
                    SELECT rl.row, MAX(s.days_past_due) AS dpd
                      FROM rl JOIN kopdes_loan_snapshot s ON s.loan_id = rl.loan_id
                           AND s.date <= rl.as_of
                  GROUP BY rl.row
                ), loans AS (
                    SELECT rl.row,
                           COUNT(*) FILTER (
                               WHERE rl.closed_date IS NOT NULL AND rl.closed_date <= rl.as_of
                                 AND COALESCE(pl.max_dpd, 0) <= 30
                                 AND (rl.write_off_date IS NULL
                                      OR rl.write_off_date > rl.as_of)) AS closed_clean,
                           COUNT(*) FILTER (
                               WHERE rl.write_off_date IS NOT NULL
                                 AND rl.write_off_date <= rl.as_of) AS written_off
                      FROM rl
                 LEFT JOIN per_loan pl ON pl.row = rl.row AND pl.loan_id = rl.loan_id
                  GROUP BY rl.row
                ), agg AS (
                    SELECT row, COUNT(*) AS installments, MAX(dpd) AS max_dpd,
                           AVG(dpd) AS mean_dpd,
                           COUNT(*) FILTER (WHERE dpd > %(late)s) AS late_count
                      FROM lines GROUP BY row
                )
                SELECT loans.row,
                       COALESCE(agg.installments, 0),
                       GREATEST(agg.max_dpd, snap.dpd),
                       agg.mean_dpd,
                       agg.late_count,
                       loans.closed_clean,
                       COALESCE(resched.n, 0),
                       loans.written_off
                  FROM loans
             LEFT JOIN agg ON agg.row = loans.row
             LEFT JOIN resched ON resched.row = loans.row
             LEFT JOIN snap ON snap.row = loans.row
                """,
                keys=relation,
                late=LATE_DAYS,
            ),
            [
                "rep_installments",
                "rep_max_dpd",
                "rep_mean_dpd",
                "rep_late_count",
                "rep_loans_closed_clean",
                "rep_restructured",
                "rep_written_off",
            ],
        ).astype(float)

    def _kopdes_features_savings(self, relation):
        """Wajib dues paid on time and months behind (the wajib deposits posted by each due
        date against the dues raised by then), the voluntary balance on the date and its
        change over 3 and 6 months; all from postings dated up to the date."""
        self.env.cr.execute(
            SQL(
                """
                WITH events AS (
                    SELECT k.row, due.due_date AS day, 1 AS kind, due.amount AS due,
                           0::numeric AS paid
                      FROM %(keys)s
                      JOIN kopdes_savings_due due ON due.member_id = k.member_id
                           AND due.due_date <= k.as_of AND due.state != 'cancelled'
                     UNION ALL
                    SELECT k.row, t.date, 0, 0, t.signed_amount
                      FROM %(keys)s
                      JOIN kopdes_savings_transaction t ON t.member_id = k.member_id
                           AND t.kind = 'wajib' AND t.state = 'posted' AND t.date <= k.as_of
                ), running AS (
                    SELECT row, kind, due, paid,
                           SUM(due) OVER w AS cum_due, SUM(paid) OVER w AS cum_paid
                      FROM events
                    WINDOW w AS (PARTITION BY row ORDER BY day, kind
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                )
                SELECT row,
                       AVG(CASE WHEN cum_paid >= cum_due - 0.5 THEN 1.0 ELSE 0.0 END)
                           FILTER (WHERE kind = 1),
                       GREATEST(SUM(due) - SUM(paid), 0)
                           / NULLIF(AVG(due) FILTER (WHERE kind = 1), 0)
                  FROM running
              GROUP BY row
                HAVING COUNT(*) FILTER (WHERE kind = 1) > 0
                """,
                keys=relation,
            )
        )
        wajib = pd.DataFrame(
            self.env.cr.fetchall(), columns=["row", "sav_wajib_on_time_rate", "sav_months_behind"]
        ).set_index("row")
        voluntary = self._kopdes_query(
            SQL(
                """
                SELECT k.row,
                       SUM(t.signed_amount),
                       SUM(t.signed_amount) FILTER (WHERE t.date > k.as_of - INTERVAL '3 months'),
                       SUM(t.signed_amount) FILTER (WHERE t.date > k.as_of - INTERVAL '6 months')
                  FROM %s
                  JOIN kopdes_savings_transaction t ON t.member_id = k.member_id
                       AND t.kind = 'sukarela' AND t.state = 'posted' AND t.date <= k.as_of
              GROUP BY k.row
                """,
                relation,
            ),
            ["sav_voluntary_balance", "sav_trend_3m", "sav_trend_6m"],
        )
        part = wajib.join(voluntary, how="outer").astype(float)
        part["sav_months_behind"] = np.ceil(part["sav_months_behind"].round(6))
        for name in ("sav_trend_3m", "sav_trend_6m"):
            part[name] = part[name].fillna(0.0).where(part["sav_voluntary_balance"].notna())
        return part

    def _kopdes_features_consent(self, relation):
        """The rows whose member's latest ``credit_scoring`` consent up to the end of the
        date is a grant."""
        self.env.cr.execute(
            SQL(
                """
                SELECT row FROM (
                    SELECT DISTINCT ON (k.row) k.row, c.action
                      FROM %s
                      JOIN kopdes_consent c ON c.member_id = k.member_id
                           AND c.purpose = 'credit_scoring'
                           AND c.date < (k.as_of + 1)::timestamp
                  ORDER BY k.row, c.date DESC, c.id DESC
                ) latest WHERE action = 'granted'
                """,
                relation,
            )
        )
        return {row for (row,) in self.env.cr.fetchall()}

    def _kopdes_shop_category_sql(self):
        """How a POS line's shop category is read: ``product.category.kopdes_shop_category``
        when the shop addon has it, otherwise everything is "other"."""
        if "kopdes_shop_category" in self.env["product.category"]._fields:
            return SQL("COALESCE(categ.kopdes_shop_category, 'other')")
        return SQL("'other'")

    def _kopdes_features_shop(self, relation, consent):
        """Shop purchases of the last six months before the date (POS orders of the
        member's contact): orders, amount, weeks with a purchase (of 26) and the share of
        groceries, pharmacy and farm inputs; only for the rows in ``consent``."""
        columns = list(SHOP_FEATURES)
        if not consent:
            return pd.DataFrame(columns=["row", *columns]).set_index("row").astype(float)
        rows = sorted(consent)
        self.env.cr.execute(
            SQL(
                """
                WITH keys AS (SELECT * FROM %(keys)s WHERE k.row = ANY(%(rows)s)),
                orders AS (
                    SELECT keys.row, o.id, o.date_order, o.amount_total
                      FROM keys
                      JOIN kopdes_member m ON m.id = keys.member_id
                      JOIN pos_order o ON o.partner_id = m.partner_id
                           AND o.state IN ('paid', 'done', 'invoiced')
                           AND o.date_order < (keys.as_of + 1)::timestamp
                           AND o.date_order >= (keys.as_of - %(window)s)::timestamp
                ), lines AS (
                    SELECT orders.row,
                           SUM(line.price_subtotal_incl) AS total,
                           SUM(line.price_subtotal_incl) FILTER (WHERE %(cat)s = 'groceries')
                               AS groceries,
                           SUM(line.price_subtotal_incl) FILTER (WHERE %(cat)s = 'pharmacy')
                               AS pharmacy,
                           SUM(line.price_subtotal_incl) FILTER (WHERE %(cat)s = 'farm_inputs')
                               AS farm
                      FROM orders
                      JOIN pos_order_line line ON line.order_id = orders.id
                      JOIN product_product pp ON pp.id = line.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN product_category categ ON categ.id = pt.categ_id
                  GROUP BY orders.row
                )
                SELECT keys.row,
                       COUNT(orders.id),
                       COALESCE(SUM(orders.amount_total), 0),
                       COUNT(DISTINCT DATE_TRUNC('week', orders.date_order)),
                       MAX(lines.groceries / NULLIF(lines.total, 0)),
                       MAX(lines.pharmacy / NULLIF(lines.total, 0)),
                       MAX(lines.farm / NULLIF(lines.total, 0))
                  FROM keys
             LEFT JOIN orders ON orders.row = keys.row
             LEFT JOIN lines ON lines.row = keys.row
              GROUP BY keys.row
                """,
                keys=relation,
                rows=rows,
                window=SHOP_WINDOW_DAYS,
                cat=self._kopdes_shop_category_sql(),
            )
        )
        part = pd.DataFrame(self.env.cr.fetchall(), columns=["row", *columns]).set_index("row")
        part = part.astype(float)
        for name in ("shop_groceries_share", "shop_pharmacy_share", "shop_farm_inputs_share"):
            part[name] = part[name].fillna(0.0)
        return part

    def _kopdes_features_kasbon(self, keys):
        """Kasbon (shop credit) of the members when the shop addon provides its summary,
        by as-of date (one call per distinct date)."""
        Member = self.env["kopdes.member"]
        frames = []
        by_day = {}
        for row, (member, day) in enumerate(keys):
            by_day.setdefault(day, []).append((row, member))
        for day, rows in by_day.items():
            members = Member.browse([member for _row, member in rows])
            summary = Member._kopdes_kasbon_summary(members, day)
            frames.append(
                pd.DataFrame(
                    [
                        (
                            row,
                            float(summary.get(member, {}).get("open", 0.0)),
                            float(summary.get(member, {}).get("overdue_days_max", 0)),
                        )
                        for row, member in rows
                    ],
                    columns=["row", *KASBON_FEATURES],
                ).set_index("row")
            )
        return pd.concat(frames) if frames else pd.DataFrame(columns=KASBON_FEATURES)
