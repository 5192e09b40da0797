from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_fields,
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
    kopdes_without_defaults,
)

SHU_RULE = "kopdes_shu_rule"  # context key of the rule's workflow (approval)

# the funds of a rule: (percentage field, pool key); the pool key names the company's account
FUNDS = [
    ("pct_reserve", "reserve"),
    ("pct_capital", "capital"),
    ("pct_patronage", "patronage"),
    ("pct_management", "management"),
    ("pct_staff", "staff"),
    ("pct_education", "education"),
    ("pct_social", "social"),
    ("pct_development", "development"),
    ("pct_other", "other"),
]
MEMBER_POOLS = ("capital", "patronage")

RULE_USER_FIELDS = {
    "company_id",
    "fiscal_year",
    "note",
    "capital_includes_sukarela",
    "patronage_pos_weight",
    "patronage_loan_weight",
    "exclude_non_member_surplus",
    "leaver_policy",
    "leaver_payout",
    "payout_default",
    "pph_withhold",
    "pph_rate",
    "other_fund_name",
    "approval_date",
    "minutes_ref",
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
} | {fname for fname, _pool in FUNDS}
# what may still change on an approved rule: chatter only
APPROVED_WRITABLE = {"message_main_attachment_id", "message_follower_ids", "activity_ids"}


