# pylint: disable=consider-merging-classes-inherited
"""The state machine of a loan: ``action_*`` -> checks -> the work, and its arrears."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .common import kopdes_system, kopdes_today
from .kopdes_loan_product import MAX_ANNUAL_RATE


# the loan is split in two files (fields and CRUD; state machine and arrears) so that no
# file grows past about 600 lines
class KopdesLoan(models.Model):
    _inherit = "kopdes.loan"

    # --------------------------------------------------------------- actions

    def action_submit(self):
        self._kopdes_check_officer()
        for loan in self:
            if loan.state != "draft":
                raise UserError(_("Only applications can be submitted for approval."))
            loan._kopdes_check_terms()
            loan._kopdes_check_member_can_borrow()
        kopdes_system(self).write(
            {
                "state": "submitted",
                "submitted_by_id": self.env.uid,
                "submitted_date": self._kopdes_today(),
            }
        )
        self._kopdes_request_approval()
        return True

    def action_approve(self, reason):
        """Approve submitted loans within the current user's approval limit; with four
        eyes (``company.kopdes_four_eyes``) never by who prepared or submitted them."""
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the committee approves the loan."))
        now = fields.Datetime.now()
        for loan in self:
            if loan.state != "submitted":
                raise UserError(
                    _("Only loans waiting for approval can be approved: %(loan)s", loan=loan.name)
                )
            if loan._kopdes_is_own_application():
                raise UserError(
                    _(
                        "You prepared or submitted %(loan)s yourself; another committee member "
                        "(Pengurus) must approve it (four eyes).",
                        loan=loan.name,
                    )
                )
            loan._kopdes_check_terms()
            loan._kopdes_check_member_can_borrow()
            loan._kopdes_check_blocked_savings()
            limit = loan.product_id._kopdes_approval_limit(self.env.user)
            if loan.currency_id.compare_amounts(loan.amount, limit) > 0:
                raise UserError(
                    _(
                        "%(loan)s asks for %(amount)s, above your approval limit of %(limit)s "
                        "for %(product)s. A committee member with a higher limit must approve it.",
                        loan=loan.name,
                        amount=loan._kopdes_format(loan.amount),
                        limit=loan._kopdes_format(limit),
                        product=loan.product_id.name,
                    )
                )
            kopdes_system(loan).write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_date": now,
                    "approval_note": reason,
                    "approval_limit": limit,
                }
            )
            loan.message_post(
                body=_(
                    "Approved by %(user)s (limit %(limit)s). Reason: %(reason)s",
                    user=self.env.user.name,
                    limit=loan._kopdes_format(limit),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            loan.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def _kopdes_is_own_application(self):
        """Whether four eyes forbids the current user to approve this loan: the company
        asks for it and the user prepared (recorded) or submitted it. The system (demo
        data, superuser) is not a person and is never refused."""
        self.ensure_one()
        if self.env.su or not self.company_id.kopdes_four_eyes:
            return False
        makers = (self.prepared_by_id or self.create_uid) | self.submitted_by_id
        return self.env.user in makers

    def action_reject(self, reason):
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the loan is rejected."))
        for loan in self:
            if loan.state not in ("submitted", "approved"):
                raise UserError(_("Only submitted or approved loans can be rejected."))
        kopdes_system(self).write(
            {"state": "rejected", "rejected_by_id": self.env.uid, "rejection_reason": reason}
        )
        for loan in self:
            loan.message_post(
                body=_("Rejected. Reason: %(reason)s", reason=reason), subtype_xmlid="mail.mt_note"
            )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self._kopdes_check_officer()
        for loan in self:
            if loan.state not in ("draft", "submitted", "approved"):
                raise UserError(_("Only loans not yet disbursed can be cancelled."))
        kopdes_system(self).write({"state": "cancelled"})
        return True

    def action_reset_to_draft(self):
        self._kopdes_check_officer()
        for loan in self:
            if loan.state not in ("rejected", "cancelled"):
                raise UserError(_("Only rejected or cancelled loans can go back to application."))
        kopdes_system(self).write(
            {
                "state": "draft",
                "submitted_by_id": False,
                "approved_by_id": False,
                "approved_date": False,
                "approval_note": False,
                "rejected_by_id": False,
                "rejection_reason": False,
            }
        )
        self.env["kopdes.loan.line"]._kopdes_generate(self)
        return True

    def action_override_overdue(self, reason):
        """A manager allows a member with an overdue loan to take this one."""
        self._kopdes_check_manager()
        if not (reason or "").strip():
            raise UserError(_("Write why the member may borrow despite the overdue loan."))
        for loan in self:
            if loan.state not in ("draft", "submitted"):
                raise UserError(_("The overdue block is overridden before approval."))
        kopdes_system(self).write(
            {
                "override_by_id": self.env.uid,
                "override_date": fields.Datetime.now(),
                "override_reason": reason,
            }
        )
        for loan in self:
            loan.message_post(
                body=_(
                    "Overdue block overridden by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_disburse(self, date=None, journal=None, first_due_date=None):
        """Pay out approved loans: the schedule from the disbursement date and the entry
        debiting the loan receivable against cash or bank (and the admin fee)."""
        self._kopdes_check_officer()
        today = self._kopdes_today()
        date = fields.Date.to_date(date) if date else today
        for loan in self:
            if loan.state != "approved":
                raise UserError(
                    _("%(loan)s is not approved and cannot be disbursed.", loan=loan.name)
                )
            loan_journal = journal or loan.company_id._kopdes_savings_cash_journal()
            if not loan_journal or loan_journal.type not in ("cash", "bank"):
                raise UserError(_("Choose the cash or bank journal the money is paid from."))
            if loan_journal.company_id not in loan.company_id.parent_ids:
                raise UserError(_("The journal belongs to another cooperative."))
            if date > today:
                raise UserError(_("A loan cannot be disbursed in the future."))
            if date < loan.application_date:
                raise UserError(_("A loan cannot be disbursed before its application date."))
            if loan.member_id.state != "active":
                raise UserError(
                    _(
                        "%(member)s is no longer an active member; the loan cannot be disbursed.",
                        member=loan.member_id.display_name,
                    )
                )
            loan._kopdes_check_member_can_borrow()
            loan._kopdes_check_blocked_savings()
            first_due = (
                fields.Date.to_date(first_due_date) if first_due_date else loan.first_due_date
            )
            if first_due and first_due <= date:
                raise UserError(_("The first installment falls due after the disbursement."))
            loan.sudo().with_context(kopdes_loan_posting=True).write(
                {"first_due_date": first_due or False}
            )
            self.env["kopdes.loan.line"]._kopdes_generate(loan, start=date)
            move = loan._kopdes_create_move(
                loan._prepare_disbursement_move_line_vals(loan_journal),
                date,
                _("Disbursement %(loan)s", loan=loan.name),
                journal=loan_journal,
            )
            loan.sudo().with_context(kopdes_loan_posting=True).write(
                {
                    "state": "active",
                    "disbursement_date": date,
                    "disbursement_journal_id": loan_journal.id,
                    "disbursement_move_id": move.id,
                    "disbursed_by_id": self.env.uid,
                }
            )
            loan.message_post(
                body=_(
                    "Disbursed %(amount)s on %(date)s (%(journal)s).",
                    amount=loan._kopdes_format(loan.amount),
                    date=format_date(self.env, date),
                    journal=loan_journal.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._kopdes_update_arrears(today, loans=self)
        return True

    def _prepare_disbursement_move_line_vals(self, journal):
        self.ensure_one()
        product = self.product_id
        partner = self.partner_id.id
        label = _("Disbursement %(loan)s", loan=self.name)
        cash = journal.default_account_id
        if not cash:
            raise UserError(
                _("The journal %(journal)s has no default account.", journal=journal.name)
            )
        fee = self.currency_id.round(self.admin_fee or 0.0)
        lines = [
            self._kopdes_prepare_move_line_vals(
                product.account_principal_id, self.amount, label, partner
            )
        ]
        if fee and self.admin_fee_mode == "deducted":
            lines.append(
                self._kopdes_prepare_move_line_vals(cash, -(self.amount - fee), label, partner)
            )
        else:
            lines.append(self._kopdes_prepare_move_line_vals(cash, -self.amount, label, partner))
            if fee:
                lines.append(
                    self._kopdes_prepare_move_line_vals(
                        cash, fee, _("Admin fee %(loan)s", loan=self.name), partner
                    )
                )
        if fee:
            lines.append(
                self._kopdes_prepare_move_line_vals(
                    product.account_fee_income_id,
                    -fee,
                    _("Admin fee %(loan)s", loan=self.name),
                    partner,
                )
            )
        return lines

    def _kopdes_write_off(self, date=None, reason=None):
        """Write off active loans against the provision (PPAP); see
        :meth:`kopdes.loan.write.off._kopdes_write_off_loan`. Returns the write-offs."""
        self._kopdes_check_manager()
        WriteOff = self.env["kopdes.loan.write.off"]
        write_offs = WriteOff.browse()
        for loan in self:
            write_offs |= WriteOff._kopdes_write_off_loan(loan, date, reason)
        return write_offs

    # --------------------------------------------------------------- checks

    @api.constrains("amount", "term", "grace_periods", "annual_rate", "product_id", "state")
    def _check_terms(self):
        for loan in self.filtered(lambda loan: loan.state in ("draft", "submitted", "approved")):
            loan._kopdes_check_terms()

    @api.constrains("member_id", "product_id", "company_id")
    def _check_same_company(self):
        for loan in self:
            if loan.member_id.company_id != loan.company_id or (
                loan.product_id.company_id != loan.company_id
            ):
                raise ValidationError(
                    _("A loan, its member and its product belong to one cooperative.")
                )

    @api.constrains("member_id", "state")
    def _check_member_active(self):
        for loan in self.filtered(lambda loan: loan.state in ("draft", "submitted")):
            if loan.member_id.state != "active":
                raise ValidationError(
                    _(
                        "%(member)s is not an active member and cannot apply for a loan.",
                        member=loan.member_id.display_name,
                    )
                )

    @api.constrains(
        "collateral_value", "collateral_savings_amount", "collateral_savings_account_id"
    )
    def _check_collateral(self):
        for loan in self:
            if loan.collateral_value < 0 or loan.collateral_savings_amount < 0:
                raise ValidationError(_("Collateral values cannot be negative."))
            account = loan.collateral_savings_account_id
            if account and account.member_id != loan.member_id:
                raise ValidationError(
                    _("Only the borrower's own savings can be blocked as collateral.")
                )
            if loan.collateral_savings_amount and not account:
                raise ValidationError(
                    _("Choose the savings account that is blocked as collateral.")
                )

    def _kopdes_check_officer(self):
        if not self.env.su and not self.env.user.has_group(
            "kopdes_members.group_kopdes_loan_officer"
        ):
            raise AccessError(_("Only loan officers (Petugas Pembiayaan) can do this."))

    def _kopdes_check_manager(self):
        if not self.env.su and not self.env.user.has_group("kopdes_members.group_kopdes_manager"):
            raise AccessError(_("Only a manager (Pengurus) of the cooperative can do this."))

    def _kopdes_lock(self):
        """Lock the loans until the end of the transaction (two tellers, one loan)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM kopdes_loan WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["state"])

    def _kopdes_check_terms(self):
        """Refuse amounts, terms and rates outside the product (clear message)."""
        self.ensure_one()
        product = self.product_id
        currency = self.currency_id
        if currency.compare_amounts(self.amount, 0.0) <= 0:
            raise ValidationError(_("The loan amount must be greater than zero."))
        if not currency.is_zero(self.amount - round(self.amount)):
            raise ValidationError(_("Loan amounts are in whole rupiah."))
        if product.min_amount and currency.compare_amounts(self.amount, product.min_amount) < 0:
            raise ValidationError(
                _(
                    "%(product)s lends at least %(min)s.",
                    product=product.name,
                    min=self._kopdes_format(product.min_amount),
                )
            )
        if product.max_amount and currency.compare_amounts(self.amount, product.max_amount) > 0:
            raise ValidationError(
                _(
                    "%(product)s lends at most %(max)s.",
                    product=product.name,
                    max=self._kopdes_format(product.max_amount),
                )
            )
        if not product.min_term <= self.term <= product.max_term:
            raise ValidationError(
                _(
                    "%(product)s has between %(min)s and %(max)s installments; %(term)s asked.",
                    product=product.name,
                    min=product.min_term,
                    max=product.max_term,
                    term=self.term,
                )
            )
        if not 0 <= self.grace_periods <= product.grace_periods or self.grace_periods >= self.term:
            raise ValidationError(
                _(
                    "%(product)s allows at most %(max)s grace installments, fewer than the "
                    "installments.",
                    product=product.name,
                    max=product.grace_periods,
                )
            )
        if not 0 <= self.annual_rate <= MAX_ANNUAL_RATE:
            raise ValidationError(
                _("The annual rate must lie between 0 and %(max)s percent.", max=MAX_ANNUAL_RATE)
            )

    def _kopdes_check_blocked_savings(self):
        """The savings blocked as collateral must be there, above what other loans block."""
        self.ensure_one()
        account = self.collateral_savings_account_id
        if not account or not self.collateral_savings_amount:
            return
        others = account._kopdes_blocked_amounts(exclude_loan=self).get(account.id, 0.0)
        free = account.balance - others
        if self.currency_id.compare_amounts(free, self.collateral_savings_amount) < 0:
            raise UserError(
                _(
                    "%(account)s has only %(free)s free to block as collateral; %(amount)s "
                    "is asked.",
                    account=account.display_name,
                    free=self._kopdes_format(max(free, 0.0)),
                    amount=self._kopdes_format(self.collateral_savings_amount),
                )
            )

    def _kopdes_check_member_can_borrow(self):
        """A member with an overdue loan needs a recorded manager's override."""
        self.ensure_one()
        if not self.company_id.kopdes_loan_block_overdue or self.override_by_id:
            return
        overdue = self.member_id._kopdes_members_overdue(self._kopdes_today())
        if overdue:
            raise UserError(
                _(
                    "%(member)s has an overdue loan. A manager (Pengurus) must override the "
                    "block, with a reason, before this loan can go ahead.",
                    member=self.member_id.display_name,
                )
            )

    def _kopdes_request_approval(self):
        group = self.env.ref("kopdes_members.group_kopdes_manager")
        for loan in self:
            approvers = group.users.filtered(
                lambda u, current=loan: (
                    not u.share
                    and current.company_id in u.company_ids
                    and current.product_id._kopdes_approval_limit(u) >= current.amount
                )
            )
            if approvers:
                loan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=approvers[0].id,
                    summary=_("Approve loan"),
                    note=_(
                        "%(member)s asks for %(amount)s (%(product)s).",
                        member=loan.member_id.display_name,
                        amount=loan._kopdes_format(loan.amount),
                        product=loan.product_id.name,
                    ),
                )

    # -------------------------------------------------------------- arrears

    @api.model
    def _kopdes_update_arrears(self, date, company=None, loans=None):
        """Days past due and collectability class of active loans as of ``date``: a
        constant number of queries whatever the number of loans. Ends with the hooks
        ``kopdes.loan.line._kopdes_installments_overdue`` (installments overdue since the
        last update) and :meth:`_kopdes_classes_changed` (loans whose class changed)."""
        date = fields.Date.to_date(date)
        company = company or (loans.company_id[:1] if loans else self.env.company)
        if loans is not None and not loans:
            return
        active = self._kopdes_active_loan_filter(company, loans)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id
                  FROM kopdes_loan_line line
                  JOIN kopdes_loan loan ON loan.id = line.loan_id
                 WHERE %s AND line.rescheduled IS NOT TRUE AND line.due_date < %s
                   AND line.principal_residual + line.interest_residual > 0
                   AND (loan.dpd_date IS NULL OR line.due_date >= loan.dpd_date)
              ORDER BY line.id
                """,
                active,
                date,
            )
        )
        overdue_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan loan
                   SET days_past_due = COALESCE(%s - sub.oldest, 0), dpd_date = %s
                  FROM (
                        SELECT loan.id,
                               MIN(line.due_date) FILTER (
                                   WHERE line.due_date < %s AND line.rescheduled IS NOT TRUE
                                     AND line.principal_residual + line.interest_residual > 0
                               ) AS oldest
                          FROM kopdes_loan loan
                     LEFT JOIN kopdes_loan_line line ON line.loan_id = loan.id
                         WHERE %s
                      GROUP BY loan.id
                       ) sub
                 WHERE loan.id = sub.id
                """,
                date,
                date,
                date,
                active,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE kopdes_loan loan
                   SET collectability_id = sub.new_class
                  FROM (
                        SELECT loan.id, loan.collectability_id AS old_class, (
                               SELECT cls.id FROM kopdes_loan_collectability cls
                                WHERE cls.company_id = loan.company_id
                                  AND cls.min_days <= loan.days_past_due
                             ORDER BY cls.min_days DESC LIMIT 1) AS new_class
                          FROM kopdes_loan loan
                         WHERE %s
                       ) sub
                 WHERE loan.id = sub.id AND sub.new_class IS DISTINCT FROM sub.old_class
             RETURNING loan.id, sub.old_class
                """,
                active,
            )
        )
        old_classes = dict(self.env.cr.fetchall())
        self.invalidate_model()
        if overdue_ids:
            self.env["kopdes.loan.line"].browse(overdue_ids)._kopdes_installments_overdue()
        if old_classes:
            Class = self.env["kopdes.loan.collectability"]
            prefetch = [old for old in old_classes.values() if old]
            self.browse(sorted(old_classes))._kopdes_classes_changed(
                {
                    loan_id: Class.browse(old).with_prefetch(prefetch)
                    for loan_id, old in old_classes.items()
                }
            )

    def _kopdes_classes_changed(self, old_classes):
        """Hook: the collectability class of these loans was just changed by the arrears
        update (SQL); ``old_classes`` maps each loan id to its class before (maybe empty).
        Called once per update with all of them.

        By default it logs the change as the tracking of ``collectability_id`` (see
        ``kopdes.loan.collectability._kopdes_track_class_changes``)."""
        self.env["kopdes.loan.collectability"]._kopdes_track_class_changes(self, old_classes)
        return True

    def _kopdes_provisions_changed(self):
        """Hook: the required provision (``provision_required``, ``eligible_collateral``)
        of these loans was just changed by the month-end (SQL); called once per run with
        all of them. Does nothing by default."""
        return True

    @api.model
    def _cron_daily(self):
        """Late fees, days past due, classes and the loans' required provision of every
        cooperative, up to today (nothing is posted: the month-end posts the provision)."""
        today = kopdes_today(self.env)
        companies = (
            self.env["kopdes.loan"].sudo()._read_group([("state", "=", "active")], ["company_id"])
        )
        for (company,) in companies:
            loans = self.sudo().with_company(company)
            lines = self.env["kopdes.loan.line"].sudo().with_company(company)
            lines._kopdes_accrue_late_fees(today, company=company)
            loans._kopdes_update_arrears(today, company=company)
            self.env["kopdes.loan.month.end"].sudo().with_company(
                company
            )._kopdes_update_provisions(today, company)
