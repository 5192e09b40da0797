import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

/**
 * Kasbon Anggota: before the order is validated, ask the server whether the member may buy
 * the amount on credit. The cashier learns only yes or no and the room left of the limit,
 * rounded down; never the member's balances or savings. The server records the kasbon when
 * it receives the paid order (also an order made offline, re-checked there).
 */
patch(PaymentScreen.prototype, {
    async addNewPaymentLine(paymentMethod) {
        if (!paymentMethod.kopdes_kasbon_payment) {
            return super.addNewPaymentLine(...arguments);
        }
        // kasbon is followed up by the cooperative: no "customer account" warning
        const notification = this.notification;
        this.notification = { add: () => {} };
        try {
            return await super.addNewPaymentLine(...arguments);
        } finally {
            this.notification = notification;
        }
    },

    async _isOrderValid(isForceValidate) {
        const valid = await super._isOrderValid(...arguments);
        if (!valid) {
            return false;
        }
        return await this.kopdesCheckKasbonPayments();
    },

    async kopdesCheckKasbonPayments() {
        const amounts = new Map();
        for (const line of this.paymentLines) {
            const method = line.payment_method_id;
            if (method.kopdes_kasbon_payment && line.get_amount() > 0) {
                amounts.set(method, (amounts.get(method) || 0) + line.get_amount());
            }
        }
        if (!amounts.size) {
            return true;
        }
        const partner = this.currentOrder.get_partner();
        if (!partner) {
            this.dialog.add(AlertDialog, {
                title: _t("Kasbon Anggota"),
                body: _t("Choose the member who buys on kasbon."),
            });
            return false;
        }
        for (const [method, amount] of amounts) {
            let answer;
            try {
                answer = await this.pos.data.call("pos.payment.method", "kopdes_kasbon_check", [
                    method.id,
                    partner.id,
                    amount,
                ]);
            } catch {
                // offline: the sale is checked again when the order syncs
                return true;
            }
            if (!answer.allowed) {
                let body = answer.message;
                if (answer.room !== false) {
                    body +=
                        " " +
                        _t("Kasbon room left: %(room)s.", {
                            room: this.env.utils.formatCurrency(answer.room),
                        });
                }
                this.dialog.add(AlertDialog, { title: _t("Kasbon Anggota"), body });
                return false;
            }
        }
        return true;
    },
});
