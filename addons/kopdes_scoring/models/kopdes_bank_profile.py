"""The bank-ready credit profile of a member (PDF and JSON), only with the member's consent
``bank_sharing``, for loan officers, managers and accountants; every export is logged on the
member's chatter. The JSON never holds the NIK; the PDF shows it masked."""

import math

from odoo import api, models

REPAYMENT = (
    "rep_installments",
    "rep_max_dpd",
    "rep_mean_dpd",
    "rep_late_count",
    "rep_loans_closed_clean",
    "rep_restructured",
    "rep_written_off",
)
SAVINGS = (
    "sav_wajib_on_time_rate",
    "sav_months_behind",
    "sav_voluntary_balance",
    "sav_trend_3m",
    "sav_trend_6m",
)


def mask_nik(nik):
    nik = nik or ""
    if len(nik) <= 6:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


def number(value):
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return round(value, 2)


class ReportBankProfile(models.AbstractModel):
    _name = "report.kopdes_scoring.report_bank_profile"
    _description = "Bank Profile Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        members = self.env["kopdes.member"].browse(docids)
        members._kopdes_bank_profile_check()
        profiles = members._kopdes_bank_profile_data()
        members._kopdes_bank_profile_log("PDF")
        return {
            "doc_ids": docids,
            "doc_model": "kopdes.member",
            "docs": members.sudo(),
            "profiles": profiles,
            "masked_nik": {member.id: mask_nik(member.sudo().nik) for member in members},
        }
