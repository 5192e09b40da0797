from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime


class KopdesMemberDisclosure(models.Model):
    """One time a member's balances, installments or loans were told to them through a
    self-service channel (WhatsApp chatbot, portal). A log: never changed or deleted."""

    _name = "kopdes.member.disclosure"
    _description = "Member Data Disclosure"
    _order = "date desc, id desc"
    _check_company_auto = True

    member_id = fields.Many2one(
        "kopdes.member", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        related="member_id.company_id",
        store=True,
        index=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("portal", "Member portal")], required=True
    )
    subject = fields.Selection(
        [
            ("balance", "Savings balances"),
            ("installment", "Next installment"),
            ("loan_remaining", "Remaining loan"),
            ("transactions", "Savings transactions"),
            ("statement", "Statement (PDF)"),
            ("consents", "Consents"),
        ],
        required=True,
    )
    detail = fields.Char()
    number = fields.Char("WhatsApp Number")
    user_id = fields.Many2one("res.users", readonly=True)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The disclosure log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The disclosure log cannot be deleted."))

    @api.depends("member_id", "subject", "date")
    def _compute_display_name(self):
        labels = dict(self._fields["subject"]._description_selection(self.env))
        for entry in self:
            entry.display_name = (
                f"{entry.member_id.name or ''}: {labels.get(entry.subject, '')} "
                f"{format_datetime(self.env, entry.date) if entry.date else ''}"
            ).strip()
