"""The one money formatter of the KopDes addons (imported, not a model)."""

from odoo.tools.misc import formatLang


def kopdes_format_amount(env, amount, currency=None):
    """``amount`` written in ``currency`` (default: the current company's) with the user's
    language separators: whole rupiah without decimals for IDR (``Rp 20.000``), the
    currency's decimals otherwise."""
    currency = currency or env.company.currency_id
    if currency.name == "IDR":
        return formatLang(env, amount, currency_obj=currency, rounding_unit="units")
    return formatLang(env, amount, currency_obj=currency)
