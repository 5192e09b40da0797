from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today


class PosPayment(models.Model):
    _inherit = "pos.payment"

    kopdes_savings_transaction_id = fields.Many2one(
        "kopdes.savings.transaction",
        string="Savings Transaction",
        readonly=True,
        copy=False,
        groups="kopdes_members.group_kopdes_user,kopdes_members.group_kopdes_accountant",
    )


class PosOrder(models.Model):
    _inherit = "pos.order"

    kopdes_savings_transaction_ids = fields.One2many(
        "kopdes.savings.transaction",
        "pos_order_id",
        string="Savings Transactions",
        groups="kopdes_members.group_kopdes_user,kopdes_members.group_kopdes_accountant",
    )

    @api.model
    def _process_order(self, order, existing_order):
        """Post the simpanan sukarela payments of the order as soon as it is paid, in the
        same database transaction: a short balance refuses the whole order."""
        order_id = super()._process_order(order, existing_order)
        pos_order = self.browse(order_id)
        if pos_order.state in ("paid", "done", "invoiced"):
            pos_order._kopdes_savings_post_payments()
        return order_id

    def _kopdes_savings_post_payments(self):
        """Withdraw (or, for refunds, deposit back) the savings payments of these orders.

        The journal entry is savings account against the member's receivable; the session
        closing debits that receivable for the sale and reconciles both.
        """
        for order in self:
            payments = order.payment_ids.filtered(
                lambda p, currency=order.currency_id: (
                    p.payment_method_id.kopdes_savings_payment
                    and not p.kopdes_savings_transaction_id
                    and not currency.is_zero(p.amount)
                )
            )
            if not payments:
                continue
            if not order.partner_id:
                raise UserError(_("Choose the member who pays from simpanan sukarela."))
            method = payments[0].payment_method_id
            account, message = method._kopdes_savings_account_for(
                order.partner_id.id, order.company_id
            )
            if not account:
                raise UserError(message)
            account = account.sudo()
            receivable = order.partner_id.with_company(
                order.company_id
            ).property_account_receivable_id
            for payment in payments:
                values = {
                    "counterpart_account_id": receivable.id,
                    "payment_journal_id": False,
                    "pos_order_id": order.id,
                    "ref": order.name or order.pos_reference,
                    "note": _("Point of Sale order %(order)s", order=order.pos_reference),
                }
                date = kopdes_today(self.env, order.company_id)
                try:
                    if payment.amount > 0:
                        tx = account._kopdes_withdraw(payment.amount, date=date, **values)
                    else:
                        tx = account._kopdes_deposit(-payment.amount, date=date, **values)
                except UserError as err:
                    raise UserError(
                        _(
                            "Payment from simpanan sukarela refused: %(reason)s",
                            reason=_("the member's balance is not sufficient.")
                            if payment.amount > 0
                            else err.args[0],
                        )
                    ) from err
                payment.sudo().kopdes_savings_transaction_id = tx

    # --------------------------------------------------------------- receipt

    kopdes_savings_balance_after = fields.Monetary(
        string="Voluntary Savings Left",
        compute="_compute_kopdes_savings_balance_after",
        help="Balance of the member's simpanan sukarela after this order's savings payment, "
        "printed on the member's receipt (never shown on the screen the next customer sees).",
    )

    def _compute_kopdes_savings_balance_after(self):
        transactions = (
            self.env["kopdes.savings.transaction"]
            .sudo()
            .search([("pos_order_id", "in", self.ids), ("state", "=", "posted")], order="id")
        )
        last = {tx.pos_order_id.id: tx for tx in transactions}
        for order in self:
            tx = last.get(order.id)
            order.kopdes_savings_balance_after = tx.balance_after if tx else False
