from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import (
    SAVINGS_DUES,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

from ..tools import periods


class KopdesSavingsDue(models.Model):
    """A simpanan wajib due of one member for one period.

    Dues are raised in one batch per period (:meth:`_kopdes_generate`). What has been paid
    on a due is derived, oldest due first, from all deposits on the member's wajib account
    (:meth:`_kopdes_recompute`, one SQL statement): payments settle the oldest dues first,
    a reversed deposit un-settles the newest ones, and money paid ahead settles the next
    dues as soon as they are raised.
    """

    _name = "kopdes.savings.due"
    _description = "Simpanan Wajib Due"
    _order = "period_start desc, member_id"
    _check_company_auto = True
    _rec_name = "period_label"

    company_id = fields.Many2one("res.company", string="Cooperative", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    account_id = fields.Many2one(
        "kopdes.savings.account",
        string="Wajib Account",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    member_id = fields.Many2one("kopdes.member", required=True, index=True, check_company=True)
    member_number = fields.Char(related="member_id.member_number", string="Member No.")
    product_id = fields.Many2one("kopdes.savings.product", required=True, check_company=True)
    period_start = fields.Date(string="Period", required=True, index=True)
    period_label = fields.Char(required=True)
    due_date = fields.Date(
        required=True,
        index=True,
        help="Last day of the period: a due still unpaid after it is in arrears.",
    )
    amount = fields.Monetary(string="Amount Due", required=True)
    amount_paid = fields.Monetary(readonly=True, default=0.0)
    amount_residual = fields.Monetary(string="Unpaid", readonly=True)
    state = fields.Selection(
        [
            ("open", "Unpaid"),
            ("partial", "Partly Paid"),
            ("paid", "Paid"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        index=True,
    )

    _sql_constraints = [
        (
            "account_period_uniq",
            "unique(account_id, period_start)",
            "A member has one wajib due per period.",
        ),
        ("amount_positive", "CHECK(amount > 0)", "A due must be greater than zero."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not self.env.su:
            raise UserError(_("Wajib dues are raised and settled by the system."))
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, SAVINGS_DUES):
            raise UserError(_("Wajib dues are raised and settled by the system."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_paid(self):
        if self.filtered(lambda d: d.state != "open"):
            raise UserError(_("Dues that have been paid, even partly, are never deleted."))

    @api.model
    def _kopdes_generate(self, company, day=None):
        """Raise the wajib due of every active member of ``company`` for the period that
        contains ``day`` (today by default). Idempotent: members who already have the
        due are skipped. One INSERT ... SELECT for the whole cooperative, then one UPDATE
        to settle the new dues from what was paid ahead. Returns the number of new dues.
        """
        day = day or kopdes_today(self.env, company)
        product = self.env["kopdes.savings.product"].search(
            [("company_id", "=", company.id), ("kind", "=", "wajib")], limit=1
        )
        if not product:
            return 0
        start = periods.period_start(day, product.period)
        end = periods.period_end(start, product.period)
        self.env["kopdes.savings.account"].flush_model()
        self.env["kopdes.member"].flush_model(["state", "company_id"])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kopdes_savings_due (
                    company_id, account_id, member_id, product_id, period_start, period_label,
                    due_date, amount, amount_paid, amount_residual, state,
                    create_uid, create_date, write_uid, write_date)
                SELECT a.company_id, a.id, a.member_id, a.product_id, %(start)s, %(label)s,
                       %(end)s, %(amount)s, 0, %(amount)s, 'open',
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM kopdes_savings_account a
                  JOIN kopdes_member m ON m.id = a.member_id
                 WHERE a.product_id = %(product)s
                   AND a.state = 'open'
                   AND a.open_date <= %(end)s
                   AND m.state = 'active'
                   AND m.active
                ON CONFLICT (account_id, period_start) DO NOTHING
                RETURNING id, account_id
                """,
                start=start,
                end=end,
                label=periods.period_label(start, product.period),
                amount=product.amount,
                uid=self.env.uid,
                product=product.id,
            )
        )
        rows = self.env.cr.fetchall()
        if rows:
            self._kopdes_recompute(
                self.env["kopdes.savings.account"].browse([row[1] for row in rows])
            )
            self._kopdes_dues_raised(self.browse([row[0] for row in rows]))
        return len(rows)

    @api.model
    def _kopdes_dues_raised(self, dues):
        """Hook: the wajib ``dues`` of one period have just been raised (inserted with SQL),
        all in one call per cooperative and period, already settled from money paid ahead
        (``state``, ``amount_paid``, ``amount_residual`` are up to date). Other addons
        (WhatsApp reminders, scoring) override it and call ``super()``."""
        return True

    @api.model
    def _kopdes_dues_settled(self, dues):
        """Hook: what is paid on ``dues`` has just changed (SQL settlement after a deposit,
        a reversal or newly raised dues): ``amount_paid``, ``amount_residual`` and ``state``
        are up to date. One call per settlement; other addons override it with ``super()``."""
        return True

    @api.model
    def _kopdes_recompute(self, accounts):
        """Settle the dues of the wajib ``accounts`` from their deposits, oldest first.

        Paid total per account = posted deposits minus reversed deposits; the dues get it in
        period order (a window sum), each at most its amount. One UPDATE statement.
        """
        if not accounts:
            return
        self.env["kopdes.savings.transaction"].flush_model()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH paid AS (
                    SELECT account_id, SUM(signed_amount) AS total
                      FROM kopdes_savings_transaction
                     WHERE account_id = ANY(%(ids)s)
                       AND state = 'posted'
                       AND origin_type = 'deposit'
                  GROUP BY account_id
                ), ranked AS (
                    SELECT d.id, d.amount, COALESCE(p.total, 0) AS total,
                           SUM(d.amount) OVER (PARTITION BY d.account_id
                                               ORDER BY d.period_start, d.id) AS cumulated
                      FROM kopdes_savings_due d
                 LEFT JOIN paid p ON p.account_id = d.account_id
                     WHERE d.account_id = ANY(%(ids)s) AND d.state != 'cancelled'
                ), settled AS (
                    SELECT id, amount,
                           LEAST(GREATEST(total - (cumulated - amount), 0), amount) AS paid
                      FROM ranked
                )
                UPDATE kopdes_savings_due d
                   SET amount_paid = s.paid,
                       amount_residual = s.amount - s.paid,
                       state = CASE WHEN s.paid >= s.amount THEN 'paid'
                                    WHEN s.paid > 0 THEN 'partial'
                                    ELSE 'open' END
                  FROM settled s
                 WHERE s.id = d.id
                   AND (d.amount_paid IS DISTINCT FROM s.paid
                        OR d.amount_residual IS DISTINCT FROM s.amount - s.paid)
             RETURNING d.id
                """,
                ids=list(accounts.ids),
            )
        )
        changed = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.invalidate_model(["amount_paid", "amount_residual", "state"])
        if changed:
            self._kopdes_dues_settled(changed)

    @api.model
    def _kopdes_cancel_unpaid(self, accounts):
        """Cancel the dues of ``accounts`` that are not paid at all (member exit)."""
        dues = self.search([("account_id", "in", accounts.ids), ("state", "=", "open")])
        kopdes_system(dues, SAVINGS_DUES).write({"state": "cancelled"})
        return dues

    @api.model
    def _cron_generate_dues(self):
        """Monthly job: raise this period's wajib dues in every cooperative."""
        for company in self.env["res.company"].search([]):
            self._kopdes_generate(company)

    @api.model
    def _kopdes_arrears_domain(self, today=None):
        """Dues in arrears: not fully paid after the last day of their period."""
        today = today or kopdes_today(self.env)
        return [("state", "in", ("open", "partial")), ("due_date", "<", today)]
