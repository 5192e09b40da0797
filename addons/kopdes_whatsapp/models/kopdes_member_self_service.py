"""The one self-service layer of the chatbot and the portal.

Both ask these methods what a member holds and owes, so a WhatsApp answer and the portal
page never disagree. The figures come from the books (savings account balances, the loan
schedule's residuals and the payoff rule of kopdes_financing); nothing is recomputed here.
"""

import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.kopdes_members.models.kopdes_format import kopdes_format_amount
from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today


def mask_number(number):
    """An account or loan number with all but its last four characters hidden:
    ``SIM/2026/00123`` → ``•••0123``."""
    compact = re.sub(r"[^0-9A-Za-z]", "", number or "")
    if not compact:
        return ""
    return "•••" + compact[-4:]


class KopdesMemberSelfService(models.AbstractModel):
    _name = "kopdes.member.self.service"
    _description = "Member Self-Service (chatbot and portal)"

    # ------------------------------------------------------------ what the member holds

    @api.model
    def _kopdes_savings(self, member):
        """The member's open savings accounts: ``[{"account", "kind", "kind_label",
        "product", "number", "balance", "balance_text"}]`` in product order."""
        member.ensure_one()
        accounts = (
            self.env["kopdes.savings.account"]
            .sudo()
            .search(
                [("member_id", "=", member.id), ("state", "!=", "closed")],
                order="product_sequence, id",
            )
        )
        kinds = dict(accounts._fields["kind"]._description_selection(self.env))
        result = []
        for account in accounts:
            result.append(
                {
                    "account": account,
                    "kind": account.kind,
                    "kind_label": kinds.get(account.kind, ""),
                    "product": account.product_id.name,
                    "number": mask_number(account.name),
                    "balance": account.balance,
                    "balance_text": kopdes_format_amount(
                        self.env, account.balance, account.currency_id
                    ),
                }
            )
        return result

    @api.model
    def _kopdes_loans(self, member):
        """The member's active loans: ``[{"loan", "product", "number", "principal_residual",
        "payoff", "overdue", "next_due_date", "next_due_amount", "installments_left",
        "*_text"}]``, from kopdes_financing's own figures as of today."""
        member.ensure_one()
        # "today" of the cooperative, never a date from the caller's context
        loans = (
            self.env["kopdes.loan"]
            .sudo()
            .with_context(date=False)
            .search(
                [("member_id", "=", member.id), ("state", "=", "active")],
                order="disbursement_date, id",
            )
        )
        left = dict(
            self.env["kopdes.loan.line"]
            .sudo()
            ._read_group(
                [
                    ("loan_id", "in", loans.ids),
                    ("rescheduled", "=", False),
                    ("state", "in", ("open", "partial")),
                ],
                ["loan_id"],
                ["__count"],
            )
        )
        result = []
        for loan in loans:
            currency = loan.currency_id

            def fmt(amount, currency=currency):
                return kopdes_format_amount(self.env, amount, currency)

            result.append(
                {
                    "loan": loan,
                    "product": loan.product_id.name,
                    "number": mask_number(loan.name),
                    "principal_residual": loan.principal_residual,
                    "principal_residual_text": fmt(loan.principal_residual),
                    "payoff": loan.payoff_amount,
                    "payoff_text": fmt(loan.payoff_amount),
                    "overdue": loan.amount_overdue,
                    "overdue_text": fmt(loan.amount_overdue),
                    "next_due_date": loan.next_due_date,
                    "next_due_amount": loan.next_due_amount,
                    "next_due_amount_text": fmt(loan.next_due_amount),
                    "installments_left": left.get(loan, 0),
                }
            )
        return result

    # ------------------------------------------------------------ what anybody may know

    @api.model
    def _kopdes_products(self, company):
        """The cooperative's savings and loan products in plain words:
        ``{"savings": [{"name", "text"}], "loans": [{"name", "text", "product"}]}``."""
        env = self.env
        savings = (
            env["kopdes.savings.product"]
            .sudo()
            .search([("company_id", "=", company.id)], order="sequence, id")
        )
        loans = (
            env["kopdes.loan.product"]
            .sudo()
            .search([("company_id", "=", company.id), ("active", "=", True)])
        )
        currency = company.currency_id
        kind_texts = {
            "pokok": _("paid once when joining, returned when you leave the cooperative"),
            "wajib": _("paid regularly by every member, returned when you leave"),
            "sukarela": _("save and withdraw whenever you like"),
            "berjangka": _("a deposit for a fixed time with a higher return"),
        }
        method_texts = {
            "flat": _("interest on the original amount, the same installment every time"),
            "effective": _("interest on what is still owed, so installments get smaller"),
            "annuity": _("the same installment every time, interest on what is still owed"),
            "murabahah": _("sharia sale with a fixed margin agreed at the start"),
        }
        result = {"savings": [], "loans": []}
        for product in savings:
            parts = [kind_texts.get(product.kind, "")]
            if product.amount and product.kind in ("pokok", "wajib"):
                parts.append(
                    _(
                        "amount %(amount)s",
                        amount=kopdes_format_amount(env, product.amount, currency),
                    )
                )
            if product.interest_rate:
                parts.append(_("return %(rate)s%% a year", rate=_percent(product.interest_rate)))
            result["savings"].append(
                {"name": product.name, "text": "; ".join(p for p in parts if p)}
            )
        for product in loans:
            parts = [
                method_texts.get(product.method, ""),
                _("%(rate)s%% a year", rate=_percent(product.annual_rate)),
                _(
                    "%(min)s to %(max)s installments",
                    min=product.min_term,
                    max=product.max_term,
                )
                if product.frequency == "monthly"
                else _(
                    "%(min)s to %(max)s weekly installments",
                    min=product.min_term,
                    max=product.max_term,
                ),
            ]
            if product.max_amount:
                parts.append(
                    _(
                        "up to %(amount)s",
                        amount=kopdes_format_amount(env, product.max_amount, currency),
                    )
                )
            result["loans"].append(
                {
                    "name": product.name,
                    "product": product,
                    "text": "; ".join(p for p in parts if p),
                }
            )
        return result

    @api.model
    def _kopdes_simulate(self, company, amount, term):
        """The installments of a loan of ``amount`` rupiah over ``term`` (a
        :class:`..tools.slots.Term`) for every loan product of ``company`` that allows
        them, computed with kopdes_financing's schedule tool exactly as a real loan would
        be: ``[{"product", "term", "first", "last", "total", "interest", "admin_fee",
        "*_text"}]``. Raises ``UserError`` for an amount or term no product offers."""
        if not amount or amount <= 0:
            raise UserError(_("Write the amount you would like to borrow, e.g. 5 juta."))
        products = (
            self.env["kopdes.loan.product"]
            .sudo()
            .search([("company_id", "=", company.id), ("active", "=", True)])
        )
        Line = self.env["kopdes.loan.line"].sudo()
        currency = company.currency_id
        today = kopdes_today(self.env, company)
        result = []
        for product in products:
            count = _installments(product, term)
            if not count or not product.min_term <= count <= product.max_term:
                continue
            if amount < (product.min_amount or 0) or (
                product.max_amount and amount > product.max_amount
            ):
                continue
            installments = Line._kopdes_compute_installments(
                product, int(amount), count, product.annual_rate, 0, today
            )
            total = sum(i.principal + i.interest for i in installments)
            interest = sum(i.interest for i in installments)
            first = installments[0].principal + installments[0].interest
            last = installments[-1].principal + installments[-1].interest
            fee = product._kopdes_admin_fee(amount)

            def fmt(value, currency=currency):
                return kopdes_format_amount(self.env, value, currency)

            result.append(
                {
                    "product": product,
                    "term": count,
                    "frequency": product.frequency,
                    "first": first,
                    "last": last,
                    "total": total,
                    "interest": interest,
                    "admin_fee": fee,
                    "first_text": fmt(first),
                    "last_text": fmt(last),
                    "total_text": fmt(total),
                    "interest_text": fmt(interest),
                    "admin_fee_text": fmt(fee),
                }
            )
        if not result:
            raise UserError(
                _(
                    "None of our loan products offers %(amount)s over this term. "
                    "Type 4 to see our products and their limits.",
                    amount=kopdes_format_amount(self.env, amount, currency),
                )
            )
        return result

    @api.model
    def _kopdes_meetings(self, company, limit=3):
        """The next published meetings and events of ``company``."""
        return (
            self.env["kopdes.member.meeting"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "published"),
                    ("date", ">=", fields.Datetime.now()),
                ],
                order="date",
                limit=limit,
            )
        )

    # ------------------------------------------------------------ consents (UU 27/2022)

    @api.model
    def _kopdes_consent_state(self, member):
        """Each consent purpose with the member's current answer: ``[{"purpose", "label",
        "granted", "date", "channel"}]`` (the latest ledger entry decides)."""
        member.ensure_one()
        Consent = self.env["kopdes.consent"].sudo()
        channels = dict(Consent._fields["channel"]._description_selection(self.env))
        latest = {}
        for consent in Consent.search([("member_id", "=", member.id)], order="date desc, id desc"):
            latest.setdefault(consent.purpose, consent)
        result = []
        for purpose, label in Consent._fields["purpose"]._description_selection(self.env):
            entry = latest.get(purpose)
            result.append(
                {
                    "purpose": purpose,
                    "label": label,
                    "granted": bool(entry and entry.action == "granted"),
                    "date": entry.date if entry else False,
                    "channel": channels.get(entry.channel, "") if entry else "",
                }
            )
        return result

    @api.model
    def _kopdes_data_held(self, member):
        """What the cooperative holds about the member, as the member may see it (the NIK
        and family card masked): ``[(label, value)]``."""
        member.ensure_one()
        member = member.sudo()
        states = dict(member._fields["state"]._description_selection(self.env))
        fields_ = member._fields
        rows = [
            (fields_["name"]._description_string(self.env), member.name),
            (fields_["member_number"]._description_string(self.env), member.member_number or ""),
            (fields_["state"]._description_string(self.env), states.get(member.state, "")),
            (fields_["nik"]._description_string(self.env), mask_number(member.nik)),
            (fields_["kk_number"]._description_string(self.env), mask_number(member.kk_number)),
            (fields_["birth_date"]._description_string(self.env), member.birth_date or ""),
            (fields_["village"]._description_string(self.env), member.village or ""),
            (fields_["mobile"]._description_string(self.env), member.mobile or ""),
            (fields_["email"]._description_string(self.env), member.email or ""),
            (fields_["join_date"]._description_string(self.env), member.join_date or ""),
            (
                fields_["wa_phone_verified"]._description_string(self.env),
                _("Yes") if member.wa_phone_verified else _("No"),
            ),
        ]
        return [(label, value) for label, value in rows if value not in (False, None)]

    @api.model
    def _kopdes_portal_set_consent(self, member, purpose, action):
        """A new consent ledger entry by the member on the portal (channel ``portal``)."""
        member.ensure_one()
        purposes = dict(self.env["kopdes.consent"]._fields["purpose"].selection)
        if purpose not in purposes or action not in ("granted", "withdrawn"):
            raise UserError(_("Unknown consent or answer."))
        current = {c["purpose"]: c["granted"] for c in self._kopdes_consent_state(member)}
        if current.get(purpose) == (action == "granted"):
            raise UserError(_("Your answer for this consent is already recorded."))
        return (
            self.env["kopdes.consent"]
            .sudo()
            .create(
                {
                    "member_id": member.id,
                    "purpose": purpose,
                    "action": action,
                    "channel": "portal",
                    "recorded_by_id": self.env.uid,
                    "note": _("Changed by the member on the portal."),
                }
            )
        )

    # ------------------------------------------------------------ disclosure log

    @api.model
    def _kopdes_log_disclosure(self, member, channel, subject, detail="", number=""):
        """Record that ``subject`` (balance, installment, loan_remaining, statement) of
        ``member`` was shown through ``channel`` (whatsapp, portal)."""
        return (
            self.env["kopdes.member.disclosure"]
            .sudo()
            .create(
                {
                    "member_id": member.id,
                    "channel": channel,
                    "subject": subject,
                    "detail": detail,
                    "number": number,
                    "user_id": self.env.uid,
                }
            )
        )


def _percent(value):
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _installments(product, term):
    """The number of installments of ``product`` for a term a member wrote."""
    if term is None:
        return product.default_term or product.max_term
    count, unit = term
    if unit is None:
        return count
    if product.frequency == "weekly":
        return count if unit == "week" else round(count * 52 / 12)
    if unit == "week":
        return None
    return count
