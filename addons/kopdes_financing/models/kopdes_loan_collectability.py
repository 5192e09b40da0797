from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import collectability as collectability_tools


class KopdesLoanCollectability(models.Model):
    """A collectability class (kolektibilitas) of a cooperative with its provision rate."""

    _name = "kopdes.loan.collectability"
    _description = "Collectability Class"
    _order = "company_id, min_days, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char(required=True, size=4, help="1 (Lancar) to 5 (Macet).")
    company_id = fields.Many2one(
        "res.company",
        string="Cooperative",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    min_days = fields.Integer(
        string="From Days Past Due",
        required=True,
        help="A loan enters this class when it is this many days past due.",
    )
    provision_rate = fields.Float(
        string="Provision (%)",
        digits=(16, 4),
        required=True,
        help="Required provision (PPAP) in percent of the outstanding principal.",
    )
    deduct_collateral = fields.Boolean(
        string="Less Collateral",
        default=True,
        help="The provision is computed on the outstanding less the eligible collateral "
        "(blocked savings and the eligible share of declared collateral).",
    )
    non_performing = fields.Boolean(
        string="Non-Performing",
        help="Counts in the NPL ratio (usually Kurang Lancar, Diragukan and Macet).",
    )
    color = fields.Integer()

    _sql_constraints = [
        (
            "min_days_company_uniq",
            "unique(min_days, company_id)",
            "Two collectability classes cannot start at the same number of days.",
        ),
        ("code_company_uniq", "unique(code, company_id)", "The class code is unique."),
    ]

    @api.constrains("min_days", "provision_rate", "company_id")
    def _check_classes(self):
        messages = {
            collectability_tools.EMPTY: _("A cooperative needs at least one collectability class."),
            collectability_tools.FIRST_NOT_ZERO: _(
                "The first collectability class must start at 0 days past due."
            ),
            collectability_tools.NOT_INCREASING: _(
                "Collectability classes must start at different numbers of days."
            ),
            collectability_tools.RATE_RANGE: _("A provision rate lies between 0 and 100 percent."),
        }
        for company in self.company_id:
            classes = self.search([("company_id", "=", company.id)])
            try:
                collectability_tools.check_classes(classes._kopdes_tool_classes())
            except collectability_tools.ClassesError as err:
                raise ValidationError(messages[err.code]) from err

    def _kopdes_tool_classes(self):
        return [
            collectability_tools.CollectabilityClass(
                code=cls.id,
                name=cls.name,
                min_days=cls.min_days,
                provision_rate=collectability_tools.to_decimal(cls.provision_rate),
                deduct_collateral=cls.deduct_collateral,
                non_performing=cls.non_performing,
            )
            for cls in self
        ]
