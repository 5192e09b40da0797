from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_bank.models.kopdes_qris_payment import QRIS_POSTING
from odoo.addons.kopdes_members.models.kopdes_system import kopdes_system, kopdes_today


class KopdesQrisPayment(models.Model):
    _inherit = "kopdes.qris.payment"

    purpose = fields.Selection(
        selection_add=[("kasbon_repayment", "Kasbon repayment")],
        ondelete={"kasbon_repayment": "cascade"},
    )
    kasbon_repayment_id = fields.Many2one(
        "kopdes.kasbon.repayment", readonly=True, check_company=True
    )
    kasbon_deposit_id = fields.Many2one(
        "kopdes.savings.transaction",
        string="Rest to Voluntary Savings",
        readonly=True,
        check_company=True,
        help="Paid by QRIS above the kasbon still open when the payment was confirmed "
        "(repaid in the meantime at the till or the teller): credited to simpanan sukarela.",
    )

    def _kopdes_post_paid(self):
        """A kasbon repayment posts as a bank repayment into the QRIS journal, oldest kasbon
        first; what the member paid above the kasbon still open goes to their voluntary
        savings, so money received is never left unbooked."""
        if self.purpose != "kasbon_repayment":
            return super()._kopdes_post_paid()
        self.ensure_one()
        user = self.requested_by_id or self.env.user
        member = self.member_id.with_user(user).with_company(self.company_id)
        currency = self.currency_id
        Repayment = self.env["kopdes.kasbon.repayment"].with_user(user)
        open_total = member.sudo().kasbon_open
        amount = min(self.amount, open_total)
        rest = currency.round(self.amount - amount)
        values = {"state": "paid", "paid_at": fields.Datetime.now()}
        note = _("Paid with QRIS %(number)s", number=self.name)
        if currency.compare_amounts(amount, 0.0) > 0:
            repayment = Repayment._kopdes_repay(
                member,
                amount,
                "bank",
                journal=self.journal_id,
                name=_(
                    "Kasbon repayment %(member)s (QRIS %(number)s)",
                    member=member.member_number or member.name,
                    number=self.name,
                ),
            )
            values["kasbon_repayment_id"] = repayment.id
        if currency.compare_amounts(rest, 0.0) > 0:
            account = member.sudo()._kopdes_savings_account("sukarela")
            if not account:
                raise UserError(
                    _(
                        "QRIS %(number)s paid %(rest)s more than %(member)s still owes in "
                        "kasbon and the member has no open voluntary savings account to "
                        "credit it to: open one, then check the payment again.",
                        number=self.name,
                        rest=self.env["kopdes.kasbon"]._kopdes_format_amount(rest, currency),
                        member=member.display_name,
                    )
                )
            deposit = account.with_user(user)._kopdes_deposit(
                rest,
                kopdes_today(self.env, self.company_id),
                payment_journal_id=self.journal_id.id,
                ref=note,
            )
            values["kasbon_deposit_id"] = deposit.id
        kopdes_system(self, QRIS_POSTING).write(values)
        self.message_post(body=_("The QRIS provider confirmed the payment; it is posted."))
        return True
