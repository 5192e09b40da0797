from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class KopdesMemberMeeting(models.Model):
    """A meeting or event of the cooperative members may ask the chatbot about: the
    annual members' meeting (RAT), training, government-programme socialisation, ..."""

    _name = "kopdes.member.meeting"
    _description = "Cooperative Meeting"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(
        [
            ("rat", "Annual members' meeting (RAT)"),
            ("members", "Members' meeting"),
            ("training", "Training"),
            ("programme", "Government programme"),
            ("other", "Other"),
        ],
        required=True,
        default="members",
    )
    date = fields.Datetime(required=True, tracking=True)
    place = fields.Char(required=True, tracking=True)
    description = fields.Text(help="What the members should know or bring, in plain words.")
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        tracking=True,
    )

    @api.constrains("name", "place")
    def _check_texts(self):
        for meeting in self:
            if not (meeting.name or "").strip() or not (meeting.place or "").strip():
                raise ValidationError(_("A meeting needs a name and a place."))

    def action_publish(self):
        self.write({"state": "published"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        self.write({"state": "draft"})
