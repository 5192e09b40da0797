from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    kopdes_member_ids = fields.One2many("kopdes.member", "partner_id", string="Memberships")
    kopdes_member_id = fields.Many2one(
        "kopdes.member",
        string="Member",
        compute="_compute_kopdes_member",
        search="_search_kopdes_member_id",
        help="The membership of this contact in the current cooperative.",
    )
    kopdes_member_number = fields.Char(
        string="Member No.", compute="_compute_kopdes_member", search="_search_kopdes_member_number"
    )
    kopdes_member_state = fields.Selection(
        related="kopdes_member_id.state", string="Member Status"
    )

    @api.depends_context("company")
    @api.depends("kopdes_member_ids.company_id", "kopdes_member_ids.member_number")
    def _compute_kopdes_member(self):
        company = self.env.company
        members = self.env["kopdes.member"].search(
            [("partner_id", "in", self.ids), ("company_id", "=", company.id)]
        )
        by_partner = {member.partner_id.id: member for member in members}
        for partner in self:
            member = by_partner.get(partner._origin.id or partner.id, self.env["kopdes.member"])
            partner.kopdes_member_id = member
            partner.kopdes_member_number = member.member_number

    def _search_kopdes_member_id(self, operator, value):
        return [
            ("kopdes_member_ids", "any", [("id", operator, value), ("company_id", "=", self.env.company.id)])
        ]

    def _search_kopdes_member_number(self, operator, value):
        return [
            (
                "kopdes_member_ids",
                "any",
                [("member_number", operator, value), ("company_id", "=", self.env.company.id)],
            )
        ]
