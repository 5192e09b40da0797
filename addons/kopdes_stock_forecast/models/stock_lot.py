from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today


class StockLot(models.Model):
    _inherit = "stock.lot"

    kopdes_unsold_at_expiry = fields.Float(
        string="Expires unsold",
        digits="Product Unit of Measure",
        readonly=True,
        help="What the latest forecast does not sell of this lot before it expires "
        "(first expiry, first out).",
    )
    kopdes_near_expiry = fields.Boolean(
        string="Near expiry",
        compute="_compute_kopdes_near_expiry",
        search="_search_kopdes_near_expiry",
    )

    @api.depends("expiration_date")
    def _compute_kopdes_near_expiry(self):
        for lot in self:
            company = lot.company_id or self.env.company
            limit = fields.Datetime.to_datetime(kopdes_today(self.env, company)) + timedelta(
                days=company.kopdes_near_expiry_days
            )
            lot.kopdes_near_expiry = bool(lot.expiration_date and lot.expiration_date <= limit)

    def _search_kopdes_near_expiry(self, operator, value):
        company = self.env.company
        limit = fields.Datetime.to_datetime(kopdes_today(self.env, company)) + timedelta(
            days=company.kopdes_near_expiry_days
        )
        positive = (operator == "=" and value) or (operator == "!=" and not value)
        domain = [("expiration_date", "!=", False), ("expiration_date", "<=", limit)]
        return (
            domain
            if positive
            else ["|", ("expiration_date", "=", False), ("expiration_date", ">", limit)]
        )
