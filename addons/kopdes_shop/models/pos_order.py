from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PosPayment(models.Model):
    _inherit = "pos.payment"

    kopdes_kasbon_id = fields.Many2one(
        "kopdes.kasbon",
        string="Kasbon",
        readonly=True,
        copy=False,
        groups="kopdes_members.group_kopdes_user,kopdes_members.group_kopdes_accountant",
    )
    kopdes_kasbon_repayment_id = fields.Many2one(
        "kopdes.kasbon.repayment",
        string="Kasbon Refund",
        readonly=True,
        copy=False,
        groups="kopdes_members.group_kopdes_user,kopdes_members.group_kopdes_accountant",
    )


class PosOrder(models.Model):
    _inherit = "pos.order"

    kopdes_kasbon_ids = fields.One2many(
        "kopdes.kasbon",
        "pos_order_id",
        string="Kasbon",
        groups="kopdes_members.group_kopdes_user,kopdes_members.group_kopdes_accountant",
    )

    @api.model
    def _process_order(self, order, existing_order):
        """Record the kasbon of the order when it is paid, in the same transaction. A sale
        made offline is checked again here: when the member was not allowed it any more it
        is recorded all the same (the goods are gone) and flagged for a manager."""
        order_id = super()._process_order(order, existing_order)
        pos_order = self.browse(order_id)
        if pos_order.state in ("paid", "done", "invoiced"):
            pos_order._kopdes_kasbon_post_payments()
        return order_id

    def _kopdes_kasbon_post_payments(self):
        for order in self:
            payments = order.payment_ids.sudo().filtered(
                lambda p, currency=order.currency_id: (
                    p.payment_method_id.kopdes_kasbon_payment
                    and not p.kopdes_kasbon_id
                    and not p.kopdes_kasbon_repayment_id
                    and not currency.is_zero(p.amount)
                )
            )
            if not payments:
                continue
            if not order.member_id:
                raise UserError(
                    _("Kasbon Anggota is for members: choose the member who buys on credit.")
                )
            sales = payments.filtered(lambda p: p.amount > 0)
            if sales:
                self.env["kopdes.kasbon"]._kopdes_create_from_payments(sales)
            for payment in payments - sales:
                # a refund paid back to kasbon lowers the kasbon of the refunded order first
                refunded = order.sudo().lines.refunded_orderline_id.order_id
                first = refunded.kopdes_kasbon_ids.filtered(lambda k: k.state == "open")
                try:
                    repayment = self.env["kopdes.kasbon.repayment"]._kopdes_repay(
                        order.member_id.sudo(),
                        -payment.amount,
                        "refund",
                        first=first,
                        name=order.pos_reference or order.name,
                        pos_order_id=order.id,
                    )
                except UserError as err:
                    raise UserError(
                        _(
                            "A refund to kasbon is at most the member's open kasbon: %(reason)s",
                            reason=err.args[0],
                        )
                    ) from err
                payment.kopdes_kasbon_repayment_id = repayment
