import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/store/pos_store";

patch(PosStore.prototype, {
    async selectPricelist(pricelist) {
        const order = this.get_order();
        const memberPricelist = order?.kopdesMemberPricelist;
        if (
            memberPricelist &&
            pricelist?.id === memberPricelist.id &&
            !order.get_partner()?.kopdesIsActiveMember
        ) {
            this.dialog.add(AlertDialog, {
                title: _t("Member prices"),
                body: _t(
                    "Member prices are for active members only. Select an active member as customer first."
                ),
            });
            return;
        }
        return await super.selectPricelist(...arguments);
    },
});
