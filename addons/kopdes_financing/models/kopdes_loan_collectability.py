from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

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

    @api.model
    def _kopdes_track_class_changes(self, loans, old_classes):
        """Log the change of class of ``loans`` (``old_classes``: ``{loan id: class
        before}``) as the tracking of ``kopdes.loan.collectability_id``: one message per
        loan, inserted with one query whatever the number of loans (the ORM would insert
        them a hundred at a time, and the batch jobs keep a constant number of queries)."""
        # the new classes with one query (reading 10,000 loans through the ORM would take
        # one query per 1,000)
        loans.flush_recordset(["collectability_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, collectability_id FROM kopdes_loan WHERE id = ANY(%s) ORDER BY id",
                loans.ids,
            )
        )
        rows = [
            (loan_id, old_classes[loan_id].id or None if loan_id in old_classes else None, new)
            for loan_id, new in self.env.cr.fetchall()
        ]
        classes = self.browse(
            sorted({class_id for row in rows for class_id in row[1:] if class_id})
        )
        names = {cls.id: cls.display_name for cls in classes}
        author = self.env.user.partner_id
        now = fields.Datetime.now()
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH changes AS (
                    SELECT * FROM unnest(%(loans)s::int[], %(olds)s::int[], %(news)s::int[],
                                         %(old_names)s::varchar[], %(new_names)s::varchar[],
                                         %(message_ids)s::varchar[])
                                  AS c(res_id, old_id, new_id, old_name, new_name, message_id)
                ), messages AS (
                    INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id,
                                              email_from, body, is_internal, message_id, date,
                                              create_uid, create_date, write_uid, write_date)
                    SELECT %(model)s, res_id, 'notification', %(subtype)s, %(author)s,
                           %(email)s, '', TRUE, message_id, %(now)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM changes
                 RETURNING id, res_id
                )
                INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_integer,
                                                 new_value_integer, old_value_char,
                                                 new_value_char, create_uid, create_date,
                                                 write_uid, write_date)
                SELECT %(field)s, messages.id, changes.old_id, changes.new_id, changes.old_name,
                       changes.new_name, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM messages JOIN changes ON changes.res_id = messages.res_id
                """,
                loans=[row[0] for row in rows],
                olds=[row[1] for row in rows],
                news=[row[2] for row in rows],
                old_names=[names.get(row[1]) for row in rows],
                new_names=[names.get(row[2]) for row in rows],
                message_ids=[generate_tracking_message_id("kopdes-class") for _row in rows],
                model=loans._name,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author.id,
                email=author.email_formatted or None,
                now=now,
                uid=self.env.uid,
                field=self.env["ir.model.fields"]._get(loans._name, "collectability_id").id,
            )
        )
        loans.invalidate_recordset(["message_ids"])
        return True
