"""The member's own pages on Odoo's portal (the seed's "aplikasi koperasi").

The member is always the one of the logged-in user's contact, never a number from the
request; the figures come from ``kopdes.member.self.service``, the same code that answers
on WhatsApp. Records are read as the portal user, so the portal record rules
(security/chatbot/kopdes_whatsapp_portal_rules.xml) decide what exists for them.
"""

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.kopdes_members.models.kopdes_member import CONSENT_PURPOSES
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.kopdes_member_self_service import mask_number

TRANSACTIONS_PER_PAGE = 30


class KopdesMemberPortal(CustomerPortal):
    # ------------------------------------------------------------------ helpers

    def _kopdes_member(self):
        """The member record of the logged-in user (read through the portal rules), or
        an empty record."""
        partner = request.env.user.partner_id
        return request.env["kopdes.member"].search(
            [("partner_id", "=", partner.id), ("state", "!=", "applicant")], limit=1
        )

    def _kopdes_member_or_404(self):
        member = self._kopdes_member()
        if not member:
            raise request.not_found()
        return member

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = {"kopdes_savings_count", "kopdes_loan_count", "kopdes_consent_count"}
        if wanted & set(counters):
            member = self._kopdes_member()
            if "kopdes_savings_count" in counters:
                values["kopdes_savings_count"] = (
                    request.env["kopdes.savings.account"].search_count(
                        [("member_id", "=", member.id)]
                    )
                    if member
                    else 0
                )
            if "kopdes_loan_count" in counters:
                values["kopdes_loan_count"] = (
                    request.env["kopdes.loan"].search_count(
                        [("member_id", "=", member.id), ("state", "in", ("active", "closed"))]
                    )
                    if member
                    else 0
                )
            if "kopdes_consent_count" in counters:
                values["kopdes_consent_count"] = len(CONSENT_PURPOSES) if member else 0
        return values

    def _kopdes_log(self, member, subject, detail=""):
        request.env["kopdes.member.self.service"]._kopdes_log_disclosure(
            member, "portal", subject, detail=detail
        )

    # ------------------------------------------------------------------ savings

    @http.route(["/my/kopdes/savings"], type="http", auth="user", website=True)
    def portal_kopdes_savings(self, **kw):
        member = self._kopdes_member_or_404()
        savings = request.env["kopdes.member.self.service"]._kopdes_savings(member)
        self._kopdes_log(
            member, "balance", ", ".join(f"{s['product']} {s['balance_text']}" for s in savings)
        )
        values = self._prepare_portal_layout_values()
        values.update({"member": member, "savings": savings, "page_name": "kopdes_savings"})
        return request.render("kopdes_whatsapp.portal_kopdes_savings", values)

    @http.route(
        [
            "/my/kopdes/savings/<int:account_id>",
            "/my/kopdes/savings/<int:account_id>/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def portal_kopdes_savings_account(self, account_id, page=1, **kw):
        member = self._kopdes_member_or_404()
        account = self._kopdes_own(member, "kopdes.savings.account", account_id)
        Transaction = request.env["kopdes.savings.transaction"]
        domain = [("account_id", "=", account.id), ("state", "=", "posted")]
        total = Transaction.search_count(domain)
        pager = portal_pager(
            url=f"/my/kopdes/savings/{account.id}",
            total=total,
            page=page,
            step=TRANSACTIONS_PER_PAGE,
        )
        transactions = Transaction.search(
            domain,
            order="date desc, id desc",
            limit=TRANSACTIONS_PER_PAGE,
            offset=pager["offset"],
        )
        self._kopdes_log(member, "transactions", mask_number(account.sudo().name))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "member": member,
                "account": account.sudo(),
                "account_number": mask_number(account.sudo().name),
                "transactions": transactions.sudo(),
                "pager": pager,
                "page_name": "kopdes_savings_account",
            }
        )
        return request.render("kopdes_whatsapp.portal_kopdes_savings_account", values)

    @http.route(
        ["/my/kopdes/savings/<int:account_id>/passbook"], type="http", auth="user", website=True
    )
    def portal_kopdes_savings_passbook(self, account_id, download=False, **kw):
        member = self._kopdes_member_or_404()
        account = self._kopdes_own(member, "kopdes.savings.account", account_id)
        self._kopdes_log(member, "statement", mask_number(account.sudo().name))
        return self._show_report(
            account.sudo(),
            "pdf",
            "kopdes_savings.action_report_kopdes_savings_passbook",
            download=bool(download),
        )

    # ------------------------------------------------------------------ loans

    @http.route(["/my/kopdes/loans"], type="http", auth="user", website=True)
    def portal_kopdes_loans(self, **kw):
        member = self._kopdes_member_or_404()
        loans = request.env["kopdes.member.self.service"]._kopdes_loans(member)
        closed = request.env["kopdes.loan"].search(
            [("member_id", "=", member.id), ("state", "=", "closed")], order="closed_date desc"
        )
        self._kopdes_log(
            member,
            "loan_remaining",
            ", ".join(f"{i['product']} {i['principal_residual_text']}" for i in loans),
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "member": member,
                "loans": loans,
                "closed_loans": closed.sudo(),
                "mask_number": mask_number,
                "page_name": "kopdes_loans",
            }
        )
        return request.render("kopdes_whatsapp.portal_kopdes_loans", values)

    @http.route(["/my/kopdes/loans/<int:loan_id>"], type="http", auth="user", website=True)
    def portal_kopdes_loan(self, loan_id, **kw):
        member = self._kopdes_member_or_404()
        loan = self._kopdes_own(member, "kopdes.loan", loan_id)
        lines = request.env["kopdes.loan.line"].search(
            [("loan_id", "=", loan.id), ("rescheduled", "=", False)], order="sequence"
        )
        self._kopdes_log(member, "installment", mask_number(loan.sudo().name))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "member": member,
                "loan": loan.sudo().with_context(date=False),
                "loan_number": mask_number(loan.sudo().name),
                "lines": lines.sudo(),
                "page_name": "kopdes_loan",
            }
        )
        return request.render("kopdes_whatsapp.portal_kopdes_loan", values)

    @http.route(
        ["/my/kopdes/loans/<int:loan_id>/<string:report>"], type="http", auth="user", website=True
    )
    def portal_kopdes_loan_report(self, loan_id, report, download=False, **kw):
        reports = {
            "schedule": "kopdes_financing.action_report_kopdes_loan_schedule",
            "statement": "kopdes_financing.action_report_kopdes_loan_statement",
        }
        if report not in reports:
            raise request.not_found()
        member = self._kopdes_member_or_404()
        loan = self._kopdes_own(member, "kopdes.loan", loan_id)
        self._kopdes_log(member, "statement", f"{report} {mask_number(loan.sudo().name)}")
        return self._show_report(loan.sudo(), "pdf", reports[report], download=bool(download))

    # ------------------------------------------------------------------ consents

    @http.route(["/my/kopdes/consents"], type="http", auth="user", website=True)
    def portal_kopdes_consents(self, **kw):
        member = self._kopdes_member_or_404()
        values = self._prepare_portal_layout_values()
        values.update(self._kopdes_consent_values(member))
        values.update({"page_name": "kopdes_consents", "message": kw.get("message")})
        self._kopdes_log(member, "consents")
        return request.render("kopdes_whatsapp.portal_kopdes_consents", values)

    @http.route(
        ["/my/kopdes/consents/<string:purpose>/<string:action>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_kopdes_consent_change(self, purpose, action, **kw):
        member = self._kopdes_member_or_404()
        try:
            request.env["kopdes.member.self.service"]._kopdes_portal_set_consent(
                member, purpose, action
            )
        except UserError as err:
            values = self._prepare_portal_layout_values()
            values.update(self._kopdes_consent_values(member))
            values.update({"page_name": "kopdes_consents", "error": str(err.args[0])})
            return request.render("kopdes_whatsapp.portal_kopdes_consents", values)
        return request.redirect("/my/kopdes/consents?message=saved")

    def _kopdes_consent_values(self, member):
        SelfService = request.env["kopdes.member.self.service"]
        return {
            "member": member,
            "consents": SelfService._kopdes_consent_state(member),
            "held": SelfService._kopdes_data_held(member),
        }

    # ------------------------------------------------------------------ tools

    def _kopdes_own(self, member, model, record_id):
        """``record_id`` of ``model`` if the portal rules let the user read it and it is
        the member's own; 404 otherwise (never says whether it exists)."""
        record = request.env[model].browse(record_id)
        try:
            record.check_access("read")
            if not record.exists() or record.member_id != member:
                raise MissingError(_("This document does not exist."))
        except (AccessError, MissingError):
            raise request.not_found() from None
        return record
