from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

_AMOUNT = "{{ format_rupiah(object.%s, object.currency_id) }}"

SHU_SLIP_TEMPLATE = (
    "slip_shu",
    "kopdes.shu.line",
    "utility",
    _lt("SHU slip"),
    "Yth. {{1}}, SHU tahun buku {{2}} untuk Anda: jasa modal {{3}}, jasa usaha {{4}}, "
    "jumlah {{5}}, diterima bersih {{6}} ({{7}}). Rincian ada di slip SHU yang dapat "
    "diminta di kantor koperasi.",
    [
        ("member", "{{ object.name }}"),
        ("record", "{{ object.fiscal_year }}"),
        ("record", _AMOUNT % "capital_share"),
        ("record", "{{ format_rupiah(object.pos_share + object.loan_share, object.currency_id) }}"),
        ("record", _AMOUNT % "total"),
        ("record", _AMOUNT % "net"),
        (
            "record",
            "{{ 'dibayar tunai' if object.payout_method == 'cash' "
            "else 'masuk ke simpanan sukarela' }}",
        ),
    ],
)


class KopdesWaAccount(models.Model):
    _inherit = "kopdes.wa.account"

    def _kopdes_default_templates(self):
        return super()._kopdes_default_templates() + [SHU_SLIP_TEMPLATE]

    @api.model
    def _kopdes_shu_whatsapp_demo(self, company_ids):
        accounts = self.sudo().search([("company_id", "in", company_ids)])
        accounts._kopdes_create_default_templates(names={"slip_shu"})
        templates = (
            self.env["kopdes.wa.template"]
            .sudo()
            .search([("account_id", "in", accounts.ids), ("name", "=", "slip_shu")])
        )
        templates.write({"status": "approved", "status_date": fields.Datetime.now()})
