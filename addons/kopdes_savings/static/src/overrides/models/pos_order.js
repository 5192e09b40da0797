import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

/**
 * The member's own receipt tells what is left of the simpanan sukarela after paying from
 * it (the refusal dialog on the screen never shows the balance). The server computes it
 * when it posts the withdrawal and sends it back with the synced order.
 */
patch(PosOrder.prototype, {
    export_for_printing() {
        const result = super.export_for_printing(...arguments);
        const paidFromSavings = this.payment_ids.some(
            (line) => line.payment_method_id?.kopdes_savings_payment
        );
        const balance = this.kopdes_savings_balance_after;
        if (paidFromSavings && typeof balance === "number") {
            result.kopdesSavingsBalance = balance;
        }
        return result;
    },
});
