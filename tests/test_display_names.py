"""Every KopDes model has a readable display name: an installment in a payment line reads
"PIN/2025/0001 – Angsuran 3 (01/01/2026)", never "kopdes.loan.line,465"."""

from odoo import models
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestDisplayNames(TransactionCase):
    def test_every_kopdes_model_has_a_display_name(self):
        base_compute = models.BaseModel._compute_display_name
        for name, Model in self.env.registry.items():
            if not name.startswith("kopdes.") or Model._abstract or Model._transient:
                continue
            with self.subTest(model=name):
                own_compute = type(self.env[name])._compute_display_name is not base_compute
                self.assertTrue(
                    own_compute or Model._rec_name in Model._fields,
                    f"{name} has neither a name field nor _compute_display_name",
                )
                record = self.env[name].sudo().search([], limit=1)
                if record:
                    self.assertTrue(record.display_name)
                    self.assertNotIn(f"{name},", record.display_name)

    def test_installment_name(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["kopdes_financing"], ["id_ID"])
        company = self.env.ref("kopdes_members.demo_company_sokoduwet")
        line = self.env["kopdes.loan.line"].search(
            [("company_id", "=", company.id), ("sequence", "=", 3)], limit=1
        )
        day = line.due_date
        self.assertEqual(
            line.with_context(lang="id_ID").display_name,
            f"{line.loan_id.name} – Angsuran 3 ({day:%d/%m/%Y})",
        )
        self.assertEqual(
            line.with_context(lang="en_US").display_name,
            f"{line.loan_id.name} – Installment 3 ({day:%m/%d/%Y})",
        )
        allocation = self.env["kopdes.loan.allocation"].search(
            [("company_id", "=", company.id), ("kind", "=", "payment")], limit=1
        )
        self.assertEqual(
            allocation.with_context(lang="id_ID").display_name,
            f"{allocation.line_id.with_context(lang='id_ID').display_name}: Pembayaran",
        )
