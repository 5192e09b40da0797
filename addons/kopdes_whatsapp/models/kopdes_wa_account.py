import logging
import threading

import pytz
import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group, kopdes_tz

from ..tools import cloud_api

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

DEFAULT_API_BASE_URL = "https://graph.facebook.com/v23.0"
MANAGER = "kopdes_members.group_kopdes_manager"

# one HTTP session (keep-alive connection pool) per thread and base URL
_sessions = threading.local()

_MEMBER = ("member", "{{ object.name }}")
_AMOUNT = "{{ format_rupiah(object.%s, object.currency_id) }}"
# (name, source model, category, description, body registered with Meta, variables):
# the body is the Indonesian text the member reads, as registered with Meta
DEFAULT_TEMPLATES = [
    (
        "pengingat_angsuran",
        "kopdes.loan.line",
        "utility",
        _lt("Installment reminder"),
        "Yth. {{1}}, angsuran ke-{{2}} pembiayaan {{3}} sebesar {{4}} jatuh tempo pada "
        "{{5}}. Terima kasih.",
        [
            _MEMBER,
            ("record", "{{ object.sequence }}"),
            ("record", "{{ object.loan_id.name }}"),
            ("record", _AMOUNT % "amount_residual"),
            ("record", "{{ format_tanggal(object.due_date) }}"),
        ],
    ),
    (
        "angsuran_terlambat",
        "kopdes.loan.line",
        "utility",
        _lt("Overdue installment"),
        "Yth. {{1}}, angsuran ke-{{2}} pembiayaan {{3}} sebesar {{4}} telah lewat jatuh "
        "tempo ({{5}}). Mohon segera dibayar di kantor koperasi.",
        [
            _MEMBER,
            ("record", "{{ object.sequence }}"),
            ("record", "{{ object.loan_id.name }}"),
            ("record", _AMOUNT % "amount_residual"),
            ("record", "{{ format_tanggal(object.due_date) }}"),
        ],
    ),
    (
        "bukti_transaksi_simpanan",
        "kopdes.savings.transaction",
        "utility",
        _lt("Savings receipt"),
        "Yth. {{1}}, transaksi {{2}} {{3}} sebesar {{4}} pada {{5}} telah dicatat. "
        "Saldo {{3}}: {{6}}.",
        [
            _MEMBER,
            ("record", "{{ object.name }}"),
            ("record", "{{ object.product_id.name }}"),
            ("record", _AMOUNT % "amount"),
            ("record", "{{ format_tanggal(object.date) }}"),
            ("record", _AMOUNT % "account_id.balance"),
        ],
    ),
    (
        "bukti_pembayaran_angsuran",
        "kopdes.loan.payment",
        "utility",
        _lt("Loan payment receipt"),
        "Yth. {{1}}, pembayaran {{2}} sebesar {{3}} untuk pembiayaan {{4}} pada {{5}} "
        "telah diterima. Sisa pokok: {{6}}.",
        [
            _MEMBER,
            ("record", "{{ object.name }}"),
            ("record", _AMOUNT % "amount"),
            ("record", "{{ object.loan_id.name }}"),
            ("record", "{{ format_tanggal(object.date) }}"),
            ("record", _AMOUNT % "loan_id.principal_residual"),
        ],
    ),
    (
        "tagihan_simpanan_wajib",
        "kopdes.savings.due",
        "utility",
        _lt("Compulsory savings due"),
        "Yth. {{1}}, simpanan wajib periode {{2}} sebesar {{3}} sudah dapat dibayar. Terima kasih.",
        [
            _MEMBER,
            ("record", "{{ format_bulan(object.period_start) }}"),
            ("record", _AMOUNT % "amount_residual"),
        ],
    ),
    (
        "pengumuman_anggota",
        "kopdes.wa.broadcast",
        "utility",
        _lt("Announcement to members"),
        "Yth. {{1}}, {{2}}: {{3}} Waktu: {{4}}. Tempat: {{5}}.",
        [
            _MEMBER,
            ("record", "{{ object.name }}"),
            ("record", "{{ object.text }}"),
            (
                "record",
                "{{ format_datetime(object.event_date, tz='Asia/Jakarta', "
                "dt_format='dd-MM-yyyy HH:mm') }}",
            ),
            ("record", "{{ object.place }}"),
        ],
    ),
    (
        "promo_gerai",
        "kopdes.wa.broadcast",
        "marketing",
        _lt("Shop promotion"),
        "Halo {{1}}! {{2}}: {{3}} Balas BERHENTI untuk berhenti menerima promo.",
        [_MEMBER, ("record", "{{ object.name }}"), ("record", "{{ object.text }}")],
    ),
]


