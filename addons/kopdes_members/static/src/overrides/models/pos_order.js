import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    /**
     * The member pricelist of the cooperative when this point of sale offers it (it is
     * one of its available pricelists), else null.
     */
    get kopdesMemberPricelist() {
        const pricelistId = this.config.raw.kopdes_member_pricelist_id;
        if (!this.config.use_pricelist || !pricelistId) {
            return null;
        }
        return this.models["product.pricelist"].get(pricelistId) || null;
    },
    /** Active members get the member pricelist; anybody else never keeps it. */
    updatePricelistAndFiscalPosition(newPartner) {
        super.updatePricelistAndFiscalPosition(...arguments);
        const memberPricelist = this.kopdesMemberPricelist;
        if (!memberPricelist) {
            return;
        }
        const isMemberPricelist = this.pricelist_id?.id === memberPricelist.id;
        if (newPartner?.kopdesIsActiveMember) {
            if (!isMemberPricelist) {
                this.set_pricelist(memberPricelist);
            }
        } else if (isMemberPricelist) {
            this.set_pricelist(this.config.pricelist_id);
        }
    },
    export_for_printing() {
        const result = super.export_for_printing(...arguments);
        const partner = this.get_partner();
        if (partner?.kopdes_member_number) {
            result.kopdesMember = {
                name: partner.name,
                number: partner.kopdes_member_number,
                state: partner.kopdes_member_state,
                stateLabel: partner.kopdesMemberStateLabel,
            };
        }
        return result;
    },
});
