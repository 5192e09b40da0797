from odoo import api, fields, models


class KopdesAgentBank(models.Model):
    """A partner bank whose customers the cooperative serves at its counter (agen bank,
    Laku Pandai): cash-in and cash-out, with the commission the bank pays per transaction."""

    _name = "kopdes.agent.bank"
    _description = "Partner Bank (Bank Agent)"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Bank (Partner)",
        required=True,
        check_company=True,
        help="The bank as a partner: the settlement account is kept per bank on this partner.",
    )
    agent_code = fields.Char(string="Agent ID", help="The cooperative's agent ID at this bank.")
    fee_cash_in = fields.Monetary(string="Commission per Cash-in", tracking=True)
    fee_cash_out = fields.Monetary(string="Commission per Cash-out", tracking=True)
    max_amount = fields.Monetary(
        string="Limit per Transaction",
        tracking=True,
        help="The bank's limit for one cash-in or cash-out at an agent (0: none).",
    )
    cash_journal_id = fields.Many2one(
        "account.journal",
        required=True,
        domain="[('type', '=', 'cash')]",
        check_company=True,
    )
    transaction_ids = fields.One2many("kopdes.agent.transaction", "bank_id", readonly=True)
    balance = fields.Monetary(
        string="Settlement Balance",
        compute="_compute_balance",
        help="Positive: the bank owes the cooperative; negative: the cooperative owes the bank.",
    )

    _sql_constraints = [
        (
            "fees_positive",
            "CHECK(fee_cash_in >= 0 AND fee_cash_out >= 0)",
            "Commissions are not negative.",
        ),
        ("max_positive", "CHECK(max_amount >= 0)", "The limit is not negative."),
    ]

    @api.depends("transaction_ids.state")
    def _compute_balance(self):
        groups = self.env["kopdes.agent.transaction"]._read_group(
            [("bank_id", "in", self.ids), ("state", "=", "posted")],
            ["bank_id"],
            ["settlement_amount:sum"],
        )
        totals = {bank.id: amount for bank, amount in groups}
        for bank in self:
            bank.balance = totals.get(bank.id, 0.0)
