import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";

function selectMember(query, name) {
    return [
        ...ProductScreen.clickPartnerButton(),
        {
            content: `search customer with "${query}"`,
            trigger: ".modal-dialog .input-group input",
            run: `edit ${query}`,
        },
        {
            content: "search the server too",
            trigger: ".modal .search-more-button > button",
            run: "click",
        },
        {
            content: `select ${name}`,
            trigger: `.modal .partner-list .partner-info:contains("${name}")`,
            run: "click",
        },
        {
            content: `${name} is the customer of the order`,
            trigger: `.product-screen .set-partner:contains("${name}")`,
        },
    ];
}

registry.category("web_tour.tours").add("kopdes_savings_pos_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // Slamet pays his rice from his simpanan sukarela
            ProductScreen.clickDisplayedProduct("Beras 5 kg"),
            selectMember("AGT-00001", "Slamet Riyadi"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Simpanan Sukarela", true, { amount: "72,500" }),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "his own receipt tells what is left of his simpanan sukarela",
                trigger: ".pos-receipt .kopdes-receipt-savings:contains('127,500.00')",
            },
            ReceiptScreen.clickNextOrder(),

            // Siti's savings are short: the cashier is told so, without the amount
            ProductScreen.clickDisplayedProduct("Beras 5 kg"),
            selectMember("AGT-00002", "Siti Aminah"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Simpanan Sukarela"),
            PaymentScreen.clickValidate(),
            Dialog.is({ title: "Simpanan Sukarela" }),
            {
                content: "the dialog says the balance is not sufficient, and no amount",
                trigger: ".modal-body:contains('not sufficient'):not(:contains('Rp'))",
            },
            Dialog.confirm(),
            PaymentScreen.isShown(),
            // she pays cash instead
            PaymentScreen.clickPaymentlineDelButton("Simpanan Sukarela", "72,500.00"),
            PaymentScreen.clickPaymentMethod("Tunai"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "a receipt paid in cash says nothing about savings",
                trigger: ".pos-receipt:not(:has(.kopdes-receipt-savings))",
            },
        ].flat(),
});
