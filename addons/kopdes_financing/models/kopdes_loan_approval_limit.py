from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class KopdesLoanApprovalLimit(models.Model):
    """Up to which amount a user, or the members of a group, may approve loans.

    A limit without product applies to every product of the cooperative. See
    ``kopdes.loan.product._kopdes_approval_limit`` for which limit wins.
    """

    _name = "kopdes.loan.approval.limit"
    _description = "Loan Approval Limit"
    _order = "company_id, product_id, max_amount desc, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(
        "kopdes.loan.product",
        check_company=True,
        ondelete="cascade",
        help="Leave empty for all products.",
    )
    group_id = fields.Many2one("res.groups", ondelete="cascade")
    user_id = fields.Many2one("res.users", ondelete="cascade")
    max_amount = fields.Monetary(string="Up to Amount", required=True)

    @api.constrains("group_id", "user_id", "max_amount")
    def _check_holder(self):
        for limit in self:
            if bool(limit.group_id) == bool(limit.user_id):
                raise ValidationError(
                    _("An approval limit belongs to either a user or a group (exactly one).")
                )
            if limit.max_amount <= 0:
                raise ValidationError(_("An approval limit must be greater than zero."))

    @api.depends("group_id", "user_id", "product_id", "max_amount")
    def _compute_display_name(self):
        for limit in self:
            holder = limit.user_id.name or limit.group_id.name or ""
            product = limit.product_id.name or _("all products")
            limit.display_name = f"{holder} / {product}"
