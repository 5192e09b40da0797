import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

const QUICK_CASH_PREFIX = "kopdes_quick_cash:";
const ODOO_QUICK_CASH = ["+10", "+20", "+50"];

/**
 * Quick-cash buttons from the shop's notes: Odoo's +10, +20 and +50 are pocket change in
 * rupiah. The notes of the shop marked as quick-cash buttons (pos.bill, at most three,
 * smallest first) take their place; a shop without any keeps Odoo's buttons.
 */
patch(PaymentScreen.prototype, {
    get kopdesQuickCashBills() {
        return this.pos.models["pos.bill"]
            .filter((bill) => bill.kopdes_quick_cash)
            .sort((a, b) => a.value - b.value)
            .slice(0, ODOO_QUICK_CASH.length);
    },

    getNumpadButtons() {
        const buttons = super.getNumpadButtons();
        const bills = this.kopdesQuickCashBills;
        if (!bills.length) {
            return buttons;
        }
        let index = 0;
        return buttons.map((button) => {
            if (!ODOO_QUICK_CASH.includes(button.value)) {
                return button;
            }
            const bill = bills[index++];
            if (!bill) {
                return { ...button, value: `${QUICK_CASH_PREFIX}none${index}`, text: " ", disabled: true };
            }
            return {
                ...button,
                value: `${QUICK_CASH_PREFIX}${bill.value}`,
                text: `+${bill.name || this.env.utils.formatCurrency(bill.value, false)}`,
                class: `${button.class || ""} kopdes-quick-cash`,
            };
        });
    },

    kopdesOnNumpadClick(value) {
        if (!String(value).startsWith(QUICK_CASH_PREFIX)) {
            return this.numberBuffer.sendKey(value);
        }
        const amount = parseFloat(value.slice(QUICK_CASH_PREFIX.length));
        if (isNaN(amount)) {
            return;
        }
        const buffer = this.numberBuffer.get();
        const current = buffer ? this.numberBuffer.getFloat() : 0;
        this.numberBuffer.set(this.env.utils.formatCurrency(current + amount, false));
        this.updateSelectedPaymentline();
    },
});
