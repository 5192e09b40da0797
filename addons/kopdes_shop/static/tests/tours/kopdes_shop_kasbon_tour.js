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

function refusedThenCash(reason) {
    return [
        PaymentScreen.clickValidate(),
        Dialog.is({ title: "Kasbon Anggota" }),
        {
            content: `the dialog says why (${reason}), and no balance`,
            trigger: `.modal-body:contains('${reason}')`,
        },
        Dialog.confirm(),
        PaymentScreen.isShown(),
        PaymentScreen.clickPaymentlineDelButton("Kasbon Anggota", "72,500.00"),
        PaymentScreen.clickPaymentMethod("Tunai"),
        PaymentScreen.clickValidate(),
        {
            content: "the order is synced (the server records the kasbon; slow under load)",
            trigger: ".pos .receipt-screen",
            timeout: 30000,
        },
        ReceiptScreen.isShown(),
        ReceiptScreen.clickNextOrder(),
    ].flat();
}

registry.category("web_tour.tours").add("kopdes_shop_kasbon_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // Slamet buys his rice on kasbon, within his limit
            ProductScreen.clickDisplayedProduct("Beras 5 kg"),
            selectMember("AGT-00001", "Slamet Riyadi"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Kasbon Anggota", true, { amount: "72,500" }),
            PaymentScreen.clickValidate(),
            {
                content: "the order is synced (the server records the kasbon; slow under load)",
                trigger: ".pos .receipt-screen",
                timeout: 30000,
            },
            ReceiptScreen.isShown(),
            ReceiptScreen.clickNextOrder(),

            // Muhammad Rofiq's own limit is Rp 50.000: refused, the room is shown, he pays cash
            ProductScreen.clickDisplayedProduct("Beras 5 kg"),
            selectMember("AGT-00007", "Muhammad Rofiq"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Kasbon Anggota"),
            PaymentScreen.clickValidate(),
            {
                content: "the room left, rounded down to Rp 1.000, and no balance",
                trigger: ".modal-body:contains('Kasbon room left'):contains('50,000')",
            },
            Dialog.confirm(),
            ...refusedThenCash("above the member's kasbon limit"),

            // Dewi Lestari has overdue kasbon: refused
            ProductScreen.clickDisplayedProduct("Beras 5 kg"),
            selectMember("AGT-00008", "Dewi Lestari"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Kasbon Anggota"),
            ...refusedThenCash("overdue kasbon"),
        ].flat(),
});
