import logging
from datetime import timedelta
from urllib.parse import quote

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_without_defaults,
)

_logger = logging.getLogger(__name__)

QRIS_POSTING = "kopdes_qris_posting"
PURPOSES = [
    ("savings_deposit", "Savings deposit"),
    ("loan_payment", "Loan installment"),
]
STATES = [
    ("waiting", "Waiting for payment"),
    ("paid", "Paid and posted"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]


class KopdesQrisPayment(models.Model):
    """A dynamic QRIS code shown at the teller for one savings deposit or loan installment.

    The code comes from the QRIS provider through Odoo's own QRIS machinery (l10n_id's
    ``res.partner.bank._get_qr_vals`` and ``l10n_id.qris.transaction``). The deposit or the
    installment is posted once, when the provider confirms the payment (``Check payment`` or the
    cron); a code not paid within the validity expires and posts nothing.
    """

    _name = "kopdes.qris.payment"
    _description = "QRIS Payment at the Teller"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    purpose = fields.Selection(PURPOSES, required=True, readonly=True)
    member_id = fields.Many2one(
        "kopdes.member", required=True, readonly=True, index=True, check_company=True
    )
    savings_transaction_id = fields.Many2one(
        "kopdes.savings.transaction",
        string="Savings Deposit",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    loan_id = fields.Many2one(
        "kopdes.loan", readonly=True, index="btree_not_null", check_company=True
    )
    loan_overpayment = fields.Selection(
        [("next", "Next installments"), ("savings", "Voluntary savings")],
        string="Overpayment",
        readonly=True,
        default="next",
    )
    loan_payment_id = fields.Many2one("kopdes.loan.payment", readonly=True, check_company=True)
    amount = fields.Monetary(required=True, readonly=True)
    journal_id = fields.Many2one(
        "account.journal", string="QRIS Journal", required=True, readonly=True, check_company=True
    )
    state = fields.Selection(STATES, required=True, default="waiting", readonly=True, tracking=True)
    qris_content = fields.Char(string="QRIS Code", readonly=True, copy=False)
    qris_invoice_id = fields.Char(string="QRIS Invoice", readonly=True, copy=False)
    qris_transaction_id = fields.Many2one(
        "l10n_id.qris.transaction", readonly=True, copy=False, ondelete="set null"
    )
    qr_image_url = fields.Char(compute="_compute_qr_image_url")
    expires_at = fields.Datetime(readonly=True)
    paid_at = fields.Datetime(readonly=True)
    last_check = fields.Datetime(readonly=True)
    requested_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount must be greater than zero."),
    ]

    @api.depends("qris_content")
    def _compute_qr_image_url(self):
        for payment in self:
            payment.qr_image_url = (
                "/report/barcode/?barcode_type=QR&width=280&height=280&value="
                + quote(payment.qris_content, safe="")
                if payment.qris_content
                else False
            )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not kopdes_is_system(self.env, QRIS_POSTING):
            raise UserError(
                _(
                    "A QRIS payment starts from a draft deposit or from the loan payment form "
                    "(button Pay with QRIS)."
                )
            )
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("name", "/") == "/":
                vals["name"] = company._kopdes_qris_sequence().next_by_id()
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, QRIS_POSTING) and set(vals) - {
            "message_main_attachment_id"
        }:
            raise UserError(_("A QRIS payment changes only by checking or cancelling it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_paid(self):
        if self.filtered(lambda p: p.state == "paid"):
            raise UserError(_("A paid QRIS payment is never deleted."))

    # ------------------------------------------------------------ starting

    @api.model
    def _kopdes_journal(self, company):
        journal = company.sudo().kopdes_qris_journal_id
        bank = journal.bank_account_id
        if not journal or not bank:
            raise UserError(
                _(
                    "QRIS at the teller is not set up: choose the QRIS bank journal (its bank "
                    "account holds the merchant ID and API key of the QRIS provider) in "
                    "Koperasi > Configuration > Settings."
                )
            )
        error = bank._get_error_messages_for_qr("id_qr", False, company.currency_id)
        if error:
            raise UserError(error)
        return journal

    @api.model
    def _kopdes_start(self, values):
        """Create the payment as the system, ask the provider for its code and return it."""
        company = self.env["res.company"].browse(values["company_id"])
        if company.currency_id.compare_amounts(values["amount"], 0.0) <= 0:
            raise ValidationError(_("The amount must be greater than zero."))
        if int(values["amount"]) != values["amount"]:
            raise ValidationError(_("A QRIS payment is in whole rupiah."))
        journal = self._kopdes_journal(company)
        payment = kopdes_system(self, QRIS_POSTING).create(
            {
                **values,
                "journal_id": journal.id,
                "requested_by_id": self.env.uid,
                "expires_at": fields.Datetime.now()
                + timedelta(minutes=company.kopdes_qris_validity or 30),
            }
        )
        payment._kopdes_request_code()
        return payment.with_env(self.env)

    def _kopdes_request_code(self):
        self.ensure_one()
        bank = self.sudo().journal_id.bank_account_id
        content = bank.with_context(
            qris_model="kopdes.qris.payment", qris_model_id=str(self.id), is_online_qr=True
        )._get_qr_vals(
            "id_qr", self.amount, self.currency_id, self.member_id.partner_id, None, self.name
        )
        transaction = (
            self.env["l10n_id.qris.transaction"]
            .sudo()
            ._get_latest_transaction("kopdes.qris.payment", str(self.id))
        )
        kopdes_system(self, QRIS_POSTING).write(
            {
                "qris_content": content,
                "qris_transaction_id": transaction.id,
                "qris_invoice_id": transaction.qris_invoice_id,
            }
        )

    # ------------------------------------------------------------- actions

    def action_check(self):
        """Ask the provider whether the code was paid; post once when it was."""
        self._kopdes_check_staff()
        self._kopdes_check_payments()
        return True

    def action_cancel(self):
        self._kopdes_check_staff()
        for payment in self:
            if payment.state != "waiting":
                raise UserError(_("Only a QRIS payment waiting for payment can be cancelled."))
        # a payment made just before cancelling still posts: ask the provider first
        self._kopdes_check_payments()
        waiting = self.filtered(lambda p: p.state == "waiting")
        kopdes_system(waiting, QRIS_POSTING).write({"state": "cancelled"})
        return True

    def action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Pay with QRIS"),
        }

    def _kopdes_check_staff(self):
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_user",
            _("Only the cooperative's staff (Petugas) can take QRIS payments."),
        )

    # ---------------------------------------------------------- confirming

    @api.model
    def _cron_check_payments(self):
        """Check every waiting code: post the paid ones, expire the old ones."""
        waiting = self.sudo().search([("state", "=", "waiting")], limit=200)
        for payment in waiting:
            try:
                with self.env.cr.savepoint():
                    payment._kopdes_check_payments()
            except (UserError, ValidationError) as error:
                _logger.warning("QRIS payment %s: %s", payment.name, error)

    def _kopdes_check_payments(self):
        now = fields.Datetime.now()
        for payment in self:
            # one confirmation at a time: a second check (button, cron, webhook) waits here
            self.env.cr.execute(
                "SELECT state FROM kopdes_qris_payment WHERE id = %s FOR UPDATE", [payment.id]
            )
            payment.invalidate_recordset(["state"])
            if payment.state != "waiting":
                continue
            transactions = payment.qris_transaction_id.sudo()
            paid = False
            if transactions:
                paid = transactions._l10n_id_get_qris_qr_statuses()["paid"]
            if paid:
                payment._kopdes_post_paid()
            elif now >= payment.expires_at:
                kopdes_system(payment, QRIS_POSTING).write({"state": "expired", "last_check": now})
                payment.message_post(
                    body=_("The QRIS code expired without payment; nothing was posted.")
                )
            else:
                kopdes_system(payment, QRIS_POSTING).write({"last_check": now})

    def _kopdes_post_paid(self):
        """Post the deposit or the installment as the staff member who showed the code."""
        self.ensure_one()
        user = self.requested_by_id or self.env.user
        values = {"state": "paid", "paid_at": fields.Datetime.now()}
        if self.purpose == "savings_deposit":
            deposit = self.savings_transaction_id.with_user(user).with_company(self.company_id)
            if deposit.state != "draft":
                raise UserError(_("This deposit has already been posted or cancelled."))
            deposit._kopdes_post()
        else:
            loan = self.loan_id.with_user(user).with_company(self.company_id)
            payment = loan._kopdes_pay(
                self.amount,
                journal=self.journal_id,
                overpayment=self.loan_overpayment,
                note=_("Paid with QRIS %(number)s", number=self.name),
            )
            values["loan_payment_id"] = payment.id
        kopdes_system(self, QRIS_POSTING).write(values)
        self.message_post(body=_("The QRIS provider confirmed the payment; it is posted."))
