from odoo import models


class QRISTransaction(models.Model):
    _inherit = "l10n_id.qris.transaction"

    def _get_supported_models(self):
        return super()._get_supported_models() + ["kopdes.qris.payment"]

    def _get_record(self):
        if self.model == "kopdes.qris.payment":
            return self.env["kopdes.qris.payment"].browse(int(self.model_id)).exists()
        return super()._get_record()
