from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    kopdes_kasbon_payment = fields.Boolean(
        string="Member Shop Credit (Kasbon)",
        help="The identified member buys on credit (kasbon) within their limit: the sale is "
        "a receivable on the member with a due date, repaid at the teller.",
    )

    @api.constrains("kopdes_kasbon_payment", "journal_id", "split_transactions")
    def _check_kopdes_kasbon_payment(self):
        for method in self.filtered("kopdes_kasbon_payment"):
            if method.journal_id or not method.split_transactions:
                raise ValidationError(
                    _(
                        "A kasbon payment method has no journal and identifies the customer "
                        "(it is a customer account method)."
                    )
                )
            if "kopdes_savings_payment" in method._fields and method.kopdes_savings_payment:
                raise ValidationError(
                    _("A payment method is either kasbon or payment from savings, not both.")
                )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["kopdes_kasbon_payment"]

    @api.model
    def kopdes_kasbon_check(self, payment_method_id, partner_id, amount):
        """Called by the POS before validating: may ``partner_id`` buy ``amount`` on
        kasbon? Returns ``{"allowed": bool, "room": amount or False, "message": str}``:
        the room left of the limit rounded down (the cashier never sees balances, savings
        or limits)."""
        method = self.browse(payment_method_id).exists()
        if not method or not method.kopdes_kasbon_payment:
            return {
                "allowed": False,
                "room": False,
                "message": _("This is not a kasbon payment method."),
            }
        company = method.company_id or self.env.company
        member = (
            self.env["kopdes.member"]
            .sudo()
            .search([("partner_id", "=", partner_id), ("company_id", "=", company.id)], limit=1)
        )
        if not member:
            return {
                "allowed": False,
                "room": False,
                "message": _("The customer is not a member of this cooperative."),
            }
        refusal, room = member._kopdes_kasbon_check(amount)
        shown = member._kopdes_kasbon_room_shown(room) if room is not None else False
        if refusal:
            return {"allowed": False, "room": shown, "message": refusal}
        return {"allowed": True, "room": shown, "message": _("Kasbon allowed.")}
