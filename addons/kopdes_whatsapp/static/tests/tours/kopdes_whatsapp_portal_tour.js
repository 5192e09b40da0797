import { registry } from "@web/core/registry";

/** A member on the portal: savings, one account's transactions, loans, and consents. */
registry.category("web_tour.tours").add("kopdes_whatsapp_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "open the savings",
            trigger: "a[href='/my/kopdes/savings']",
            run: "click",
        },
        {
            content: "the voluntary savings balance is shown",
            trigger: "table.o_kopdes_savings td.o_kopdes_balance:contains(1.234.500), table.o_kopdes_savings td.o_kopdes_balance:contains(1,234,500)",
        },
        {
            content: "open the voluntary savings account",
            trigger: "table.o_kopdes_savings tr:contains(Sukarela) a[href^='/my/kopdes/savings/']:not([href$=passbook])",
            run: "click",
        },
        {
            content: "its deposit is listed",
            trigger: "table.o_kopdes_transactions tbody tr",
        },
        {
            content: "back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "open the loans",
            trigger: "a[href='/my/kopdes/loans']",
            run: "click",
        },
        {
            content: "the principal still owed is shown",
            trigger: "table.o_kopdes_loans td.o_kopdes_principal:contains(3.000.000), table.o_kopdes_loans td.o_kopdes_principal:contains(3,000,000)",
        },
        {
            content: "open the loan",
            trigger: "table.o_kopdes_loans a[href^='/my/kopdes/loans/']",
            run: "click",
        },
        {
            content: "its schedule is listed with the PDF links",
            trigger: "table.o_kopdes_schedule tbody tr:nth-child(10)",
        },
        {
            trigger: "a[href$='/statement']",
        },
        {
            content: "back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "open my data and consents",
            trigger: "a[href='/my/kopdes/consents']",
            run: "click",
        },
        {
            content: "the NIK is masked",
            trigger: "table.o_kopdes_data_held td:contains(•••)",
        },
        {
            content: "grant WhatsApp promotions",
            trigger: "table.o_kopdes_consents tr[data-purpose=whatsapp_promotion] button.o_kopdes_grant",
            run: "click",
        },
        {
            content: "the answer is recorded",
            trigger: ".o_kopdes_consent_saved",
        },
        {
            content: "withdraw the service messages consent",
            trigger: "table.o_kopdes_consents tr[data-purpose=whatsapp_service] button.o_kopdes_withdraw",
            run: "click",
        },
        {
            content: "recorded too; promotions now granted",
            trigger: ".o_kopdes_consent_saved",
        },
        {
            trigger: "table.o_kopdes_consents tr[data-purpose=whatsapp_promotion] button.o_kopdes_withdraw",
        },
    ],
});
