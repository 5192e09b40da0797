"""The demand history of a cooperative's shops, read with SQL aggregates into pandas."""

from datetime import timedelta

import numpy as np
import pandas as pd

from odoo import api, models

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_tz


class KopdesStockForecastHistory(models.AbstractModel):
    """Weekly sales, daily stock-outs and launches per product and warehouse.

    - sales: POS order lines (by the warehouse of the POS's operation type) plus the other
      done moves from a warehouse to a customer that no POS made (deliveries of sales orders);
    - stock on hand per day: today's quants rolled back by the done moves of each day, so a
      day that ends with nothing on hand is a stock-out day;
    - launch: the first week with a receipt or a sale of the product in the warehouse.
    Only storable products are forecast (reorder rules need them)."""

    _name = "kopdes.stock.forecast.history"
    _description = "Demand history reader"

    @api.model
    def _kopdes_read(self, company, first_day, end_day):
        """Frames for :func:`..tools.forecast.weekly_matrix` over [first_day, end_day)."""
        tz = kopdes_tz(self.env, company).zone
        cr = self.env.cr
        params = {"company": company.id, "start": first_day, "end": end_day, "tz": tz}
        self.env.flush_all()
        cr.execute(
            """
            WITH pos AS (
                SELECT l.product_id, pt.warehouse_id,
                       date_trunc('week', timezone(%(tz)s, timezone('UTC', o.date_order)))::date
                           AS week,
                       SUM(l.qty) AS qty, SUM(l.price_subtotal) AS amount, SUM(l.qty) AS price_qty
                  FROM pos_order_line l
                  JOIN pos_order o ON o.id = l.order_id
                  JOIN pos_session s ON s.id = o.session_id
                  JOIN pos_config c ON c.id = s.config_id
                  JOIN stock_picking_type pt ON pt.id = c.picking_type_id
                 WHERE o.company_id = %(company)s
                   AND o.state IN ('paid', 'done', 'invoiced')
                   AND timezone(%(tz)s, timezone('UTC', o.date_order)) >= %(start)s
                   AND timezone(%(tz)s, timezone('UTC', o.date_order)) < %(end)s
                   AND pt.warehouse_id IS NOT NULL
                 GROUP BY 1, 2, 3
            ), other AS (
                SELECT m.product_id, sl.warehouse_id,
                       date_trunc('week', timezone(%(tz)s, timezone('UTC', m.date)))::date AS week,
                       SUM(m.product_qty) AS qty, 0.0 AS amount, 0.0 AS price_qty
                  FROM stock_move m
                  JOIN stock_location sl ON sl.id = m.location_id
                  JOIN stock_location dl ON dl.id = m.location_dest_id
                  LEFT JOIN stock_picking p ON p.id = m.picking_id
                 WHERE m.company_id = %(company)s AND m.state = 'done'
                   AND sl.usage = 'internal' AND dl.usage = 'customer'
                   AND sl.warehouse_id IS NOT NULL
                   AND p.pos_session_id IS NULL AND p.pos_order_id IS NULL
                   AND timezone(%(tz)s, timezone('UTC', m.date)) >= %(start)s
                   AND timezone(%(tz)s, timezone('UTC', m.date)) < %(end)s
                 GROUP BY 1, 2, 3
            )
            SELECT u.product_id, u.warehouse_id, u.week, SUM(u.qty), SUM(u.amount),
                   SUM(u.price_qty)
              FROM (SELECT * FROM pos UNION ALL SELECT * FROM other) u
              JOIN product_product pp ON pp.id = u.product_id
              JOIN product_template t ON t.id = pp.product_tmpl_id
             WHERE t.is_storable
             GROUP BY 1, 2, 3
            """,
            params,
        )
        sales = pd.DataFrame(
            cr.fetchall(),
            columns=["product_id", "warehouse_id", "week", "qty", "amount", "price_qty"],
        )
        # stock on hand now, and the net quantity moved into each warehouse per day
        cr.execute(
            """
            SELECT q.product_id, l.warehouse_id, SUM(q.quantity)
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template t ON t.id = pp.product_tmpl_id
             WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL
               AND q.company_id = %(company)s AND t.is_storable
             GROUP BY 1, 2
            """,
            params,
        )
        on_hand = pd.DataFrame(cr.fetchall(), columns=["product_id", "warehouse_id", "qty"])
        cr.execute(
            """
            WITH moved AS (
                SELECT m.product_id, dl.warehouse_id,
                       timezone(%(tz)s, timezone('UTC', m.date))::date AS day, m.product_qty AS qty
                  FROM stock_move m
                  JOIN stock_location dl ON dl.id = m.location_dest_id
                  JOIN stock_location sl ON sl.id = m.location_id
                 WHERE m.company_id = %(company)s AND m.state = 'done'
                   AND dl.usage = 'internal' AND dl.warehouse_id IS NOT NULL
                   AND (sl.warehouse_id IS DISTINCT FROM dl.warehouse_id OR sl.usage != 'internal')
                   AND m.date >= %(start)s::timestamp - interval '1 day'
                UNION ALL
                SELECT m.product_id, sl.warehouse_id,
                       timezone(%(tz)s, timezone('UTC', m.date))::date, -m.product_qty
                  FROM stock_move m
                  JOIN stock_location sl ON sl.id = m.location_id
                  JOIN stock_location dl ON dl.id = m.location_dest_id
                 WHERE m.company_id = %(company)s AND m.state = 'done'
                   AND sl.usage = 'internal' AND sl.warehouse_id IS NOT NULL
                   AND (dl.warehouse_id IS DISTINCT FROM sl.warehouse_id OR dl.usage != 'internal')
                   AND m.date >= %(start)s::timestamp - interval '1 day'
            )
            SELECT mv.product_id, mv.warehouse_id, mv.day, SUM(mv.qty), BOOL_OR(mv.qty > 0)
              FROM moved mv
              JOIN product_product pp ON pp.id = mv.product_id
              JOIN product_template t ON t.id = pp.product_tmpl_id
             WHERE t.is_storable AND mv.day >= %(start)s
             GROUP BY 1, 2, 3
            """,
            params,
        )
        moves = pd.DataFrame(
            cr.fetchall(), columns=["product_id", "warehouse_id", "day", "net", "received"]
        )
        return self._kopdes_frames(sales, on_hand, moves, first_day, end_day)

    @api.model
    def _kopdes_frames(self, sales, on_hand, moves, first_day, end_day):
        """Keys, sales, stock-out days per week and launches from the raw SQL rows."""
        pairs = pd.concat(
            [
                sales[["product_id", "warehouse_id"]],
                on_hand[["product_id", "warehouse_id"]],
                moves[["product_id", "warehouse_id"]],
            ]
        ).drop_duplicates()
        pairs = pairs.sort_values(["product_id", "warehouse_id"]).reset_index(drop=True)
        pairs["key"] = np.arange(len(pairs), dtype=np.int64)
        key_of = pairs.set_index(["product_id", "warehouse_id"])["key"]
        n_days = (end_day - first_day).days
        n = len(pairs)
        net = np.zeros((n, n_days))
        received = np.zeros((n, n_days), dtype=bool)
        after = np.zeros(n)  # moved on end_day or later (today's moves)
        if len(moves):
            idx = key_of.loc[list(zip(moves["product_id"], moves["warehouse_id"], strict=True))]
            day = (pd.to_datetime(moves["day"]) - pd.Timestamp(first_day)).dt.days.to_numpy()
            inside = (day >= 0) & (day < n_days)
            np.add.at(
                after, idx.to_numpy()[day >= n_days], moves["net"].to_numpy(float)[day >= n_days]
            )
            np.add.at(
                net, (idx.to_numpy()[inside], day[inside]), moves["net"].to_numpy(float)[inside]
            )
            received[idx.to_numpy()[inside], day[inside]] |= moves["received"].to_numpy(bool)[
                inside
            ]
        now = np.zeros(n)
        if len(on_hand):
            idx = key_of.loc[list(zip(on_hand["product_id"], on_hand["warehouse_id"], strict=True))]
            now[idx.to_numpy()] = on_hand["qty"].to_numpy(float)
        later = np.cumsum(net[:, ::-1], axis=1)[:, ::-1]  # moved on day d and after
        end_of_day = (now - after)[:, None] - np.concatenate(
            [later[:, 1:], np.zeros((n, 1))], axis=1
        )
        out_day = end_of_day <= 1e-6
        week_of_day = (np.arange(n_days) + first_day.weekday()) // 7
        weeks_first = first_day - timedelta(days=first_day.weekday())
        sold_any = np.zeros((n, n_days), dtype=bool)
        launch = {}
        active = received.copy()
        if len(sales):
            sidx = key_of.loc[list(zip(sales["product_id"], sales["warehouse_id"], strict=True))]
            sday = (pd.to_datetime(sales["week"]) - pd.Timestamp(first_day)).dt.days.to_numpy()
            sday = np.clip(sday, 0, n_days - 1)
            sold_any[sidx.to_numpy(), sday] = True
        active |= sold_any
        first_active = np.where(active.any(axis=1), active.argmax(axis=1), n_days)
        for k in range(n):
            if first_active[k] < n_days:
                launch[k] = first_day + timedelta(days=int(first_active[k]))
        # a day is a stock-out only once the product was in the warehouse at all
        out_day &= np.arange(n_days)[None, :] >= first_active[:, None]
        days = pd.DataFrame(out_day.astype(int))
        per_week = days.T.groupby(week_of_day).sum().T.to_numpy()
        week_dates = [
            pd.Timestamp(weeks_first + timedelta(days=7 * w)) for w in range(per_week.shape[1])
        ]
        kk, ww = np.nonzero(per_week)
        stockouts = pd.DataFrame(
            {"key": kk, "week": [week_dates[w] for w in ww], "days": per_week[kk, ww]}
        )
        sales_k = pd.DataFrame(
            {
                "key": key_of.loc[
                    list(zip(sales["product_id"], sales["warehouse_id"], strict=True))
                ].to_numpy()
                if len(sales)
                else np.array([], dtype=np.int64),
                "week": pd.to_datetime(sales["week"]),
                "qty": sales["qty"].astype(float),
                "amount": sales["amount"].astype(float),
                "price_qty": sales["price_qty"].astype(float),
            }
        )
        return {
            "pairs": pairs,
            "sales": sales_k,
            "stockouts": stockouts,
            "launches": launch,
            "on_hand": now,
        }
