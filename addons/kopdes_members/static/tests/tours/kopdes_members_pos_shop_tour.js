import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

function quickCash(text) {
    return {
        content: `click the quick-cash button ${text}`,
        trigger: `.payment-screen .numpad button.kopdes-quick-cash:contains("${text}")`,
        run: "click",
    };
}

/**
 * The demo shop of KKMP Sokoduwet as its cashier sees it: the customer list holds the
 * cooperative's members, not Odoo's own demo companies, and the quick-cash buttons are
 * rupiah notes.
 */
registry.category("web_tour.tours").add("kopdes_members_pos_shop_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickDisplayedProduct("Beras 5 kg", true, "1", "76,000.00"),
            ...ProductScreen.clickPartnerButton(),
            {
                content: "the customer list shows the members",
                trigger: ".modal .partner-list .partner-info:contains('Slamet Riyadi')",
            },
            {
                content: "and none of Odoo's demo contacts or companies",
                trigger: `.modal .partner-list:has(.partner-info:contains('Siti Aminah'))${[
                    "Deco Addict",
                    "Azure Interior",
                    "My Company (Chicago)",
                    "My Company (San Francisco)",
                ]
                    .map((name) => `:not(:has(.partner-info:contains('${name}')))`)
                    .join("")}`,
            },
            {
                content: "select Slamet Riyadi",
                trigger: ".modal .partner-list .partner-info:contains('Slamet Riyadi')",
                run: "click",
            },
            ProductScreen.selectedOrderlineHas("Beras 5 kg", "1", "72,500.00"),
            ProductScreen.clickPayButton(),
            {
                content: "the quick-cash buttons are rupiah notes, not +10/+20/+50",
                trigger: ".payment-screen .numpad:has(button.kopdes-quick-cash:contains('+20.000')):has(button.kopdes-quick-cash:contains('+50.000')):has(button.kopdes-quick-cash:contains('+100.000')):not(:has(button[value='+10']))",
            },
            PaymentScreen.clickPaymentMethod("Tunai"),
            quickCash("+50.000"),
            PaymentScreen.selectedPaymentlineHas("Tunai", "50,000.00"),
            quickCash("+20.000"),
            quickCash("+20.000"),
            PaymentScreen.selectedPaymentlineHas("Tunai", "90,000.00"),
            PaymentScreen.changeIs("17,500.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});
