import { registry } from "@web/core/registry";

/** A loan officer takes an installment at the counter from the loan's form. */
registry.category("web_tour.tours").add("kopdes_financing_payment_tour", {
    steps: () => [
        {
            content: "the loan is active",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Active)",
        },
        {
            content: "register a payment",
            trigger: ".o_form_view button[name=action_open_payment_wizard]",
            run: "click",
        },
        {
            content: "the payment was received on 28 February 2025",
            trigger: ".modal .o_field_widget[name=date] input",
            run: "edit 02/28/2025",
        },
        {
            content: "what is due now is shown",
            trigger: ".modal .o_field_widget[name=amount_overdue]",
        },
        {
            content: "the member pays one installment",
            trigger: ".modal .o_field_widget[name=amount] input",
            run: "edit 112000",
        },
        {
            content: "confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the payment is posted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Posted)",
        },
        {
            content: "with a receipt to print",
            trigger: ".o_form_view button[name=action_print_receipt]",
        },
    ],
});
