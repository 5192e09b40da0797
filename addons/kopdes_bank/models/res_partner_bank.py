import datetime
from urllib.parse import urljoin

import requests

from odoo import _, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.l10n_id.models.res_bank import QRIS_TIMEOUT

QRIS_DEFAULT_URL = "https://qris.online/restapi/qris/"


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    kopdes_qris_api_url = fields.Char(
        string="QRIS Provider API URL",
        groups="base.group_system",
        help="Address of the QRIS provider's REST API (the qris.online protocol that Odoo's "
        "Indonesian localisation speaks). Empty: Odoo's own, https://qris.online/restapi/qris/. "
        "Set it for another provider with the same protocol, or for the local test provider.",
    )

    def _kopdes_qris_base_url(self):
        self.ensure_one()
        return (self.sudo().kopdes_qris_api_url or "").strip()

    def _kopdes_qris_request(self, endpoint, params):
        """One call to the QRIS provider at this account's API address, with the errors of
        l10n_id's own request helper (its host is fixed, so the same call is made here)."""
        base = self._kopdes_qris_base_url() or QRIS_DEFAULT_URL
        if not base.endswith("/"):
            base += "/"
        try:
            response = requests.get(urljoin(base, endpoint), params=params, timeout=QRIS_TIMEOUT)
            response.raise_for_status()
            return response.json()
        except requests.exceptions.HTTPError as err:
            raise ValidationError(
                _("The QRIS provider refused the request: %(error)s", error=err)
            ) from err
        except (requests.RequestException, ValueError) as err:
            raise ValidationError(_("The QRIS provider cannot be reached.")) from err

    def _get_qr_vals(
        self,
        qr_method,
        amount,
        currency,
        debtor_partner,
        free_communication,
        structured_communication,
    ):
        # EXTENDS l10n_id: the same QRIS invoice and transaction, at the configured provider
        if qr_method != "id_qr" or not self._kopdes_qris_base_url():
            return super()._get_qr_vals(
                qr_method,
                amount,
                currency,
                debtor_partner,
                free_communication,
                structured_communication,
            )
        model = self.env.context.get("qris_model")
        model_id = self.env.context.get("qris_model_id")
        Transaction = self.env["l10n_id.qris.transaction"]
        latest = Transaction._get_latest_transaction(model, model_id)
        if latest and latest.qris_amount == int(amount):
            if (fields.Datetime.now() - latest.qris_creation_datetime).total_seconds() < 1500:
                return latest.qris_content
        bank = self.sudo()
        response = bank._kopdes_qris_request(
            "show_qris.php",
            {
                "do": "create-invoice",
                "apikey": bank.l10n_id_qris_api_key,
                "mID": bank.l10n_id_qris_mid,
                "cliTrxNumber": structured_communication,
                "cliTrxAmount": int(amount),
            },
        )
        if response.get("status") == "failed":
            raise ValidationError(response.get("data"))
        data = response.get("data") or {}
        if model and model_id:
            transaction = Transaction.create(
                {
                    "model": model,
                    "model_id": model_id,
                    "qris_invoice_id": data.get("qris_invoiceid"),
                    "qris_amount": int(amount),
                    # the provider answers in Asia/Jakarta time (UTC+7)
                    "qris_creation_datetime": fields.Datetime.to_datetime(
                        data.get("qris_request_date")
                    )
                    - datetime.timedelta(hours=7),
                    "qris_content": data.get("qris_content"),
                    "bank_id": self.id,
                }
            )
            record = transaction._get_record()
            if record and "l10n_id_qris_transaction_ids" in record._fields:
                record.l10n_id_qris_transaction_ids |= transaction
        return data.get("qris_content")

    def _l10n_id_qris_fetch_status(self, qr_data):
        # EXTENDS l10n_id: the status at the configured provider
        if not self._kopdes_qris_base_url():
            return super()._l10n_id_qris_fetch_status(qr_data)
        bank = self.sudo()
        return bank._kopdes_qris_request(
            "checkpaid_qris.php",
            {
                "do": "checkStatus",
                "apikey": bank.l10n_id_qris_api_key,
                "mID": bank.l10n_id_qris_mid,
                "invid": qr_data["qris_invoice_id"],
                "trxvalue": qr_data["qris_amount"],
                "trxdate": qr_data["qris_creation_datetime"],
            },
        )
