from odoo import Command, api, models


class KopdesMoveMixin(models.AbstractModel):
    """The one journal-entry builder of the savings and financing addons.

    Small builders return dicts (``_kopdes_prepare_move_line_vals``,
    ``_kopdes_prepare_move_vals``); ``_kopdes_make_moves`` creates them as the system in
    one batch, posts them and links each move back to its source record (see
    ``hr_expense_sheet.action_sheet_move_post``). A model using the mixin says with
    ``_kopdes_move_context`` which posting key its entries carry.
    """

    _name = "kopdes.move.mixin"
    _description = "KopDes Journal Entry Builder"

    @api.model
    def _kopdes_move_context(self):
        """Context keys of the posting code that creates this model's entries."""
        return {}

    @api.model
    def _kopdes_prepare_move_line_vals(self, account, amount, label, partner=None):
        """One move line; a positive ``amount`` debits, a negative one credits.
        ``account`` and ``partner`` are records or ids."""
        return {
            "name": label,
            "account_id": account.id if isinstance(account, models.BaseModel) else account,
            "partner_id": (partner.id if isinstance(partner, models.BaseModel) else partner)
            or False,
            "debit": amount if amount > 0 else 0.0,
            "credit": -amount if amount < 0 else 0.0,
        }

    @api.model
    def _kopdes_prepare_move_vals(self, journal, date, lines, ref, **extra):
        """A journal entry of ``journal``; lines without an amount are left out."""
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": journal.company_id.id,
            "date": date,
            "ref": ref,
            "line_ids": [Command.create(line) for line in lines if line["debit"] or line["credit"]],
            **extra,
        }

    def _kopdes_make_moves(self, vals_list, post=True, link_field=None):
        """Create the entries of ``vals_list`` as the system (one batch), post them when
        ``post``, and when ``link_field`` is given write each move on the record of
        ``self`` at the same position. Entries without lines are skipped. Returns the moves
        as the system (with the posting context)."""
        Move = self.env["account.move"].sudo().with_context(**self._kopdes_move_context())
        records = list(self) if link_field else [None] * len(vals_list)
        pairs = [
            (record, vals)
            for record, vals in zip(records, vals_list, strict=True)
            if vals.get("line_ids")
        ]
        if not pairs:
            return Move.browse()
        moves = Move.create([vals for _record, vals in pairs])
        if post:
            moves._post(soft=False)
        if link_field:
            for (record, _vals), move in zip(pairs, moves, strict=True):
                record.sudo().with_context(**self._kopdes_move_context())[link_field] = move
        return moves
