"""The WhatsApp notifications, attached to the lower addons through their hooks.

Every notification is queued in one batch per hook call (``_kopdes_queue_notifications``),
with keys that make it idempotent, and never breaks the posting that raised it: a failure
to queue is logged and the money is still posted.
"""

import logging
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

_logger = logging.getLogger(__name__)

# template names of the notifications (created per account by "Create Default Templates")
TPL_REMINDER = "pengingat_angsuran"
TPL_OVERDUE = "angsuran_terlambat"
TPL_SAVINGS_RECEIPT = "bukti_transaksi_simpanan"
TPL_LOAN_RECEIPT = "bukti_pembayaran_angsuran"
TPL_DUES = "tagihan_simpanan_wajib"


def _queue_safely(env, items, template, notification):
    if not items:
        return env["kopdes.wa.message"].browse()
    try:
        with env.cr.savepoint():
            return env["kopdes.wa.message"]._kopdes_queue_notifications(
                items, "service", template=template, notification=notification
            )
    except Exception:  # noqa: BLE001 - a notification never blocks the cooperative's books
        _logger.exception("Queueing the WhatsApp %s notifications failed", notification)
        return env["kopdes.wa.message"].browse()


def _to_notify(records, flag, condition=None):
    """``[(record id, member id)]`` of ``records`` whose cooperative has the notification
    ``flag`` on and a WhatsApp account, and that meet ``condition`` (SQL on alias ``r``): one
    query for any number of records, so the batch jobs that call the hooks with thousands of
    records (interest, dues) do not read them a thousand at a time for nothing."""
    if not records:
        return []
    records.flush_recordset()
    records.env["res.company"].flush_model([flag])
    records.env["kopdes.wa.account"].flush_model(["company_id", "active"])
    records.env.cr.execute(
        SQL(
            """
            SELECT r.id, r.member_id FROM %(table)s r
              JOIN res_company c ON c.id = r.company_id
             WHERE r.id = ANY(%(ids)s) AND r.member_id IS NOT NULL AND c.%(flag)s
               AND %(condition)s
               AND EXISTS (SELECT 1 FROM kopdes_wa_account a
                            WHERE a.company_id = r.company_id AND a.active)
             ORDER BY r.id
            """,
            table=SQL.identifier(records._table),
            ids=records.ids,
            flag=SQL.identifier(flag),
            condition=condition or SQL("TRUE"),
        )
    )
    return records.env.cr.fetchall()


class KopdesSavingsTransaction(models.Model):
    _inherit = "kopdes.savings.transaction"

    @api.model
    def _kopdes_transactions_posted(self, transactions):
        result = super()._kopdes_transactions_posted(transactions)
        rows = _to_notify(
            transactions, "kopdes_wa_receipt_savings", SQL("r.type IN ('deposit', 'withdrawal')")
        )
        Member = self.env["kopdes.member"]
        items = [
            (Member.browse(member_id), self.browse(tx_id), f"receipt:savings:{tx_id}:{member_id}")
            for tx_id, member_id in rows
        ]
        _queue_safely(self.env, items, TPL_SAVINGS_RECEIPT, "receipt")
        return result


class KopdesLoanPayment(models.Model):
    _inherit = "kopdes.loan.payment"

    def _kopdes_payments_posted(self):
        result = super()._kopdes_payments_posted()
        payments = self.filtered(lambda p: p.company_id.kopdes_wa_receipt_loan)
        items = [(p.member_id, p, f"receipt:loan:{p.id}:{p.member_id.id}") for p in payments]
        _queue_safely(self.env, items, TPL_LOAN_RECEIPT, "receipt")
        return result


class KopdesSavingsDue(models.Model):
    _inherit = "kopdes.savings.due"

    @api.model
    def _kopdes_dues_raised(self, dues):
        result = super()._kopdes_dues_raised(dues)
        rows = _to_notify(dues, "kopdes_wa_dues_reminder", SQL("r.amount_residual > 0"))
        Member = self.env["kopdes.member"]
        items = [
            (Member.browse(member_id), self.browse(due_id), f"dues:{due_id}:{member_id}")
            for due_id, member_id in rows
        ]
        _queue_safely(self.env, items, TPL_DUES, "dues")
        return result


class KopdesLoanLine(models.Model):
    _inherit = "kopdes.loan.line"

    @api.model
    def _cron_kopdes_wa_reminders(self):
        for company in self.env["res.company"].sudo().search([]):
            self._kopdes_wa_reminders(company)

    @api.model
    def _kopdes_wa_reminders(self, company, today=None):
        """Queue the installment reminders of ``company`` for ``today``: ``N`` days before
        the due date, on it, 1 and 7 days overdue (each switchable). One search for all
        stages; the key ``reminder:<installment>:<date>:<template>`` (plus the member) makes
        a second run on the same day queue nothing."""
        today = today or kopdes_today(self.env, company)
        stages = {}
        if company.kopdes_wa_remind_before and company.kopdes_wa_remind_days_before > 0:
            stages[today + timedelta(days=company.kopdes_wa_remind_days_before)] = TPL_REMINDER
        if company.kopdes_wa_remind_due:
            stages[today] = TPL_REMINDER
        if company.kopdes_wa_remind_overdue_1:
            stages[today - timedelta(days=1)] = TPL_OVERDUE
        if company.kopdes_wa_remind_overdue_7:
            stages[today - timedelta(days=7)] = TPL_OVERDUE
        if not stages:
            return self.env["kopdes.wa.message"].browse()
        lines = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("loan_id.state", "=", "active"),
                ("rescheduled", "=", False),
                ("state", "in", ("open", "partial")),
                ("due_date", "in", list(stages)),
            ]
        )
        queued = self.env["kopdes.wa.message"].browse()
        for template in set(stages.values()):
            items = [
                (
                    line.member_id,
                    line,
                    f"reminder:{line.id}:{today}:{template}:{line.member_id.id}",
                )
                for line in lines
                if stages[line.due_date] == template
            ]
            queued |= _queue_safely(self.env, items, template, "reminder")
        return queued
