import { registry } from "@web/core/registry";

/** A teller records a withdrawal above the approval limit: it gets its number and says
 * clearly that it waits for a manager. */
registry.category("web_tour.tours").add("kopdes_savings_approval_tour", {
    steps: () => [
        {
            content: "type the member number",
            trigger: ".o_field_widget[name=member_id] input",
            run: "edit AGT-00001",
        },
        {
            content: "pick the member",
            trigger: ".o_field_widget[name=member_id] .dropdown-item:contains(Slamet Riyadi)",
            run: "click",
        },
        {
            content: "the member's sukarela account is found",
            trigger: ".o_field_widget[name=account_id] input:value(/^SS-AGT-00001/)",
        },
        {
            content: "amount above the approval limit",
            trigger: ".o_field_widget[name=amount] input",
            run: "edit 1500000",
        },
        {
            content: "post",
            trigger: ".o_form_view button[name=action_post]",
            run: "click",
        },
        {
            content: "the withdrawal waits for approval",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(To Approve)",
        },
        {
            content: "and says so",
            trigger: ".o_form_view .alert-warning:contains(waits for a manager)",
        },
        {
            content: "it has its number, not '/'",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains(/2)",
        },
        {
            content: "the teller cannot approve it",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_approve]))",
        },
    ],
});
