from odoo import _, api, fields, models
from odoo.exceptions import UserError


class KopdesSavingsTransaction(models.Model):
    _inherit = "kopdes.savings.transaction"

    kopdes_qris_payment_ids = fields.One2many(
        "kopdes.qris.payment", "savings_transaction_id", string="QRIS Payments", readonly=True
    )
    kopdes_qris_waiting = fields.Boolean(
        string="Waiting for QRIS", compute="_compute_kopdes_qris_waiting"
    )

    @api.depends("kopdes_qris_payment_ids.state")
    def _compute_kopdes_qris_waiting(self):
        for tx in self:
            tx.kopdes_qris_waiting = any(p.state == "waiting" for p in tx.kopdes_qris_payment_ids)

    def write(self, vals):
        if {"amount", "account_id", "payment_journal_id", "counterpart_account_id"} & set(vals):
            if self.sudo().kopdes_qris_payment_ids.filtered(lambda p: p.state == "waiting"):
                raise UserError(
                    _(
                        "A QRIS code is waiting for this deposit: cancel it before changing "
                        "the amount or the account."
                    )
                )
        return super().write(vals)

    def action_post(self):
        if self.sudo().kopdes_qris_payment_ids.filtered(lambda p: p.state == "waiting"):
            raise UserError(
                _(
                    "This deposit is paid with QRIS: it is posted when the QRIS provider "
                    "confirms the payment (button Check payment)."
                )
            )
        return super().action_post()

    def action_pay_qris(self):
        """Show a dynamic QRIS code for this draft deposit; it posts once paid."""
        self.ensure_one()
        self._kopdes_check_teller()
        if self.state != "draft" or self.type != "deposit":
            raise UserError(_("Only a draft deposit can be paid with QRIS."))
        waiting = self.kopdes_qris_payment_ids.filtered(lambda p: p.state == "waiting")
        if waiting:
            return waiting[:1].action_open()
        Payment = self.env["kopdes.qris.payment"]
        journal = Payment._kopdes_journal(self.company_id)
        self.write(
            {
                "payment_journal_id": journal.id,
                "counterpart_account_id": journal.default_account_id.id,
            }
        )
        # the same checks as posting, before the member pays
        self._kopdes_check_posting()
        payment = Payment._kopdes_start(
            {
                "company_id": self.company_id.id,
                "purpose": "savings_deposit",
                "member_id": self.member_id.id,
                "savings_transaction_id": self.id,
                "amount": self.amount,
            }
        )
        return payment.action_open()

    def action_view_kopdes_qris_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_bank.kopdes_qris_payment_action"
        )
        action["domain"] = [("savings_transaction_id", "=", self.id)]
        return action
