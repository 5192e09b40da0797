from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .kopdes_member import CONSENT_PURPOSES


class KopdesConsent(models.Model):
    """One entry of a member's consent ledger (UU 27/2022 on personal data protection).

    Entries are never changed or deleted: a member who changes their mind gets a new
    entry, and the latest entry per purpose decides.
    """

    _name = "kopdes.consent"
    _description = "Member Consent"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    member_id = fields.Many2one(
        "kopdes.member",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        related="member_id.company_id",
        store=True,
        index=True,
    )
    purpose = fields.Selection(CONSENT_PURPOSES, required=True, index=True)
    action = fields.Selection(
        [("granted", "Granted"), ("withdrawn", "Withdrawn")],
        required=True,
        default="granted",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(
        [
            ("paper", "Signed paper form"),
            ("office", "In person at the office"),
            ("whatsapp", "WhatsApp"),
            ("portal", "Member portal"),
            ("pos", "Point of Sale"),
            ("phone", "Phone call"),
        ],
        required=True,
        default="paper",
    )
    evidence = fields.Binary(attachment=True, help="Scan of the signed form, screenshot, ...")
    evidence_name = fields.Char()
    note = fields.Text()
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True
    )

    @api.depends("member_id", "purpose", "action")
    def _compute_display_name(self):
        purposes = dict(self._fields["purpose"]._description_selection(self.env))
        actions = dict(self._fields["action"]._description_selection(self.env))
        for consent in self:
            consent.display_name = (
                f"{consent.member_id.name or ''}: {purposes.get(consent.purpose, '')} "
                f"({actions.get(consent.action, '')})"
            )

    @api.constrains("date")
    def _check_date(self):
        now = fields.Datetime.now()
        for consent in self:
            if consent.date and consent.date > now + timedelta(days=1):
                raise UserError(_("A consent cannot be recorded for a future date."))

    def write(self, vals):
        protected = {
            name for name in vals if not name.startswith(("message_", "activity_", "website_"))
        }
        if protected:
            raise UserError(
                _(
                    "Consent entries are a ledger and cannot be changed. Record a new entry "
                    "(granted or withdrawn) instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            _("Consent entries are a ledger and cannot be deleted. Record a withdrawal instead.")
        )
