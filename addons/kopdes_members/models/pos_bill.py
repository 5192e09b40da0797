from odoo import api, fields, models


class PosBill(models.Model):
    """Quick-cash buttons of the payment screen from the shop's own notes.

    Odoo's payment screen offers +10, +20 and +50, which are pocket change in rupiah. The
    notes marked ``kopdes_quick_cash`` (at most three, smallest first) replace them. A
    shop that lists its own coins and notes (Coins/Bills of its POS settings) loads only
    those, so a rupiah shop does not count 0.05 coins at closing either.
    """

    _inherit = "pos.bill"

    kopdes_quick_cash = fields.Boolean(
        string="Quick-Cash Button",
        help="Offered as a quick-cash button on the payment screen (at most three notes, "
        "smallest first), instead of +10, +20 and +50.",
    )

    @api.model
    def _load_pos_data_domain(self, data):
        bill_ids = data["pos.config"]["data"][0]["default_bill_ids"]
        if bill_ids:
            return [("id", "in", bill_ids)]
        return super()._load_pos_data_domain(data)

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["kopdes_quick_cash"]
