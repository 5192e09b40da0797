from odoo import models

KOPDES_ADDONS = {"kopdes_members", "kopdes_savings", "kopdes_financing"}


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if KOPDES_ADDONS & set(modules or []):
            # a language loaded after the setup: translate the names the setup gave
            self.env["res.company"].sudo().search([])._kopdes_translate_setup_names(langs)
        return result
