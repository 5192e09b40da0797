"""Reorder levels from a weekly forecast, and what expires unsold (plain Python, no Odoo).

- :func:`reorder_levels`: min = demand over the supplier lead time + safety stock for the
  service level, max = min + demand over the review period; the safety stock comes from the
  forecast's prediction interval (its width gives the spread of each week's demand). For
  perishable products the max never exceeds what the forecast says can be sold within the
  shelf life, so an order is not larger than what can be sold before it expires.
- :func:`expiring_unsold`: with first-expiry-first-out, how much of each lot on hand will
  still be there on its expiry date given the forecast.
"""

from statistics import NormalDist

import numpy as np


def cumulative_demand(weekly, days):
    """Forecast demand from today over ``days`` days (array per key), from weekly forecasts
    ``weekly`` (n, H); beyond the horizon the mean of the forecast weeks continues."""
    weekly = np.asarray(weekly, dtype=float)
    n, horizon = weekly.shape
    days = np.broadcast_to(np.asarray(days, dtype=float), (n,))
    weeks = np.maximum(days, 0.0) / 7.0
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(weekly, axis=1)], axis=1)
    mean = weekly.mean(axis=1) if horizon else np.zeros(n)
    full = np.minimum(np.floor(weeks).astype(int), horizon)
    rows = np.arange(n)
    inside = cum[rows, full]
    frac = np.where(
        full < horizon, (weeks - full) * weekly[rows, np.minimum(full, horizon - 1)], 0.0
    )
    beyond = np.maximum(weeks - horizon, 0.0) * mean
    return inside + frac + beyond


def _window_variance(sigma, days):
    n, horizon = sigma.shape
    var = sigma**2
    weeks = np.maximum(np.asarray(days, dtype=float), 0.0) / 7.0
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(var, axis=1)], axis=1)
    full = np.minimum(np.floor(weeks).astype(int), horizon)
    rows = np.arange(n)
    frac = np.where(full < horizon, (weeks - full) * var[rows, np.minimum(full, horizon - 1)], 0.0)
    beyond = np.maximum(weeks - horizon, 0.0) * var.mean(axis=1)
    return cum[rows, full] + frac + beyond


def reorder_levels(
    forecast,
    lower,
    upper,
    lead_days,
    service_level,
    interval=0.8,
    review_days=7,
    shelf_days=None,
):
    """Suggested (min, max, safety) per key, in units (not rounded).

    ``forecast``, ``lower``, ``upper``: (n, H) weekly forecasts and interval bounds;
    ``lead_days``: supplier lead time per key; ``service_level``: per key (e.g. 0.95);
    ``shelf_days``: shelf life per key (``NaN`` or ``None`` when the product does not expire).
    """
    forecast = np.asarray(forecast, dtype=float)
    n = forecast.shape[0]
    z_interval = NormalDist().inv_cdf((1 + interval) / 2)
    sigma = np.maximum(np.asarray(upper) - np.asarray(lower), 0.0) / (2 * z_interval)
    service = np.clip(np.broadcast_to(np.asarray(service_level, dtype=float), (n,)), 0.5, 0.999)
    z = np.array([NormalDist().inv_cdf(s) for s in service])
    lead = np.broadcast_to(np.asarray(lead_days, dtype=float), (n,))
    # stock must last until the next order arrives: lead time plus the review period
    cover = lead + review_days
    safety = z * np.sqrt(_window_variance(sigma, cover))
    minimum = cumulative_demand(forecast, lead) + safety
    maximum = cumulative_demand(forecast, cover) + safety
    if shelf_days is not None:
        shelf = np.broadcast_to(np.asarray(shelf_days, dtype=float), (n,))
        perishable = np.isfinite(shelf) & (shelf > 0)
        sellable = cumulative_demand(forecast, np.where(perishable, shelf, 0.0))
        maximum = np.where(perishable, np.minimum(maximum, sellable), maximum)
        minimum = np.minimum(minimum, maximum)
    return minimum, np.maximum(maximum, minimum), safety


def expiring_unsold(lots, weekly):
    """Quantity of each lot that the forecast does not sell before the lot expires.

    ``lots``: list of (days_to_expiry, qty) of one product, in any order; ``weekly``: its
    weekly forecast (H,). Lots are sold first-expiry-first-out. Returns a list aligned with
    ``lots``."""
    order = sorted(range(len(lots)), key=lambda k: lots[k][0])
    weekly = np.asarray(weekly, dtype=float)[None, :]
    sold_before = 0.0
    unsold = [0.0] * len(lots)
    for k in order:
        days, qty = lots[k]
        can_sell = float(cumulative_demand(weekly, [max(days, 0.0)])[0])
        sold_total = min(sold_before + qty, max(can_sell, sold_before))
        unsold[k] = qty - (sold_total - sold_before)
        sold_before = sold_total
    return unsold
