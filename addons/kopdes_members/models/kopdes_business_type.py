from odoo import fields, models


class KopdesBusinessType(models.Model):
    _name = "kopdes.business.type"
    _description = "Member Business Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        help="Leave empty to share this business type with every cooperative.",
    )
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The code of a business type must be unique.",
        ),
    ]

    def _compute_member_count(self):
        counts = dict(
            self.env["kopdes.member"]._read_group(
                [("business_type_id", "in", self.ids)], ["business_type_id"], ["__count"]
            )
        )
        for business_type in self:
            business_type.member_count = counts.get(business_type, 0)