def _session():
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = requests.Session()
    return session


def http_call(connection, method, path, payload=None):
    """One HTTP call to the Cloud API (plain Python, safe in a worker thread), always with a
    timeout: ``(http status, decoded JSON or None, error code or None)``."""
    base_url, token, timeout = connection
    url = f"{base_url}/{path.lstrip('/')}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        response = _session().request(method, url, json=payload, headers=headers, timeout=timeout)
    except requests.Timeout:
        return None, None, cloud_api.TIMEOUT
    except requests.RequestException as err:
        _logger.warning("WhatsApp Cloud API unreachable: %s", err)
        return None, None, cloud_api.CONNECTION
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code == 200 and isinstance(data, dict) and "error" not in data:
        return 200, data, None
    code, _title = cloud_api.parse_error(response.status_code, data)
    if code is None:
        code = cloud_api.BAD_RESPONSE if response.status_code == 200 else response.status_code
    return response.status_code, data, code


class KopdesWaAccount(models.Model):
    """A WhatsApp Business phone number of a cooperative on the Cloud API."""

    _name = "kopdes.wa.account"
    _description = "WhatsApp Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        [("active", "Sending"), ("token_expired", "Token Expired")],
        default="active",
        required=True,
        readonly=True,
        tracking=True,
        help="When the Cloud API says the access token expired, sending stops until an "
        "administrator enters a new token.",
    )
    phone_number_id = fields.Char(
        string="Phone Number ID", required=True, index=True, tracking=True
    )
    display_phone_number = fields.Char(string="Phone Number")
    business_account_id = fields.Char(string="Business Account ID", tracking=True)
    api_base_url = fields.Char(
        string="API Base URL",
        required=True,
        default=DEFAULT_API_BASE_URL,
        help="Meta's Graph API with its version; the tests and the demo point it at the local "
        "fake server.",
    )
    access_token = fields.Char(groups="base.group_system", copy=False)
    app_secret = fields.Char(groups="base.group_system", copy=False)
    verify_token = fields.Char(groups="base.group_system", copy=False)
    rate_limit = fields.Integer(
        string="Messages per Second",
        default=80,
        required=True,
        help="The Cloud API's default throughput per phone number is 80 messages a second.",
    )
    batch_size = fields.Integer(
        default=500, required=True, help="Messages sent by one run of the outbox job."
    )
    request_timeout = fields.Float(string="Request Timeout (s)", default=10.0, required=True)
    quiet_start = fields.Float(string="Quiet Hours From", default=21.0, required=True)
    quiet_end = fields.Float(string="Quiet Hours Until", default=6.0, required=True)
    daily_cap = fields.Integer(
        string="Unique Recipients per 24 Hours",
        default=1000,
        required=True,
        help="Meta caps the number of people a number may start conversations with in a "
        "rolling 24 hours (250 for new numbers, then 1,000, ...). Messages over the cap wait.",
    )
    message_count = fields.Integer(compute="_compute_message_count")

    _sql_constraints = [
        (
            "phone_number_id_uniq",
            "unique(phone_number_id)",
            "This phone number ID is already used.",
        ),
        ("rate_limit_positive", "CHECK(rate_limit > 0)", "The rate limit must be positive."),
        ("batch_size_positive", "CHECK(batch_size > 0)", "The batch size must be positive."),
        ("daily_cap_positive", "CHECK(daily_cap > 0)", "The daily cap must be positive."),
    ]

    def _compute_message_count(self):
        counts = dict(
            self.env["kopdes.wa.message"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.message_count = counts.get(account, 0)

    @api.constrains("quiet_start", "quiet_end", "request_timeout")
    def _check_hours(self):
        for account in self:
            for value in (account.quiet_start, account.quiet_end):
                if not 0 <= value <= 24:
                    raise ValidationError(_("Quiet hours are hours of the day, from 0 to 24."))
            if account.request_timeout <= 0:
                raise ValidationError(_("The request timeout must be positive."))

    @api.constrains("api_base_url")
    def _check_url(self):
        for account in self:
            if not (account.api_base_url or "").startswith(("http://", "https://")):
                raise ValidationError(_("The API base URL must start with http:// or https://."))

    def write(self, vals):
        if "access_token" in vals and "state" not in vals:
            vals["state"] = "active"  # a new token: sending resumes
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_whatsapp.kopdes_wa_message_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def action_sync_templates(self):
        kopdes_check_group(
            self.env, MANAGER, _("Only a manager (Pengurus) can synchronise WhatsApp templates.")
        )
        templates = self.env["kopdes.wa.template"].sudo().search([("account_id", "in", self.ids)])
        templates._kopdes_sync_status()
        return True

    def action_create_default_templates(self):
        """Create the templates the notifications use (utility ones and an announcement
        and a promotion), as drafts to submit to Meta; existing names are kept."""
        kopdes_check_group(
            self.env, MANAGER, _("Only a manager (Pengurus) can create WhatsApp templates.")
        )
        return self._kopdes_create_default_templates()

    def _kopdes_create_default_templates(self, names=None):
        """The default templates missing on these accounts (only those in ``names`` when
        given), as drafts; returns the created templates. No rights check: system code."""
        Template = self.env["kopdes.wa.template"].sudo()
        IrModel = self.env["ir.model"].sudo()
        created = Template.browse()
        for account in self:
            existing = set(Template.search([("account_id", "=", account.id)]).mapped("name"))
            vals_list = []
            for (
                name,
                model,
                category,
                description,
                body,
                variables,
            ) in account._kopdes_default_templates():
                if name in existing or model not in self.env or (names and name not in names):
                    continue
                vals_list.append(
                    {
                        "name": name,
                        "account_id": account.id,
                        "company_id": account.company_id.id,
                        "model_id": IrModel._get_id(model),
                        "category": category,
                        "description": str(description),
                        "body": body,
                        "variable_ids": [
                            (0, 0, {"sequence": i, "source": source, "expression": expr})
                            for i, (source, expr) in enumerate(variables, start=1)
                        ],
                    }
                )
            created |= Template.create(vals_list)
        return created

    # ------------------------------------------------------------------ helpers

    def _kopdes_default_templates(self):
        """The templates :meth:`action_create_default_templates` creates, as tuples
        ``(name, source model, category, description, body, [(source, expression)])``;
        addons that notify members of their own records extend the list."""
        return list(DEFAULT_TEMPLATES)

    @api.model
    def _kopdes_for_company(self, company):
        """The sending account of ``company`` (the first active one), or an empty record."""
        return self.sudo().search([("company_id", "=", company.id), ("active", "=", True)], limit=1)

    def _kopdes_in_quiet_hours(self, now):
        """Whether ``now`` (naive UTC datetime) is inside the account's quiet hours, in the
        cooperative's time zone."""
        self.ensure_one()
        local = now.replace(tzinfo=pytz.utc).astimezone(kopdes_tz(self.env, self.company_id))
        hour = local.hour + local.minute / 60.0 + local.second / 3600.0
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        if start < end:
            return start <= hour < end
        return hour >= start or hour < end

    def _kopdes_request(self, method, path, payload=None):
        """One call to the Cloud API: ``(http status, decoded JSON or None, error code)``.

        The error code is ``None`` on success, the API's ``error.code`` otherwise, or one of
        the pseudo codes of ``tools.cloud_api`` (timeout, connection, HTTP 5xx)."""
        self.ensure_one()
        return http_call(self._kopdes_connection(), method, path, payload)

    def _kopdes_connection(self):
        """What an HTTP call needs, read once (``http_call`` runs in worker threads that
        never touch the ORM): ``(base url, token, timeout)``."""
        self.ensure_one()
        account = self.sudo()
        return (
            account.api_base_url.rstrip("/"),
            account.access_token or "",
            account.request_timeout,
        )

    def _kopdes_token_expired(self):
        """Stop sending for these accounts and tell the administrators (once)."""
        accounts = self.filtered(lambda a: a.state != "token_expired")
        if not accounts:
            return
        accounts.sudo().write({"state": "token_expired"})
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .users.filtered(lambda u: not u.share and u.active)
        )
        for account in accounts:
            for admin in admins[:3]:
                account.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=admin.id,
                    summary=_("WhatsApp access token expired"),
                    note=_(
                        "The Cloud API refused the access token of %(account)s. Sending is "
                        "stopped until a new token is entered.",
                        account=account.name,
                    ),
                )

    def _kopdes_check_configured(self):
        for account in self.sudo():
            if not account.access_token:
                raise UserError(
                    _("The WhatsApp account %(name)s has no access token.", name=account.name)
                )
