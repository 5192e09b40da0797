import { registry } from "@web/core/registry";
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import { negate, scan_barcode } from "@point_of_sale/../tests/tours/utils/common";

/**
 * Open the customer list, type `query`, ask the server too ("Search more": the POS loads
 * only some partners) and select the line of `name`. With `onlyMatch`, check first that
 * the query matched that member exactly (no other line is listed).
 */
function selectMember(query, name, { onlyMatch = false } = {}) {
    const steps = [
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
    ];
    if (onlyMatch) {
        steps.push({
            content: `"${query}" lists ${name} and nobody else`,
            trigger: `.modal .partner-list:has(.partner-info:contains("${name}")):not(:has(.partner-info:not(:contains("${name}"))))`,
        });
    }
    steps.push({
        content: `select ${name}`,
        trigger: `.modal .partner-list .partner-info:contains("${name}")`,
        run: "click",
    });
    return steps;
}

function memberIsShown(name, number, status) {
    return [
        {
            content: `${name} is the customer of the order`,
            trigger: `.product-screen .set-partner:contains("${name}")`,
        },
        {
            content: `member number ${number} and status ${status} next to the customer button`,
            trigger: `.product-screen .set-partner .kopdes-member-info:has(.kopdes-member-number:contains("${number}")):has(.kopdes-member-state:contains("${status}"))`,
        },
        {
            content: `member number ${number} and status ${status} in the order summary`,
            trigger: `.product-screen .kopdes-order-member:has(.kopdes-member-number:contains("${number}")):has(.kopdes-member-state:contains("${status}"))`,
        },
    ];
}

registry.category("web_tour.tours").add("kopdes_members_pos_member_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),

            // a member found by member number gets the member price
            ProductScreen.clickDisplayedProduct("Beras 5 kg", true, "1", "76,000.00"),
            selectMember("AGT-00001", "Slamet Riyadi", { onlyMatch: true }),
            memberIsShown("Slamet Riyadi", "AGT-00001", "Active"),
            ProductScreen.selectedOrderlineHas("Beras 5 kg", "1", "72,500.00"),
            {
                content: "the order says member prices apply",
                trigger: ".product-screen .kopdes-order-member .kopdes-member-prices:contains('Member prices')",
            },
            // eggs have no member price
            ProductScreen.clickDisplayedProduct("Telur Ayam 1 kg", true, "1", "29,000.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Tunai"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt names the member with number and status",
                trigger: ".pos-receipt .kopdes-receipt-member:contains('Slamet Riyadi'):has(.kopdes-member-number:contains('AGT-00001')):has(.kopdes-member-state:contains('Active'))",
            },
            ReceiptScreen.clickNextOrder(),

            // another member found by phone, typed the local way (stored as +6287794212661)
            ProductScreen.clickDisplayedProduct("Minyak Goreng 1 L", true, "1", "18,000.00"),
            selectMember("0877-9421-2661", "Siti Aminah", { onlyMatch: true }),
            memberIsShown("Siti Aminah", "AGT-00002", "Active"),
            ProductScreen.selectedOrderlineHas("Minyak Goreng 1 L", "1", "17,000.00"),

            // scanning a member card selects its member
            scan_barcode("AGT-00005"),
            memberIsShown("Budi Santoso", "AGT-00005", "Active"),
            ProductScreen.selectedOrderlineHas("Minyak Goreng 1 L", "1", "17,000.00"),

            // a suspended member: number and status shown, but the normal price
            selectMember("AGT-00021", "Teguh Wibowo"),
            memberIsShown("Teguh Wibowo", "AGT-00021", "Suspended"),
            ProductScreen.selectedOrderlineHas("Minyak Goreng 1 L", "1", "18,000.00"),
            {
                content: "the order says no member prices",
                trigger: ".product-screen .kopdes-order-member .kopdes-member-prices:contains('No member prices')",
            },
            // ... and the cashier cannot give the member pricelist by hand
            ProductScreen.clickPriceList("Member Prices"),
            Dialog.is({ title: "Member prices" }),
            Dialog.confirm("Ok"),
            ProductScreen.selectedOrderlineHas("Minyak Goreng 1 L", "1", "18,000.00"),

            // the card of a member who left selects the customer, without member prices
            scan_barcode("AGT-00027"),
            memberIsShown("Kusnadi", "AGT-00027", "Resigned"),
            ProductScreen.selectedOrderlineHas("Minyak Goreng 1 L", "1", "18,000.00"),
            {
                content: "no error dialog is open",
                trigger: negate(".modal .o_error_dialog"),
            },
        ].flat(),
});
