# pylint: disable=consider-merging-classes-inherited
"""Month-end snapshots of the loans (one per loan and period end) and the smart buttons
of the loan and the month-end that open them."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .common import kopdes_is_posting


class KopdesLoanSnapshot(models.Model):
    """One loan as the books stood at the end of a month-end period: its days past due,
    class and outstanding principal (the history the scoring and the reports need; the
    loans themselves keep only today's figures).

    Written only by the month-end (``_kopdes_snapshot``), which replaces the rows of its
    period in one statement; read-only for everyone else.
    """

    _name = "kopdes.loan.snapshot"
    _description = "Loan Month-End Snapshot"
    _order = "date desc, loan_id"
    _rec_name = "loan_id"
    _check_company_auto = True

    month_end_id = fields.Many2one(
        "kopdes.loan.month.end",
        string="Month-End Close",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    loan_id = fields.Many2one(
        "kopdes.loan",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    member_id = fields.Many2one("kopdes.member", index=True, readonly=True)
    product_id = fields.Many2one("kopdes.loan.product", readonly=True)
    date = fields.Date(string="Period End", required=True, index=True, readonly=True)
    days_past_due = fields.Integer(readonly=True)
    collectability_id = fields.Many2one("kopdes.loan.collectability", string="Class", readonly=True)
    non_performing = fields.Boolean(string="Non-Performing", readonly=True)
    outstanding = fields.Monetary(string="Outstanding Principal", readonly=True)
    provision_required = fields.Monetary(readonly=True)

    _sql_constraints = [
        (
            "loan_date_uniq",
            "unique(loan_id, date)",
            "A loan has one snapshot per period end.",
        ),
    ]

    def _kopdes_check_system(self):
        if not kopdes_is_posting(self.env):
            raise AccessError(
                _("Loan snapshots are made by the month-end only; they cannot be changed.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._kopdes_check_system()
        return super().create(vals_list)

    def write(self, vals):
        self._kopdes_check_system()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_by_system_only(self):
        self._kopdes_check_system()

    @api.model
    def _kopdes_snapshot(self, month_end, rows):
        """Replace the snapshots of ``month_end``'s period by ``rows``, the portfolio as of
        its date (``kopdes.loan.month.end._kopdes_portfolio_as_of``): two statements
        whatever the number of loans. Called by the month-end only (system)."""
        self._kopdes_check_system()
        month_end.ensure_one()
        self.env.flush_all()
        ids = list(rows)
        self.env.cr.execute(
            SQL("DELETE FROM kopdes_loan_snapshot WHERE month_end_id = %s", month_end.id)
        )
        if ids:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO kopdes_loan_snapshot (
                        month_end_id, company_id, loan_id, member_id, product_id, date,
                        days_past_due, collectability_id, non_performing, outstanding,
                        provision_required, create_uid, create_date, write_uid, write_date)
                    SELECT %(month_end)s, loan.company_id, loan.id, loan.member_id,
                           loan.product_id, %(date)s, v.days, v.class_id, v.non_performing,
                           v.outstanding, v.provision, %(uid)s, NOW() AT TIME ZONE 'UTC',
                           %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM unnest(%(ids)s::int[], %(days)s::int[], %(classes)s::int[],
                                  %(npl)s::bool[], %(outstanding)s::numeric[],
                                  %(provision)s::numeric[])
                           AS v(loan_id, days, class_id, non_performing, outstanding,
                                provision)
                      JOIN kopdes_loan loan ON loan.id = v.loan_id
                    """,
                    month_end=month_end.id,
                    date=month_end.date,
                    uid=self.env.uid,
                    ids=ids,
                    days=[rows[i]["days_past_due"] for i in ids],
                    classes=[rows[i]["class_id"] for i in ids],
                    npl=[rows[i]["non_performing"] for i in ids],
                    outstanding=[rows[i]["outstanding"] for i in ids],
                    provision=[rows[i]["provision"] for i in ids],
                )
            )
        self.invalidate_model()
        return True

    @api.model
    def _kopdes_reached(self, loans, days=90, months=12):
        """The loans of ``loans`` that, according to the month-end snapshots, reached
        ``days`` days past due or a non-performing class at a period end within
        ``months`` months of their disbursement, or were written off within that time
        (a written-off loan has no snapshot after its write-off). One query."""
        if not loans:
            return loans.browse()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT loan.id FROM kopdes_loan loan
                 WHERE loan.id = ANY(%(ids)s) AND loan.disbursement_date IS NOT NULL
                   AND (
                        (loan.write_off_date IS NOT NULL
                         AND loan.write_off_date
                             <= loan.disbursement_date + make_interval(months => %(months)s))
                        OR EXISTS (
                            SELECT 1 FROM kopdes_loan_snapshot snap
                             WHERE snap.loan_id = loan.id
                               AND snap.date
                                   <= loan.disbursement_date
                                      + make_interval(months => %(months)s)
                               AND (snap.days_past_due >= %(days)s OR snap.non_performing)))
                """,
                ids=list(loans.ids),
                days=days,
                months=months,
            )
        )
        found = {row[0] for row in self.env.cr.fetchall()}
        return loans.filtered(lambda loan: loan.id in found)


class KopdesLoanMonthEnd(models.Model):
    _inherit = "kopdes.loan.month.end"

    snapshot_count = fields.Integer(string="Loan Snapshots", compute="_compute_snapshot_count")

    def _compute_snapshot_count(self):
        counts = dict(
            self.env["kopdes.loan.snapshot"]._read_group(
                [("month_end_id", "in", self.ids)], ["month_end_id"], ["__count"]
            )
        )
        for record in self:
            record.snapshot_count = counts.get(record, 0)

    def action_view_snapshots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_snapshot_action"
        )
        action["domain"] = [("month_end_id", "=", self.id)]
        action["context"] = {"search_default_group_class": 1}
        return action


class KopdesLoan(models.Model):
    _inherit = "kopdes.loan"

    snapshot_count = fields.Integer(
        string="Collectability History", compute="_compute_snapshot_count"
    )

    def _compute_snapshot_count(self):
        counts = dict(
            self.env["kopdes.loan.snapshot"]._read_group(
                [("loan_id", "in", self.ids)], ["loan_id"], ["__count"]
            )
        )
        for loan in self:
            loan.snapshot_count = counts.get(loan, 0)

    def action_view_snapshots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_snapshot_action"
        )
        action["name"] = _("Collectability History")
        action["domain"] = [("loan_id", "=", self.id)]
        action["context"] = {}
        return action
