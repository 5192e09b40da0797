from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.kopdes_savings.tools import periods

STATES = [("draft", "Draft"), ("running", "Running"), ("done", "Closed")]


class KopdesClose(models.Model):
    """The month-end close of one cooperative for one calendar month."""

    _name = "kopdes.close"
    _description = "Month-End Close"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Month", required=True)
    date_to = fields.Date(string="Period End", required=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True)

    _sql_constraints = [
        (
            "company_month_uniq",
            "unique(company_id, date_from)",
            "This month already has a close for this cooperative.",
        ),
    ]

    @api.depends("date_from", "company_id")
    def _compute_name(self):
        for record in self:
            record.name = _(
                "Close %(month)s %(company)s",
                month=periods.period_label(record.date_from) if record.date_from else "",
                company=record.company_id.name or "",
            )

    @api.constrains("date_from", "date_to")
    def _check_month(self):
        for record in self:
            start = periods.period_start(record.date_from)
            if record.date_from != start or record.date_to != periods.period_end(start):
                raise ValidationError(
                    _("A close covers one calendar month, from its first to its last day.")
                )

    @api.model
    def _kopdes_is_closed(self, company, date):
        """Whether the month containing ``date`` is closed (locked) for ``company``."""
        date = fields.Date.to_date(date)
        return bool(
            self.sudo().search_count(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", periods.period_start(date)),
                    ("state", "=", "done"),
                ],
                limit=1,
            )
        )
