from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    kopdes_savings_payment = fields.Boolean(
        string="Pay from Simpanan Sukarela",
        help="The cashier charges the order to the voluntary savings (simpanan sukarela) of the "
        "identified member. The withdrawal is posted when the order is paid; it is refused "
        "when the balance is short.",
    )

    @api.constrains("kopdes_savings_payment", "journal_id", "split_transactions")
    def _check_kopdes_savings_payment(self):
        for method in self.filtered("kopdes_savings_payment"):
            if method.journal_id or not method.split_transactions:
                raise ValidationError(
                    _(
                        "A payment method paying from simpanan sukarela has no journal and "
                        "identifies the customer (it is a customer account method)."
                    )
                )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["kopdes_savings_payment"]

    @api.model
    def kopdes_savings_check(self, payment_method_id, partner_id, amount):
        """Called by the POS before validating: can ``partner_id`` pay ``amount`` from
        simpanan sukarela? Returns ``{"sufficient": bool, "message": str}``; the balance
        itself is never returned to the cashier."""
        method = self.browse(payment_method_id).exists()
        if not method or not method.kopdes_savings_payment:
            return {"sufficient": False, "message": _("This is not a savings payment method.")}
        company = method.company_id or self.env.company
        account, message = method._kopdes_savings_account_for(partner_id, company)
        if not account:
            return {"sufficient": False, "message": message}
        currency = company.currency_id
        refusal = account.product_id._kopdes_allows_withdrawal(account, fields.Date.today())
        if refusal:
            return {"sufficient": False, "message": refusal}
        if currency.compare_amounts(amount, account.sudo().available_balance) > 0:
            return {
                "sufficient": False,
                "message": _("The member's simpanan sukarela balance is not sufficient."),
            }
        return {
            "sufficient": True,
            "message": _("The member's simpanan sukarela balance is sufficient."),
        }

    def _kopdes_savings_account_for(self, partner_id, company):
        """``(account, message)``: the open sukarela account of the member behind the
        partner in ``company``, or an empty account and the reason."""
        member = (
            self.env["kopdes.member"]
            .sudo()
            .search([("partner_id", "=", partner_id), ("company_id", "=", company.id)], limit=1)
        )
        if not member:
            return self.env["kopdes.savings.account"], _(
                "The customer is not a member of this cooperative."
            )
        if member.state not in ("active", "suspended"):
            return self.env["kopdes.savings.account"], _(
                "%(member)s is no longer a member.", member=member.display_name
            )
        account = member._kopdes_savings_account("sukarela")
        if not account:
            return account, _(
                "%(member)s has no simpanan sukarela account.", member=member.display_name
            )
        return account, ""
