from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .kopdes_stock_forecast_run import check_planner


class StockWarehouseOrderpoint(models.Model):
    """Reorder rules carry the forecast's suggestion beside their own min/max; a manager
    accepts it (it becomes the rule's min/max) or rejects it. Nothing is applied silently."""

    _inherit = "stock.warehouse.orderpoint"

    kopdes_suggested_min = fields.Float(
        string="Suggested min", digits="Product Unit of Measure", readonly=True, copy=False
    )
    kopdes_suggested_max = fields.Float(
        string="Suggested max", digits="Product Unit of Measure", readonly=True, copy=False
    )
    kopdes_suggestion_state = fields.Selection(
        [("pending", "To review"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        string="Forecast suggestion",
        readonly=True,
        copy=False,
    )
    kopdes_forecast_product_id = fields.Many2one(
        "kopdes.stock.forecast.product", string="Product forecast", readonly=True, copy=False
    )
    kopdes_reviewed_by_id = fields.Many2one(
        "res.users", string="Reviewed by", readonly=True, copy=False
    )
    kopdes_reviewed_on = fields.Datetime(string="Reviewed on", readonly=True, copy=False)

    def write(self, vals):
        protected = {
            "kopdes_suggested_min",
            "kopdes_suggested_max",
            "kopdes_suggestion_state",
            "kopdes_forecast_product_id",
            "kopdes_reviewed_by_id",
            "kopdes_reviewed_on",
        }
        if protected & set(vals) and not self.env.su:
            raise UserError(
                self.env._("The forecast suggestion is written by the forecast and its review.")
            )
        return super().write(vals)

    def action_kopdes_accept_suggestion(self):
        check_planner(self.env)
        pending = self.filtered(lambda op: op.kopdes_suggestion_state == "pending")
        if not pending:
            raise UserError(self.env._("There is no forecast suggestion to accept."))
        for op in pending:
            op.sudo().write(
                {
                    "product_min_qty": op.kopdes_suggested_min,
                    "product_max_qty": op.kopdes_suggested_max,
                    "kopdes_suggestion_state": "accepted",
                    "kopdes_reviewed_by_id": self.env.uid,
                    "kopdes_reviewed_on": fields.Datetime.now(),
                }
            )
        return True

    def action_kopdes_reject_suggestion(self):
        check_planner(self.env)
        pending = self.filtered(lambda op: op.kopdes_suggestion_state == "pending")
        if not pending:
            raise UserError(self.env._("There is no forecast suggestion to reject."))
        pending.sudo().write(
            {
                "kopdes_suggestion_state": "rejected",
                "kopdes_reviewed_by_id": self.env.uid,
                "kopdes_reviewed_on": fields.Datetime.now(),
            }
        )
        return True

    def _unlink_processed_orderpoints(self):
        # Odoo's own clean-up (stock.warehouse.orderpoint._unlink_processed_orderpoints, run by
        # the Replenishment screen) with one more condition: a manual rule that carries a
        # forecast suggestion to review stays for the manager.
        domain = [
            ("create_uid", "=", SUPERUSER_ID),
            ("trigger", "=", "manual"),
            ("qty_to_order", "<=", 0),
            ("kopdes_suggestion_state", "!=", "pending"),
        ]
        to_remove = self.with_context(active_test=False).search(domain)
        to_remove.unlink()
        return to_remove

    @api.model
    def _kopdes_write_suggestions(self, forecast_products):
        """Write each forecast product's min/max as a suggestion on its reorder rule (made, as
        a manual rule with min 0 / max 0, when the product has none in the warehouse)."""
        Orderpoint = self.sudo().with_context(active_test=False)
        forecast_products = forecast_products.filtered(lambda p: p.suggested_max > 0)
        if not forecast_products:
            return self.browse()
        existing = Orderpoint.search(
            [
                ("company_id", "=", forecast_products.company_id.id),
                ("product_id", "in", forecast_products.product_id.ids),
            ]
        )
        by_key = {}
        for op in existing:
            by_key.setdefault((op.product_id.id, op.warehouse_id.id), op)
        missing = forecast_products.filtered(
            lambda p: (p.product_id.id, p.warehouse_id.id) not in by_key
        )
        created = Orderpoint.create(
            [
                {
                    "product_id": p.product_id.id,
                    "warehouse_id": p.warehouse_id.id,
                    "location_id": p.warehouse_id.lot_stock_id.id,
                    "company_id": p.company_id.id,
                    "trigger": "manual",
                    "product_min_qty": 0.0,
                    "product_max_qty": 0.0,
                }
                for p in missing
            ]
        )
        for op in created:
            by_key[(op.product_id.id, op.warehouse_id.id)] = op
        rows = []
        for fp in forecast_products:
            op = by_key[(fp.product_id.id, fp.warehouse_id.id)]
            rounding = fp.product_id.uom_id.rounding
            same = (
                float_compare(op.product_min_qty, fp.suggested_min, precision_rounding=rounding)
                == 0
                and float_compare(op.product_max_qty, fp.suggested_max, precision_rounding=rounding)
                == 0
            )
            rows.append(
                (
                    op.id,
                    fp.id,
                    fp.suggested_min,
                    fp.suggested_max,
                    "accepted" if same else "pending",
                )
            )
        self.env.cr.execute(
            """
            UPDATE stock_warehouse_orderpoint o
               SET kopdes_suggested_min = v.mn, kopdes_suggested_max = v.mx,
                   kopdes_suggestion_state = v.st, kopdes_forecast_product_id = v.fp,
                   active = TRUE
              FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::int[]) AS fp,
                           unnest(%s::float[]) AS mn, unnest(%s::float[]) AS mx,
                           unnest(%s::varchar[]) AS st) v
             WHERE v.id = o.id
            """,
            [
                [r[0] for r in rows],
                [r[1] for r in rows],
                [r[2] for r in rows],
                [r[3] for r in rows],
                [r[4] for r in rows],
            ],
        )
        self.env.cr.execute(
            """
            UPDATE kopdes_stock_forecast_product p SET orderpoint_id = v.op
              FROM (SELECT unnest(%s::int[]) AS fp, unnest(%s::int[]) AS op) v WHERE v.fp = p.id
            """,
            [[r[1] for r in rows], [r[0] for r in rows]],
        )
        self.invalidate_model()
        forecast_products.invalidate_recordset(["orderpoint_id"])
        forecast_products._compute_suggestion_pending()
        forecast_products.flush_recordset(["suggestion_pending"])
        return self.browse([r[0] for r in rows])
