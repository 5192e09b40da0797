from odoo import api, fields, models

SHOP_CATEGORIES = [
    ("groceries", "Groceries"),
    ("pharmacy", "Pharmacy"),
    ("farm_inputs", "Farm Inputs"),
    ("other", "Other"),
]


class ProductCategory(models.Model):
    _inherit = "product.category"

    kopdes_shop_category_own = fields.Selection(
        SHOP_CATEGORIES,
        string="Own Shop Category",
        help="Set on this category; empty: the nearest parent's shop category applies.",
    )
    kopdes_shop_category = fields.Selection(
        SHOP_CATEGORIES,
        string="Shop Category",
        compute="_compute_kopdes_shop_category",
        inverse="_inverse_kopdes_shop_category",
        store=True,
        recursive=True,
        readonly=False,
        help="Which part of the cooperative's shop sells this category (members' purchases "
        "by category): set here, or else inherited from the nearest parent that has one; "
        "Other when no parent has one.",
    )

    @api.depends("kopdes_shop_category_own", "parent_id.kopdes_shop_category")
    def _compute_kopdes_shop_category(self):
        for categ in self:
            categ.kopdes_shop_category = (
                categ.kopdes_shop_category_own or categ.parent_id.kopdes_shop_category or "other"
            )

    def _inverse_kopdes_shop_category(self):
        for categ in self:
            categ.kopdes_shop_category_own = categ.kopdes_shop_category
