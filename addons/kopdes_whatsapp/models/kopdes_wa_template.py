from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_check_group

from ..tools import cloud_api, text

MANAGER = "kopdes_members.group_kopdes_manager"
API_STATUSES = {
    "APPROVED": "approved",
    "REJECTED": "rejected",
    "PAUSED": "paused",
    "DISABLED": "disabled",
    "PENDING": "pending",
    "IN_APPEAL": "pending",
}


class KopdesWaTemplate(models.Model):
    """A message template registered with Meta; ``{{1}}``, ``{{2}}``... of the body are
    filled, in order, by the variables, rendered with ``mail.render.mixin`` from the
    source record (or the member)."""

    _name = "kopdes.wa.template"
    _description = "WhatsApp Template"
    _inherit = ["mail.thread", "mail.render.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        required=True, tracking=True, help="The template name at Meta (lower case, underscores)."
    )
    description = fields.Char()
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    account_id = fields.Many2one("kopdes.wa.account", required=True, check_company=True)
    language = fields.Char(string="Template Language", required=True, default="id")
    category = fields.Selection(
        [("utility", "Utility"), ("marketing", "Marketing")], required=True, default="utility"
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Applies to",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env["ir.model"]._get_id("kopdes.member"),
        help="The source record the variables are rendered from.",
    )
    model = fields.Char(related="model_id.model", store=True, string="Model Name")
    body = fields.Text(required=True, help="The text registered with Meta, with {{1}}, {{2}}...")
    variable_ids = fields.One2many(
        "kopdes.wa.template.variable", "template_id", string="Variables", copy=True
    )
    status = fields.Selection(
        [
            ("draft", "Not Submitted"),
            ("pending", "Pending Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("paused", "Paused"),
            ("disabled", "Disabled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    status_date = fields.Datetime(readonly=True)
    preview = fields.Text(compute="_compute_preview")

    _sql_constraints = [
        (
            "name_account_language_uniq",
            "unique(name, account_id, language)",
            "A template with this name and language already exists for this account.",
        ),
    ]

    def _compute_render_model(self):
        for template in self:
            template.render_model = template.model

    @api.depends("body", "variable_ids.expression", "variable_ids.source", "model")
    def _compute_preview(self):
        for template in self:
            template.preview = template._kopdes_preview_text()

    @api.constrains("body", "variable_ids")
    def _check_variables(self):
        for template in self:
            count = cloud_api.placeholder_count(template.body)
            if count != len(template.variable_ids):
                raise ValidationError(
                    _(
                        "The body of %(name)s has %(count)s numbered variables but "
                        "%(given)s are defined: give one variable for each {{n}}.",
                        name=template.name,
                        count=count,
                        given=len(template.variable_ids),
                    )
                )

    def write(self, vals):
        if {"body", "name", "language", "category"} & set(vals) and "status" not in vals:
            vals["status"] = "draft"  # changed text must be reviewed by Meta again
        return super().write(vals)

    # ------------------------------------------------------------------ rendering

    @api.model
    def _render_eval_context(self):
        """Adds the Indonesian writing of the messages members read (``tools/text.py``):
        ``format_rupiah(amount, currency=None)`` ("Rp 20.000"), ``format_tanggal(date)``
        ("28-02-2025"), ``format_bulan(date)`` ("Februari 2025")."""
        context = super()._render_eval_context()

        def format_rupiah(amount, currency=None):
            if currency and currency.name != "IDR":
                return text.rupiah(amount, currency.symbol, currency.decimal_places)
            return text.rupiah(amount)

        context.update(
            format_rupiah=format_rupiah, format_tanggal=text.tanggal, format_bulan=text.bulan
        )
        return context

    def _kopdes_preview_text(self):
        """The body filled from the latest record of the model (or the variables' names)."""
        self.ensure_one()
        if not self.model or not self.body:
            return self.body or ""
        sample = self.env[self.model].search([], limit=1, order="id desc")
        member = self.env["kopdes.member"].search([], limit=1, order="id desc")
        if not sample or (not member and "member" in self.variable_ids.mapped("source")):
            return cloud_api.fill_body(
                self.body, [f"[{v.expression}]" for v in self.variable_ids.sorted("sequence")]
            )
        try:
            params = self._kopdes_render_params([(member, sample)])[0]
        except Exception:  # noqa: BLE001 - a preview shows the problem instead of failing
            return _("The variables cannot be rendered: check their expressions.")
        return cloud_api.fill_body(self.body, params)

    def _kopdes_render_params(self, pairs):
        """The body parameters for each ``(member, record)`` of ``pairs``, in order: one
        ``_render_template`` per variable over all the records."""
        self.ensure_one()
        template = self.sudo()
        variables = template.variable_ids.sorted("sequence")
        record_ids = list({r.id for _m, r in pairs})
        member_ids = list({m.id for m, _r in pairs})
        rendered = []
        for variable in variables:
            if variable.source == "member":
                values = template._render_template(
                    variable.expression, "kopdes.member", member_ids, engine="inline_template"
                )
            else:
                values = template._render_template(
                    variable.expression, template.model, record_ids, engine="inline_template"
                )
            rendered.append((variable, values))
        result = []
        for member, record in pairs:
            params = []
            for variable, values in rendered:
                res_id = member.id if variable.source == "member" else record.id
                value = str(values.get(res_id) or "").strip()
                params.append(value or variable.fallback or "-")
            result.append(params)
        return result

    @api.model
    def _kopdes_resolve(self, template, account):
        """``template`` (a record or a name) as the approved template of ``account``'s
        cooperative, or an empty record."""
        if isinstance(template, models.BaseModel):
            template = template.sudo()
            return template if template.status == "approved" else template.browse()
        return self.sudo().search(
            [
                ("name", "=", template),
                ("account_id", "=", account.id),
                ("status", "=", "approved"),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------ status sync

    def action_sync_status(self):
        kopdes_check_group(
            self.env, MANAGER, _("Only a manager (Pengurus) can synchronise WhatsApp templates.")
        )
        self.sudo()._kopdes_sync_status()
        return True

    def _kopdes_sync_status(self):
        """Read the templates' review status from the Cloud API (one call per account)."""
        for account in self.account_id:
            if not account.business_account_id:
                raise UserError(
                    _(
                        "The WhatsApp account %(name)s has no business account ID.",
                        name=account.name,
                    )
                )
            status, data, code = account._kopdes_request(
                "GET", f"{account.business_account_id}/message_templates?limit=1000"
            )
            if code is not None:
                raise UserError(
                    _(
                        "WhatsApp did not return the templates (error %(code)s).",
                        code=code,
                    )
                )
            remote = {
                (row.get("name"), row.get("language")): row.get("status")
                for row in (data or {}).get("data", [])
            }
            for template in self.filtered(lambda t, a=account: t.account_id == a):
                api_status = remote.get((template.name, template.language))
                new = API_STATUSES.get(api_status, "draft") if api_status else "draft"
                if new != template.status:
                    template.write({"status": new, "status_date": fields.Datetime.now()})


class KopdesWaTemplateVariable(models.Model):
    _name = "kopdes.wa.template.variable"
    _description = "WhatsApp Template Variable"
    _order = "sequence, id"
    _rec_name = "expression"

    template_id = fields.Many2one("kopdes.wa.template", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    sequence = fields.Integer(string="Number", default=1)
    source = fields.Selection(
        [("record", "Source Record"), ("member", "Member")], required=True, default="record"
    )
    expression = fields.Char(
        required=True,
        help="An inline template, e.g. {{ object.name }} or "
        "{{ format_amount(object.amount, object.currency_id) }}.",
    )
    fallback = fields.Char(help="Used when the expression renders nothing.")

    @api.model_create_multi
    def create(self, vals_list):
        variables = super().create(vals_list)
        variables._kopdes_check_expressions()
        return variables

    def write(self, vals):
        result = super().write(vals)
        if "expression" in vals or "source" in vals:
            self._kopdes_check_expressions()
        return result

    def _kopdes_check_expressions(self):
        """Like mail templates: only template editors may write expressions beyond plain
        field paths (rendering runs as the system)."""
        if self.env.su or self.env.user.has_group("mail.group_mail_template_editor"):
            return
        Template = self.env["kopdes.wa.template"]
        for variable in self:
            model = "kopdes.member" if variable.source == "member" else variable.template_id.model
            if Template._has_unsafe_expression_template_inline_template(variable.expression, model):
                raise ValidationError(
                    _(
                        "Only template editors may use this expression: %(expression)s",
                        expression=variable.expression,
                    )
                )
