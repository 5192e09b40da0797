from odoo import api, fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    member_id = fields.Many2one(
        "kopdes.member",
        compute="_compute_member_id",
        store=True,
        index=True,
        readonly=True,
        help="The membership of the customer in the cooperative of the order; a refund "
        "without a customer keeps the member of the order it refunds.",
    )

    @api.depends(
        "partner_id",
        "company_id",
        "partner_id.kopdes_member_ids",
        "lines.refunded_orderline_id",
    )
    def _compute_member_id(self):
        """The member behind the customer in the order's cooperative, for orders made online
        or offline (they all pass through ``create``); a refund without a customer gets the
        member of the refunded order. One search for all orders."""
        Member = self.env["kopdes.member"].sudo().with_context(active_test=False)
        pairs = {(order.partner_id.id, order.company_id.id) for order in self if order.partner_id}
        by_pair = {}
        if pairs:
            members = Member.search_fetch(
                [
                    ("partner_id", "in", list({partner for partner, _company in pairs})),
                    ("company_id", "in", list({company for _partner, company in pairs})),
                ],
                ["partner_id", "company_id"],
            )
            by_pair = {(m.partner_id.id, m.company_id.id): m for m in members}
        for order in self:
            member = by_pair.get((order.partner_id.id, order.company_id.id))
            if not member and not order.partner_id:
                refunded = order.sudo().lines.refunded_orderline_id.order_id
                member = refunded.member_id[:1]
            order.member_id = member or False