class KopdesShuRule(models.Model):
    """How the RAT splits one fiscal year's SHU (UU 25/1992 Ps. 45).

    Versioned per cooperative and fiscal year: a draft is prepared by an accountant or a
    manager, the manager records the RAT's approval (date, minutes, who recorded it) and
    from then on the rule never changes; a later RAT decision is a new version, which
    supersedes the approved one as long as the year has not been distributed.
    """

    _name = "kopdes.shu.rule"
    _description = "SHU Rule"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "fiscal_year desc, version desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    fiscal_year = fields.Integer(
        required=True,
        default=lambda self: kopdes_today(self.env).year,
        tracking=True,
        aggregator=False,
    )
    date_from = fields.Date(compute="_compute_dates", store=True, string="Year Start")
    date_to = fields.Date(compute="_compute_dates", store=True, string="Year End")
    version = fields.Integer(readonly=True, default=1, copy=False, aggregator=False)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved by the RAT"), ("superseded", "Superseded")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    pct_reserve = fields.Float(string="Reserve (%)", digits=(5, 2), default=25.0, tracking=True)
    pct_capital = fields.Float(
        string="Members: Capital (%)",
        digits=(5, 2),
        default=20.0,
        tracking=True,
        help="Jasa modal: shared by the members' average daily savings balance.",
    )
    pct_patronage = fields.Float(
        string="Members: Patronage (%)",
        digits=(5, 2),
        default=25.0,
        tracking=True,
        help="Jasa usaha: shared by the members' business with the cooperative.",
    )
    pct_management = fields.Float(string="Management (%)", digits=(5, 2), default=10.0)
    pct_staff = fields.Float(string="Staff (%)", digits=(5, 2), default=5.0)
    pct_education = fields.Float(string="Education (%)", digits=(5, 2), default=5.0)
    pct_social = fields.Float(string="Social (%)", digits=(5, 2), default=5.0)
    pct_development = fields.Float(string="Local Development (%)", digits=(5, 2), default=5.0)
    pct_other = fields.Float(string="Other Fund (%)", digits=(5, 2), default=0.0)
    other_fund_name = fields.Char(string="Other Fund")
    pct_total = fields.Float(string="Total (%)", digits=(5, 2), compute="_compute_pct_total")
    capital_includes_sukarela = fields.Boolean(
        string="Voluntary Savings Count as Capital",
        help="Pokok and wajib always count; with this, sukarela too.",
    )
    patronage_pos_weight = fields.Float(
        string="Weight of Shop Purchases (%)",
        digits=(5, 2),
        default=70.0,
        help="Part of the patronage share shared by POS purchases net of refunds.",
    )
    patronage_loan_weight = fields.Float(
        string="Weight of Loan Interest (%)",
        digits=(5, 2),
        default=30.0,
        help="Part of the patronage share shared by loan interest and fees paid.",
    )
    exclude_non_member_surplus = fields.Boolean(
        string="Keep Non-Member Surplus Out",
        default=True,
        help="Only the part of the patronage share that comes from business with members is "
        "shared; the part earned from non-members goes to the reserve.",
    )
    leaver_policy = fields.Selection(
        [("pro_rata", "Pro rata to their time as member"), ("excluded", "Excluded")],
        string="Members Who Left",
        default="pro_rata",
        required=True,
    )
    leaver_payout = fields.Selection(
        [("cash", "Paid in cash"), ("reserve", "Added to the reserve")],
        string="Share of Members Who Left",
        help="How the share of a member who left during the year is settled. Empty: "
        "paying it out is refused until the rule says how.",
    )
    payout_default = fields.Selection(
        [("cash", "Cash"), ("sukarela", "Credited to voluntary savings")],
        string="Default Payout",
        default="sukarela",
        required=True,
    )
    pph_withhold = fields.Boolean(string="Withhold PPh Final on SHU", default=True)
    pph_rate = fields.Float(string="PPh Rate (%)", digits=(5, 2), default=10.0)
    approval_date = fields.Date(
        string="RAT Date", copy=False, tracking=True, help="The day of the RAT that approved it."
    )
    minutes_ref = fields.Char(
        string="RAT Minutes", copy=False, tracking=True, help="Number of the RAT's minutes."
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, copy=False, tracking=True
    )
    note = fields.Text()
    distribution_ids = fields.One2many("kopdes.shu.distribution", "rule_id", readonly=True)

    _sql_constraints = [
        (
            "version_uniq",
            "unique(company_id, fiscal_year, version)",
            "This version of the SHU rule already exists for this year.",
        ),
        (
            "pct_range",
            "CHECK(pct_reserve >= 0 AND pct_capital >= 0 AND pct_patronage >= 0 AND "
            "pct_management >= 0 AND pct_staff >= 0 AND pct_education >= 0 AND "
            "pct_social >= 0 AND pct_development >= 0 AND pct_other >= 0 AND "
            "patronage_pos_weight >= 0 AND patronage_loan_weight >= 0 AND "
            "pph_rate >= 0 AND pph_rate <= 100)",
            "Percentages cannot be negative and the PPh rate is at most 100 %.",
        ),
    ]

    @api.depends("fiscal_year", "version", "company_id")
    def _compute_name(self):
        for rule in self:
            rule.name = _(
                "SHU Rule %(year)s v%(version)s", year=rule.fiscal_year, version=rule.version
            )

    @api.depends("fiscal_year")
    def _compute_dates(self):
        for rule in self:
            year = rule.fiscal_year or kopdes_today(self.env).year
            rule.date_from = date(year, 1, 1)
            rule.date_to = date(year, 12, 31)

    @api.depends(*[fname for fname, _pool in FUNDS])
    def _compute_pct_total(self):
        for rule in self:
            rule.pct_total = sum(rule[fname] for fname, _pool in FUNDS)

    @api.constrains(
        *[fname for fname, _pool in FUNDS], "patronage_pos_weight", "patronage_loan_weight"
    )
    def _check_percentages(self):
        for rule in self:
            rule._kopdes_check_percentages()

    @api.constrains("fiscal_year")
    def _check_fiscal_year(self):
        for rule in self:
            if not 1900 < rule.fiscal_year < 3000:
                raise ValidationError(_("The fiscal year must be a year such as 2026."))

    def _kopdes_check_percentages(self):
        self.ensure_one()
        total = round(sum(self[fname] for fname, _pool in FUNDS), 2)
        if abs(total - 100.0) > 0.001:
            shown = "%g" % total  # noqa: UP031
            raise ValidationError(
                _(
                    "The allocation of the SHU must sum to 100 %%; this rule sums to %(total)s %%.",
                    total=shown,
                )
            )
        if self.pct_patronage and (
            abs(self.patronage_pos_weight + self.patronage_loan_weight - 100.0) > 0.001
        ):
            raise ValidationError(
                _("The weights of shop purchases and loan interest must sum to 100 %.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self = kopdes_without_defaults(self, RULE_USER_FIELDS, vals_list=vals_list)
        if not kopdes_is_system(self.env, SHU_RULE):
            self._kopdes_check_manage()
            for vals in vals_list:
                kopdes_check_fields(self, vals, RULE_USER_FIELDS)
        for vals in vals_list:
            if "version" not in vals:
                company_id = vals.get("company_id") or self.env.company.id
                year = vals.get("fiscal_year") or kopdes_today(self.env).year
                previous = self.sudo().search(
                    [("company_id", "=", company_id), ("fiscal_year", "=", year)],
                    order="version desc",
                    limit=1,
                )
                vals["version"] = previous.version + 1 if previous else 1
        return super().create(vals_list)

    def write(self, vals):
        if not kopdes_is_system(self.env, SHU_RULE):
            if set(vals) - APPROVED_WRITABLE and any(r.state != "draft" for r in self):
                raise UserError(
                    _(
                        "An SHU rule approved by the RAT cannot be changed. Make a new "
                        "version if the RAT decided otherwise."
                    )
                )
            if set(vals) - APPROVED_WRITABLE:
                self._kopdes_check_manage()
            kopdes_check_fields(self, vals, RULE_USER_FIELDS)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(rule.state != "draft" for rule in self):
            raise UserError(_("Only draft SHU rules can be deleted."))

    def _kopdes_check_manage(self):
        if not (
            self.env.user.has_group("kopdes_members.group_kopdes_accountant")
            or self.env.user.has_group("kopdes_members.group_kopdes_manager")
            or self.env.su
        ):
            kopdes_check_group(
                self.env,
                "kopdes_members.group_kopdes_manager",
                _("Only an accountant or a manager prepares SHU rules."),
            )

    def action_approve(self):
        """Record the RAT's approval (manager only): the rule is final from now on and
        supersedes the year's earlier approved version, unless that one was distributed."""
        kopdes_check_group(
            self.env,
            "kopdes_members.group_kopdes_manager",
            _("Only a manager (Pengurus) records the RAT's approval of an SHU rule."),
        )
        for rule in self:
            if rule.state != "draft":
                raise UserError(_("Only a draft SHU rule can be approved."))
            rule._kopdes_check_percentages()
            minutes = rule.minutes_ref
            if not minutes or not rule.approval_date:
                raise UserError(
                    _("Fill in the date of the RAT and the number of its minutes first.")
                )
            previous = self.sudo().search(
                [
                    ("company_id", "=", rule.company_id.id),
                    ("fiscal_year", "=", rule.fiscal_year),
                    ("state", "=", "approved"),
                    ("id", "!=", rule.id),
                ]
            )
            if previous.distribution_ids.filtered(lambda d: d.state in ("posted", "paid")):
                raise UserError(
                    _(
                        "The SHU of %(year)s has already been distributed under an approved "
                        "rule; it cannot be replaced.",
                        year=rule.fiscal_year,
                    )
                )
            kopdes_system(previous, SHU_RULE).write({"state": "superseded"})
            kopdes_system(rule, SHU_RULE).write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.user.id,
                }
            )
            rule.message_post(
                body=_(
                    "Approved by the RAT of %(date)s (minutes %(minutes)s), recorded by %(user)s.",
                    date=rule.approval_date,
                    minutes=minutes,
                    user=self.env.user.name,
                )
            )
        return True

    def action_new_version(self):
        """A draft copy of this rule as the next version of the year."""
        self.ensure_one()
        self._kopdes_check_manage()
        vals = {fname: self[fname] for fname in RULE_USER_FIELDS if fname in self._fields}
        vals = {
            k: v
            for k, v in vals.items()
            if k not in APPROVED_WRITABLE and k not in ("approval_date", "minutes_ref")
        }
        vals["company_id"] = self.company_id.id
        new = self.create(vals)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    @api.model
    def _kopdes_approved_rule(self, company, year):
        return self.search(
            [
                ("company_id", "=", company.id),
                ("fiscal_year", "=", year),
                ("state", "=", "approved"),
            ],
            limit=1,
        )
