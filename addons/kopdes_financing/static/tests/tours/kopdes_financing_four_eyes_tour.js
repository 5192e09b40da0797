import { registry } from "@web/core/registry";

/** A Pengurus who recorded and submitted an application cannot approve it (four eyes):
 * the decision dialog warns, confirming is refused and the loan still waits. */
registry.category("web_tour.tours").add("kopdes_financing_four_eyes_tour", {
    steps: () => [
        {
            content: "the application waits for approval",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Waiting for Approval)",
        },
        {
            content: "approve",
            trigger: ".o_form_view button[name=action_open_approve_wizard]",
            run: "click",
        },
        {
            content: "the dialog says who prepared it and warns",
            trigger: ".modal .alert-warning:contains(four eyes)",
        },
        {
            content: "the preparer is shown",
            trigger: ".modal .o_field_widget[name=prepared_by_id]:contains(Ketua Pengurus)",
        },
        {
            content: "write a reason",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Saya kenal anggotanya",
        },
        {
            content: "confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "refused in Indonesian-translatable words: another committee member",
            trigger: ".o_error_dialog:contains(another committee member)",
        },
        {
            content: "close the message",
            trigger: ".o_error_dialog .o-default-button",
            run: "click",
        },
    ],
});
