from odoo import api, fields, models
from odoo.exceptions import ValidationError

EVENT_KINDS = [
    ("ramadan", "Ramadan"),
    ("idul_fitri", "Idul Fitri"),
    ("idul_adha", "Idul Adha"),
    ("school_start", "School year start"),
    ("planting", "Planting season"),
    ("harvest", "Harvest"),
    ("aid", "Social aid disbursement"),
]


class KopdesCalendarEvent(models.Model):
    """A dated event of the Indonesian calendar that moves village demand.

    Shared events (no company) hold the national dates (Islamic holidays per year, filled in
    for the next years, school year start, aid disbursement weeks); a cooperative adds its own
    (its village's planting and harvest) with its company set."""

    _name = "kopdes.calendar.event"
    _description = "Calendar event for demand forecasts"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    kind = fields.Selection(EVENT_KINDS, required=True)
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="Until", required=True)
    note = fields.Char()
    company_id = fields.Many2one(
        "res.company", help="Empty: the event holds for every cooperative."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end >= date_start)",
            "An event cannot end before it starts.",
        )
    ]

    @api.depends("kind", "date_start")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            year = event.date_start.year if event.date_start else ""
            event.display_name = f"{labels.get(event.kind, '')} {year}".strip()

    @api.constrains("date_start", "date_end")
    def _check_length(self):
        for event in self:
            if (
                event.date_start
                and event.date_end
                and (event.date_end - event.date_start).days > 120
            ):
                raise ValidationError(
                    self.env._("A calendar event lasts at most 120 days: split a longer season.")
                )

    @api.model
    def _kopdes_events(self, company, date_from, date_to):
        """Events of ``company`` (and the shared ones) overlapping the period, as tuples
        (kind, date_start, date_end) for the forecasting tools."""
        rows = self.sudo().search_read(
            [
                ("company_id", "in", [False, company.id]),
                ("date_end", ">=", date_from),
                ("date_start", "<=", date_to),
            ],
            ["kind", "date_start", "date_end"],
        )
        return [(r["kind"], r["date_start"], r["date_end"]) for r in rows]
