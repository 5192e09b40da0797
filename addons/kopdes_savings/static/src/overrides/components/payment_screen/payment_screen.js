import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

/**
 * Payment from simpanan sukarela: before the order is validated, ask the server whether
 * the member's voluntary savings cover the amount. The cashier only learns whether the
 * balance is sufficient, never the balance. The server posts the withdrawal when it
 * receives the paid order and refuses the order if the balance became short meanwhile.
 */
patch(PaymentScreen.prototype, {
    async addNewPaymentLine(paymentMethod) {
        if (!paymentMethod.kopdes_savings_payment) {
            return super.addNewPaymentLine(...arguments);
        }
        // a savings payment is settled at once: no "customer account" follow-up warning
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
        return await this.kopdesCheckSavingsPayments();
    },

    async kopdesCheckSavingsPayments() {
        const amounts = new Map();
        for (const line of this.paymentLines) {
            const method = line.payment_method_id;
            if (method.kopdes_savings_payment && line.get_amount() > 0) {
                amounts.set(method, (amounts.get(method) || 0) + line.get_amount());
            }
        }
        if (!amounts.size) {
            return true;
        }
        const partner = this.currentOrder.get_partner();
        if (!partner) {
            this.dialog.add(AlertDialog, {
                title: _t("Simpanan Sukarela"),
                body: _t("Choose the member who pays from simpanan sukarela."),
            });
            return false;
        }
        for (const [method, amount] of amounts) {
            const answer = await this.pos.data.call("pos.payment.method", "kopdes_savings_check", [
                method.id,
                partner.id,
                amount,
            ]);
            if (!answer.sufficient) {
                this.dialog.add(AlertDialog, {
                    title: _t("Simpanan Sukarela"),
                    body: answer.message,
                });
                return false;
            }
        }
        return true;
    },
});
