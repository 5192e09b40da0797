from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductCategory(models.Model):
    _inherit = "product.category"

    kopdes_service_level = fields.Float(
        string="Service level",
        default=0.9,
        help="Share of replenishment cycles without a stock-out that the suggested minimum "
        "aims at (e.g. 0.95 for staples and essential medicines).",
    )

    @api.constrains("kopdes_service_level")
    def _check_kopdes_service_level(self):
        for categ in self:
            if not 0.5 <= categ.kopdes_service_level <= 0.999:
                raise ValidationError(
                    self.env._(
                        "The service level must be between 0.5 and 0.999 (50 to 99.9 percent)."
                    )
                )
