import logging

from markupsafe import Markup, escape

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import (
    LOAN_POSTING,
    SAVINGS_POSTING,
    kopdes_check_fields,
    kopdes_check_group,
    kopdes_has_group,
    kopdes_is_system,
    kopdes_today,
    kopdes_without_defaults,
)
from odoo.addons.kopdes_savings.tools import periods

# the context key of the close's own code (linking entries, reopening)
CLOSE_POSTING = "kopdes_close_posting"

STATES = [("draft", "Draft"), ("running", "Run, to confirm"), ("done", "Closed")]

ACCOUNTANT = "kopdes_members.group_kopdes_accountant"
MANAGER = "kopdes_members.group_kopdes_manager"
# what a user writes on a close: its month and cooperative (and the chatter); the states,
# steps, entries and reconciliation are written by running, confirming and reopening it
CLOSE_USER_FIELDS = {
    "date_from",
    "company_id",
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
}


def close_system(records):
    """``records`` as the close's own code writes them: superuser mode with the keys of the
    close, the savings and the loans posting code (it reverses their entries on reopening)."""
    return records.sudo().with_context(
        **{CLOSE_POSTING: True, SAVINGS_POSTING: True, LOAN_POSTING: True}
    )


_logger = logging.getLogger(__name__)


class KopdesClose(models.Model):
    """The month-end close of one cooperative for one calendar month.

    Running it (:meth:`action_run`, again as often as needed) runs the month's batch jobs
    in order, each idempotent: wajib dues, voluntary-savings interest with PPh final, then
    the loans' month-end (late fees, interest accrual, days past due and classes,
    provisions, per-loan snapshot). Confirming it (:meth:`action_confirm`) reconciles the
    ledger with the subledgers and, when everything agrees, sets the company's lock date
    to the end of the month. Reopening (:meth:`action_reopen`) lifts the lock and undoes
    what the close posted as a whole.
    """

    _name = "kopdes.close"
    _description = "Month-End Close"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: periods.previous_period(kopdes_today(self.env)),
    )
    date_to = fields.Date(string="Period End", compute="_compute_date_to", store=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True)
    step_ids = fields.One2many("kopdes.close.step", "close_id", string="Steps", readonly=True)
    move_ids = fields.One2many("account.move", "kopdes_close_id", string="Journal Entries")
    move_count = fields.Integer(compute="_compute_move_count")
    reconciliation_ids = fields.One2many("kopdes.close.reconciliation", "close_id", readonly=True)
    difference_count = fields.Integer(
        string="Differences", compute="_compute_difference_count", store=True
    )
    interest_batch_id = fields.Many2one(
        "kopdes.savings.interest.batch", string="Savings Interest", readonly=True, copy=False
    )
    loan_month_end_id = fields.Many2one(
        "kopdes.loan.month.end", string="Loan Month-End", readonly=True, copy=False
    )
    snapshot_count = fields.Integer(compute="_compute_snapshot_count")
    run_count = fields.Integer(readonly=True)
    run_date = fields.Datetime(string="Last Run", readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    lock_date_before = fields.Date(
        readonly=True, help="The cooperative's lock date before this close set it."
    )

    _sql_constraints = [
        (
            "company_month_uniq",
            "unique(company_id, date_from)",
            "This month already has a close for this cooperative.",
        ),
    ]

    @api.depends("date_from", "company_id")
    def _compute_name(self):
        for record in self:
            record.name = _(
                "Close %(month)s %(company)s",
                month=periods.period_label(record.date_from) if record.date_from else "",
                company=record.company_id.name or "",
            )

    @api.depends("date_from")
    def _compute_date_to(self):
        for record in self:
            record.date_to = periods.period_end(record.date_from) if record.date_from else False

    def _compute_move_count(self):
        counts = dict(
            self.env["account.move"]
            .sudo()
            ._read_group([("kopdes_close_id", "in", self.ids)], ["kopdes_close_id"], ["__count"])
        )
        for record in self:
            record.move_count = counts.get(record, 0)

    @api.depends("reconciliation_ids.difference")
    def _compute_difference_count(self):
        for record in self:
            record.difference_count = len(
                record.reconciliation_ids.filtered(
                    lambda line: not line.currency_id.is_zero(line.difference)
                )
            )

    def _compute_snapshot_count(self):
        month_ends = self.loan_month_end_id
        counts = {}
        if month_ends:
            counts = dict(
                self.env["kopdes.loan.snapshot"]
                .sudo()
                ._read_group(
                    [("month_end_id", "in", month_ends.ids)], ["month_end_id"], ["__count"]
                )
            )
        for record in self:
            record.snapshot_count = counts.get(record.loan_month_end_id, 0)

    @api.constrains("date_from")
    def _check_month(self):
        for record in self:
            if record.date_from != periods.period_start(record.date_from):
                raise ValidationError(
                    _("A close covers one calendar month: its month starts on the first day.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, CLOSE_USER_FIELDS, vals_list=vals_list)
        self._kopdes_check_closer()
        for vals in vals_list:
            # superuser mode (the close's own code, data files) writes what it needs
            if not self.env.su:
                kopdes_check_fields(
                    self,
                    vals,
                    CLOSE_USER_FIELDS,
                    _(
                        "A close starts as a draft of its month; running, confirming and "
                        "reopening it fill in the rest."
                    ),
                    new=True,
                )
            if vals.get("date_from"):
                vals["date_from"] = periods.period_start(fields.Date.to_date(vals["date_from"]))
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, CLOSE_POSTING):
            allowed = {"date_from", "company_id"}
            if set(vals) - CLOSE_USER_FIELDS:
                raise UserError(
                    _("A close is changed only by running, confirming or reopening it.")
                )
            if set(vals) & allowed and any(record.state != "draft" for record in self):
                raise UserError(_("The month of a close that has been run cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(record.state != "draft" or record.run_count for record in self):
            raise UserError(_("A close that has been run is never deleted; reopen it instead."))

    # ------------------------------------------------------------ permissions

    def _kopdes_check_closer(self):
        if not (kopdes_has_group(self.env, ACCOUNTANT) or kopdes_has_group(self.env, MANAGER)):
            raise UserError(
                _("Only the accountant (Akuntan) or the board (Pengurus) run the month-end close.")
            )

    # ------------------------------------------------------------ public API

    @api.model
    def _kopdes_is_closed(self, company, date):
        """Whether the month containing ``date`` is closed (locked) for ``company``."""
        date = fields.Date.to_date(date)
        return bool(
            self.sudo().search_count(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", periods.period_start(date)),
                    ("state", "=", "done"),
                ],
                limit=1,
            )
        )

    @api.model
    def _kopdes_get_or_create(self, company, month):
        """The close of ``company`` for the month containing ``month`` (created if needed)."""
        start = periods.period_start(fields.Date.to_date(month))
        record = self.search([("company_id", "=", company.id), ("date_from", "=", start)], limit=1)
        return record or self.create({"company_id": company.id, "date_from": start})

    # ------------------------------------------------------------ actions

    def action_run(self):
        self._kopdes_check_closer()
        for record in self:
            record._kopdes_run()
        return True

    def action_confirm(self):
        self._kopdes_check_closer()
        for record in self:
            record._kopdes_confirm()
        return True

    def action_reconcile(self):
        self._kopdes_check_closer()
        for record in self:
            close_system(record)._kopdes_reconcile()
        return True

    def action_reopen(self):
        kopdes_check_group(
            self.env, MANAGER, _("Only the board (Pengurus) reopens a closed month.")
        )
        for record in self:
            record._kopdes_reopen()
        return True

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Journal Entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("kopdes_close_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_view_snapshots(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Loan Snapshots"),
            "res_model": "kopdes.loan.snapshot",
            "view_mode": "list,pivot",
            "domain": [("month_end_id", "=", self.loan_month_end_id.id)],
            "context": {"create": False},
        }

    def action_view_differences(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reconciliation"),
            "res_model": "kopdes.close.reconciliation",
            "view_mode": "list",
            "domain": [("close_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------ running

    def _kopdes_run(self):
        """Run the jobs of the month in order, each idempotent, and reconcile."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                _("%(name)s is closed: reopen it before running it again.", name=self.name)
            )
        company = self.company_id
        if self.date_to >= kopdes_today(self.env, company):
            raise UserError(_("A month is closed after its last day."))
        previous = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", ">", self.date_from),
                ("state", "=", "done"),
            ],
            limit=1,
        )
        if previous:
            raise UserError(
                _(
                    "%(later)s is already closed: reopen it before running an earlier month.",
                    later=previous.name,
                )
            )
        system = close_system(self)
        steps = []
        # 1. wajib dues of the month
        Due = (
            system.env["kopdes.savings.due"]
            .with_company(company)
            .with_context(kopdes_close_id=self.id)
        )
        raised = Due._kopdes_generate(company, self.date_from)
        steps.append(("dues", raised, 0.0, self.env["account.move"], False))
        # 2. voluntary-savings interest with PPh final
        Batch = system.env["kopdes.savings.interest.batch"].with_company(company)
        batch = Batch._kopdes_run(company, self.date_from)
        steps.append(
            (
                "interest",
                batch.account_count,
                batch.total_gross,
                batch.move_ids,
                ("kopdes.savings.interest.batch", batch.id),
            )
        )
        # 3-6. the loans' month-end, remembering what it changes on the installments
        self._kopdes_remember_installments()
        MonthEnd = system.env["kopdes.loan.month.end"].with_company(company)
        month_end = MonthEnd._kopdes_close(self.date_to, company)
        self._kopdes_forget_unchanged_installments()
        Move = self.env["account.move"].sudo()
        moves = month_end.move_ids
        late = moves.filtered(lambda move: move.kopdes_batch == "late_fees")
        accrual = moves.filtered(lambda move: move.kopdes_batch == "interest")
        provision = moves.filtered(lambda move: move.kopdes_batch == "provision")
        link = ("kopdes.loan.month.end", month_end.id)
        steps.append(
            ("late_fees", self._kopdes_count_changed("late_fee"), month_end.late_fees, late, link)
        )
        steps.append(
            (
                "accrual",
                self._kopdes_count_changed("interest_accrued"),
                self._kopdes_moves_total(accrual) or 0.0,
                accrual,
                link,
            )
        )
        steps.append(("arrears", month_end.loan_count, month_end.outstanding, Move, link))
        steps.append(
            ("provision", month_end.loan_count, month_end.provision_required, provision, link)
        )
        all_moves = batch.move_ids | moves
        system.env.cr.execute(
            SQL(
                "UPDATE account_move SET kopdes_close_id = %s "
                "WHERE id = ANY(%s) AND kopdes_close_id IS NULL",
                self.id,
                all_moves.ids,
            )
        )
        Move.invalidate_model(["kopdes_close_id"])
        system._kopdes_write_steps(steps)
        system.write(
            {
                "state": "running",
                "run_count": self.run_count + 1,
                "run_date": fields.Datetime.now(),
                "interest_batch_id": batch.id,
                "loan_month_end_id": month_end.id,
            }
        )
        system._kopdes_reconcile()
        labels = dict(
            self.env["kopdes.close.step"]._fields["code"]._description_selection(self.env)
        )
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (labels[code], count)
            for code, count, _amount, _moves, _link in steps
        )
        self.message_post(
            body=escape(
                _(
                    "Close run (%(run)s): %(differences)s reconciliation differences.",
                    run=self.run_count,
                    differences=self.difference_count,
                )
            )
            + Markup("<ul>%s</ul>") % items,
        )
        return True

    def _kopdes_write_steps(self, steps):
        """Replace the steps of the close by ``steps``: ``(code, count, amount, moves,
        (model, id))`` in order; a re-run shows what each step posted over all runs."""
        Step = self.env["kopdes.close.step"]
        previous = {step.code: step for step in self.step_ids}
        vals_list = []
        for sequence, (code, count, amount, moves, link) in enumerate(steps, start=1):
            old = previous.get(code)
            vals_list.append(
                {
                    "close_id": self.id,
                    "sequence": sequence,
                    "code": code,
                    "record_count": count if not old else max(count, old.record_count),
                    "amount": amount,
                    "move_ids": [Command.set((moves | old.move_ids).ids if old else moves.ids)],
                    "res_model": link[0] if link else False,
                    "res_id": link[1] if link else False,
                }
            )
        self.step_ids.unlink()
        Step.create(vals_list)

    @api.model
    def _kopdes_moves_total(self, moves):
        return sum(moves.mapped("amount_total"))

    # the installments the loans' month-end changes, so that reopening can restore them
    def _kopdes_remember_installments(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kopdes_close_installment (close_id, company_id, line_id, late_fee,
                                                       late_fee_date, interest_accrued)
                SELECT %(close)s, loan.company_id, line.id, COALESCE(line.late_fee, 0),
                       line.late_fee_date, COALESCE(line.interest_accrued, 0)
                  FROM kopdes_loan_line line
                  JOIN kopdes_loan loan ON loan.id = line.loan_id
                 WHERE loan.company_id = %(company)s AND loan.state = 'active'
                   AND line.rescheduled IS NOT TRUE AND line.due_date <= %(end)s
                   AND ((line.late_fee_date IS NULL OR line.late_fee_date < %(end)s)
                        AND line.principal_residual + line.interest_residual > 0
                        OR COALESCE(line.interest_accrued, 0) < line.interest)
                ON CONFLICT (close_id, line_id) DO NOTHING
                """,
                close=self.id,
                company=self.company_id.id,
                end=self.date_to,
            )
        )

    def _kopdes_forget_unchanged_installments(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM kopdes_close_installment memo
                 USING kopdes_loan_line line
                 WHERE memo.close_id = %s AND line.id = memo.line_id
                   AND memo.late_fee = COALESCE(line.late_fee, 0)
                   AND memo.late_fee_date IS NOT DISTINCT FROM line.late_fee_date
                   AND memo.interest_accrued = COALESCE(line.interest_accrued, 0)
                """,
                self.id,
            )
        )

    def _kopdes_count_changed(self, column):
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*) FROM kopdes_close_installment memo
                  JOIN kopdes_loan_line line ON line.id = memo.line_id
                 WHERE memo.close_id = %s AND memo.%s != COALESCE(line.%s, 0)
                """,
                self.id,
                SQL.identifier(column),
                SQL.identifier(column),
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------ confirming

    def _kopdes_confirm(self):
        self.ensure_one()
        if self.state != "running":
            raise UserError(_("Run the close before confirming it."))
        system = close_system(self)
        system._kopdes_reconcile()
        if self.difference_count:
            differing = self.reconciliation_ids.filtered(
                lambda line: not line.currency_id.is_zero(line.difference)
            )
            raise UserError(
                _(
                    "The ledger and the subledgers differ, the month cannot be locked: "
                    "%(accounts)s. Correct the differences listed in the reconciliation "
                    "and run the close again.",
                    accounts=", ".join(
                        f"{line.account_id.display_name} ({line.difference:,.2f})"
                        for line in differing
                    ),
                )
            )
        company = self.company_id.sudo()
        before = company.fiscalyear_lock_date
        if not before or before < self.date_to:
            company.write({"fiscalyear_lock_date": self.date_to})
        system.write(
            {
                "state": "done",
                "lock_date_before": before,
                "closed_by_id": self.env.uid,
                "closed_date": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=_(
                "Month closed: the ledger agrees with the subledgers; entries up to "
                "%(date)s are locked.",
                date=fields.Date.to_string(self.date_to),
            )
        )

    # ------------------------------------------------------------ reopening

    def _kopdes_reopen(self):
        """Lift the lock and undo the close as a whole: reversal entries dated on the
        period end for every entry it posted, the interest credits reversed, the
        installments' late fees and accruals restored, the snapshots and the dues it raised
        (still unpaid) removed. The close is back in draft and can be run again."""
        self.ensure_one()
        if self.state == "draft":
            raise UserError(
                _("%(name)s has not been run: there is nothing to reopen.", name=self.name)
            )
        company = self.company_id
        later = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", ">", self.date_from),
                ("state", "!=", "draft"),
            ],
            limit=1,
        )
        if later:
            raise UserError(
                _(
                    "Reopen %(later)s first: months are reopened from the last one.",
                    later=later.name,
                )
            )
        system = close_system(self)
        self.env.flush_all()
        # installments paid since: their late fees / accruals cannot be taken back
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id FROM kopdes_close_installment memo
                  JOIN kopdes_loan_line line ON line.id = memo.line_id
                 WHERE memo.close_id = %s
                   AND (line.late_fee_settled > memo.late_fee
                        OR line.interest_receivable_settled > memo.interest_accrued)
                 LIMIT 5
                """,
                self.id,
            )
        )
        paid = (
            self.env["kopdes.loan.line"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        )
        if paid:
            raise UserError(
                _(
                    "%(name)s cannot be reopened: late fees or accrued interest it booked have "
                    "since been paid (%(lines)s). Reverse those payments first.",
                    name=self.name,
                    lines=", ".join(paid.mapped("display_name")),
                )
            )
        if self.state == "done":
            company.sudo().write({"fiscalyear_lock_date": self.lock_date_before or False})
        # 1. savings interest: the credits reversed (with their tax and gross), the batch
        # marked reversed so that the next run credits the month again
        batch = system.interest_batch_id
        reversed_count = 0
        if batch and batch.state == "posted":
            reversals = batch._kopdes_reverse_credits(
                self.date_to, _("Reopening of %(name)s", name=self.name)
            )
            reversed_count = len(reversals)
            system.env.cr.execute(
                SQL(
                    "UPDATE account_move SET kopdes_close_id = %s WHERE id IN ("
                    "SELECT move_id FROM kopdes_savings_transaction WHERE id = ANY(%s))",
                    self.id,
                    reversals.ids,
                )
            )
            system.env["account.move"].invalidate_model(["kopdes_close_id"])
        # 2. the loans' entries reversed by our code, dated on the period end
        Move = system.env["account.move"]
        loan_moves = Move.search(
            [
                ("kopdes_close_id", "=", self.id),
                ("kopdes_month_end_id", "!=", False),
                ("state", "=", "posted"),
                ("reversed_entry_id", "=", False),
                ("reversal_move_ids", "=", False),
            ]
        )
        if loan_moves:
            reversals = loan_moves._reverse_moves(
                [
                    {
                        "date": self.date_to,
                        "ref": _("Reopening of %(name)s: %(move)s", name=self.name, move=move.name),
                        "kopdes_close_id": self.id,
                        "kopdes_batch": move.kopdes_batch,
                        "kopdes_month_end_id": move.kopdes_month_end_id.id,
                    }
                    for move in loan_moves
                ]
            )
            reversals._post(soft=False)
        # 3. the installments as they were before the close
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan_line line
                   SET late_fee = memo.late_fee, late_fee_date = memo.late_fee_date,
                       interest_accrued = memo.interest_accrued
                  FROM kopdes_close_installment memo
                 WHERE memo.close_id = %s AND line.id = memo.line_id
                """,
                self.id,
            )
        )
        self.env.cr.execute(
            SQL("DELETE FROM kopdes_close_installment WHERE close_id = %s", self.id)
        )
        self.env["kopdes.loan.line"].invalidate_model()
        # 4. the snapshots of the period and the dues raised by the close, still unpaid
        if self.loan_month_end_id:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM kopdes_loan_snapshot WHERE month_end_id = %s",
                    self.loan_month_end_id.id,
                )
            )
            self.env["kopdes.loan.snapshot"].invalidate_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM kopdes_savings_due WHERE kopdes_close_id = %s AND state = 'open' "
                "AND amount_paid = 0 RETURNING id",
                self.id,
            )
        )
        dues_removed = len(self.env.cr.fetchall())
        self.env["kopdes.savings.due"].invalidate_model()
        self.env.cr.execute(
            SQL("DELETE FROM kopdes_close_reconciliation WHERE close_id = %s", self.id)
        )
        self.env["kopdes.close.reconciliation"].invalidate_model()
        system.write({"state": "draft", "closed_by_id": False, "closed_date": False})
        self.message_post(
            body=_(
                "Close reopened by %(user)s: the lock date is back to %(lock)s, %(moves)s loan "
                "entries and %(credits)s interest credits were reversed, %(dues)s unpaid dues "
                "removed.",
                user=self.env.user.name,
                lock=fields.Date.to_string(self.lock_date_before) or _("none"),
                moves=len(loan_moves),
                credits=reversed_count,
                dues=dues_removed,
            )
        )

    # ------------------------------------------------------------ cron

    @api.model
    def _cron_close(self):
        """First day of the month: run the close of the previous month in every
        cooperative (the accountant confirms it once the reconciliation agrees)."""
        # the cooperatives: companies with savings products or loans (others have nothing)
        companies = self.env["res.company"].browse(
            {
                company.id
                for model in ("kopdes.savings.product", "kopdes.loan")
                for (company,) in self.env[model].sudo()._read_group([], ["company_id"])
            }
        )
        for company in companies.sorted("id"):
            month = periods.previous_period(kopdes_today(self.env, company))
            try:
                with self.env.cr.savepoint():
                    record = (
                        close_system(self)
                        .with_company(company)
                        ._kopdes_get_or_create(company, month)
                    )
                    if record.state != "done":
                        record._kopdes_run()
            except UserError as error:
                # one cooperative that cannot close (e.g. a later month already closed) does
                # not stop the others; its accountant sees why when running it by hand
                _logger.warning("Month-end close of %s refused: %s", company.name, error)

    # ------------------------------------------------------------ demo

    @api.model
    def _kopdes_demo_closes(self, company):
        """Demo (clearly generated): the first month of the cooperative's books closed and
        locked, the month that just ended run and waiting for confirmation."""
        company = self.env["res.company"].browse(company) if isinstance(company, int) else company
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT MIN(date) FROM kopdes_savings_transaction "
                "WHERE company_id = %s AND state = 'posted'",
                company.id,
            )
        )
        first = self.env.cr.fetchone()[0]
        if not first:
            return self
        system = close_system(self).with_company(company)
        last = periods.previous_period(kopdes_today(self.env, company))
        first = periods.period_start(first)
        closes = self
        if first < last:
            closed = system._kopdes_get_or_create(company, first)
            closed._kopdes_run()
            if not closed.difference_count:
                closed._kopdes_confirm()
            closes |= closed
        current = system._kopdes_get_or_create(company, last)
        current._kopdes_run()
        return closes | current

    # ------------------------------------------------------------ reconciliation

    def _kopdes_reconcile(self):
        """Rebuild the reconciliation of the period end (see kopdes.close.reconciliation)."""
        self.ensure_one()
        self.env["kopdes.close.reconciliation"]._kopdes_rebuild(self)
