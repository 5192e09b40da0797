from odoo import fields, models
from odoo.tools import SQL


class PosConfig(models.Model):
    _inherit = "pos.config"

    kopdes_member_pricelist_id = fields.Many2one(
        related="company_id.kopdes_member_pricelist_id",
        string="Member Pricelist",
        help="Given automatically to active members at this point of sale when it is one of "
        "the available pricelists.",
    )

    def get_limited_partners_loading(self):
        """The customers a till loads at start (Odoo takes the 100 most frequent buyers): the
        cooperative's active and suspended members first (the till must know both), by member
        number, then Odoo's order; the others are found through the server search."""
        return self.env.execute_query(
            SQL(
                """
                WITH pm AS (
                    SELECT partner_id, COUNT(partner_id) AS order_count
                      FROM pos_order
                  GROUP BY partner_id
                )
                SELECT partner.id
                  FROM res_partner AS partner
             LEFT JOIN pm ON partner.id = pm.partner_id
             LEFT JOIN kopdes_member AS member
                    ON member.partner_id = partner.id
                   AND member.company_id = %(company)s
                   AND member.state IN ('active', 'suspended')
                 WHERE partner.company_id = %(company)s OR partner.company_id IS NULL
              ORDER BY member.id IS NULL, member.member_number,
                       COALESCE(pm.order_count, 0) DESC, partner.name
                 LIMIT %(limit)s
                """,
                company=self.company_id.id,
                limit=100,
            )
        )
