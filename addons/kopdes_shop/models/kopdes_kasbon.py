"""A kasbon: a member's purchase on credit at the cooperative's shop, a receivable on the
member (partner) in the general ledger with a due date, repaid oldest first."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

# the context key of the kasbon posting code (sales, repayments); see kopdes_system.py
KASBON_POSTING = "kopdes_kasbon_posting"


class KopdesKasbon(models.Model):
    _name = "kopdes.kasbon"
    _description = "Member Shop Credit (Kasbon)"
    _inherit = ["mail.thread", "mail.activity.mixin", "kopdes.move.mixin"]
    _order = "due_date, date, id"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    member_id = fields.Many2one(
        "kopdes.member",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(related="member_id.partner_id", store=True, string="Contact")
    pos_order_id = fields.Many2one(
        "pos.order", string="POS Order", readonly=True, index=True, check_company=True
    )
    pos_payment_id = fields.Many2one("pos.payment", string="POS Payment", readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    due_date = fields.Date(required=True, readonly=True, index=True, tracking=True)
    amount = fields.Monetary(required=True, readonly=True)
    allocation_ids = fields.One2many(
        "kopdes.kasbon.allocation", "kasbon_id", string="Repayments", readonly=True
    )
    amount_paid = fields.Monetary(compute="_compute_amounts", store=True, string="Repaid")
    amount_residual = fields.Monetary(compute="_compute_amounts", store=True, string="Open")
    state = fields.Selection(
        [("open", "Open"), ("paid", "Paid")],
        string="Status",
        compute="_compute_amounts",
        store=True,
        index=True,
        tracking=True,
    )
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    move_line_id = fields.Many2one(
        "account.move.line", string="Receivable Line", readonly=True, index=True
    )
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_days_overdue", search="_search_is_overdue"
    )
    over_limit = fields.Boolean(
        string="Above Limit",
        readonly=True,
        tracking=True,
        help="Synced from an offline till although the member's kasbon was not allowed any "
        "more or the limit was exceeded: a manager follows it up.",
    )
    excess_amount = fields.Monetary(string="Above the Limit", readonly=True)
    flag_reason = fields.Text(string="Why Flagged", readonly=True)

    @api.depends("amount", "allocation_ids.amount")
    def _compute_amounts(self):
        for kasbon in self:
            paid = sum(kasbon.allocation_ids.mapped("amount"))
            kasbon.amount_paid = paid
            kasbon.amount_residual = kasbon.currency_id.round(kasbon.amount - paid)
            kasbon.state = "paid" if kasbon.currency_id.is_zero(kasbon.amount_residual) else "open"

    def _compute_days_overdue(self):
        today = kopdes_today(self.env)
        for kasbon in self:
            late = (today - kasbon.due_date).days if kasbon.due_date else 0
            kasbon.days_overdue = max(late, 0) if kasbon.state == "open" else 0
            kasbon.is_overdue = kasbon.days_overdue > 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue kasbon with = or !=."))
        domain = [("state", "=", "open"), ("due_date", "<", kopdes_today(self.env))]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------ guards

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not kopdes_is_system(self.env, KASBON_POSTING):
            raise UserError(_("A kasbon is made by a sale at the Point of Sale."))
        return super().create(vals_list)

    def write(self, vals):
        system_free = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}
        if set(vals) - system_free and not kopdes_is_system(self.env, KASBON_POSTING):
            raise UserError(
                _("A kasbon changes only through its sale, its refund and its repayments.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("A kasbon is never deleted: it is a receivable in the books."))

    @api.model
    def _kopdes_move_context(self):
        return {KASBON_POSTING: True}

    # ------------------------------------------------------------ actions

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ posting

    @api.model
    def _kopdes_create_from_payments(self, payments):
        """Kasbon sales of the POS payments ``payments`` (positive amounts of the kasbon
        method, not yet recorded): a kasbon each, with its entry "kasbon receivable (member,
        due date) against the member's receivable" that the session closing reconciles with
        the sale. A sale the member was not allowed (any more) is recorded all the same and
        flagged for a manager: the goods are gone."""
        Kasbon = kopdes_system(self, KASBON_POSTING)
        created = Kasbon.browse()
        for payment in payments:
            order = payment.pos_order_id
            company = order.company_id
            member = order.member_id
            if not member:
                raise UserError(
                    _("Kasbon Anggota is for members: choose the member who buys on credit.")
                )
            if not company.kopdes_kasbon_account_id or not company.kopdes_kasbon_journal_id:
                raise UserError(
                    _(
                        "%(company)s has no kasbon account or journal: set them in the "
                        "settings of the cooperative.",
                        company=company.name,
                    )
                )
            refusal, room = member._kopdes_kasbon_check(payment.amount)
            date = kopdes_today(self.env, company)
            vals = {
                "name": order.pos_reference or order.name,
                "company_id": company.id,
                "member_id": member.id,
                "pos_order_id": order.id,
                "pos_payment_id": payment.id,
                "date": date,
                "due_date": date + timedelta(days=company.kopdes_kasbon_term_days),
                "amount": payment.amount,
            }
            if refusal:
                vals.update(
                    over_limit=True,
                    excess_amount=company.currency_id.round(
                        payment.amount if room is None else max(payment.amount - room, 0.0)
                    ),
                    flag_reason=refusal,
                )
            kasbon = Kasbon.create(vals)
            kasbon._kopdes_post_sale()
            if refusal:
                kasbon._kopdes_flag_for_manager()
            payment.sudo().kopdes_kasbon_id = kasbon
            created |= kasbon
        return created

    def _kopdes_post_sale(self):
        for kasbon in self:
            company = kasbon.company_id
            partner = kasbon.partner_id
            receivable = partner.with_company(company).property_account_receivable_id
            label = _("Kasbon %(ref)s", ref=kasbon.name)
            debit = kasbon._kopdes_prepare_move_line_vals(
                company.kopdes_kasbon_account_id, kasbon.amount, label, partner
            )
            debit["date_maturity"] = kasbon.due_date
            credit = kasbon._kopdes_prepare_move_line_vals(
                receivable, -kasbon.amount, label, partner
            )
            vals = kasbon._kopdes_prepare_move_vals(
                company.kopdes_kasbon_journal_id, kasbon.date, [debit, credit], kasbon.name
            )
            move = kasbon._kopdes_make_moves([vals], link_field="move_id")
            line = move.line_ids.filtered(
                lambda ml, acc=company.kopdes_kasbon_account_id: ml.account_id == acc
            )
            kopdes_system(kasbon, KASBON_POSTING).move_line_id = line

    def _kopdes_flag_for_manager(self):
        """An activity for a manager (Pengurus) of the cooperative on each flagged kasbon."""
        group = self.env.ref("kopdes_members.group_kopdes_manager")
        for kasbon in self:
            manager = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("groups_id", "in", group.ids),
                        ("company_ids", "in", kasbon.company_id.ids),
                        ("share", "=", False),
                    ],
                    order="id",
                    limit=1,
                )
            )
            kopdes_system(kasbon, KASBON_POSTING).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(manager or self.env.ref("base.user_admin")).id,
                summary=_("Kasbon above the member's limit"),
                note=_(
                    "Kasbon %(ref)s of %(member)s (%(amount)s) was synced from the till "
                    "although it was not allowed: %(reason)s",
                    ref=kasbon.name,
                    member=kasbon.member_id.display_name,
                    amount=kasbon._kopdes_format(kasbon.amount),
                    reason=kasbon.flag_reason,
                ),
            )

    def _kopdes_format(self, amount):
        return self._kopdes_format_amount(amount, self.company_id.currency_id)

    @api.model
    def _kopdes_format_amount(self, amount, currency):
        return formatLang(self.env, amount, currency_obj=currency)


class KopdesKasbonAllocation(models.Model):
    _name = "kopdes.kasbon.allocation"
    _description = "Kasbon Repayment Allocation"
    _order = "id"
    _check_company_auto = True

    @api.depends("kasbon_id", "repayment_id")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = (
                f"{rec.kasbon_id.display_name or ''} / {rec.repayment_id.display_name or ''}"
            )

    repayment_id = fields.Many2one(
        "kopdes.kasbon.repayment", required=True, ondelete="cascade", index=True
    )
    kasbon_id = fields.Many2one(
        "kopdes.kasbon", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="repayment_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(related="repayment_id.date", store=True)
    source = fields.Selection(related="repayment_id.source")
    amount = fields.Monetary(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self)
        if not kopdes_is_system(self.env, KASBON_POSTING):
            raise UserError(_("Kasbon is repaid at the teller."))
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, KASBON_POSTING):
            raise UserError(_("A posted repayment is never changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("A posted repayment is never changed."))
