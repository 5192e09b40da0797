import { registry } from "@web/core/registry";

/** A teller records a deposit on simpanan sukarela by typing the member number. */
registry.category("web_tour.tours").add("kopdes_savings_teller_tour", {
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
            content: "choose simpanan sukarela",
            trigger: ".o_field_widget[name=kind] .o_radio_item:contains(Simpanan Sukarela) input",
            run: "click",
        },
        {
            content: "the member's sukarela account is found",
            trigger: ".o_field_widget[name=account_id] input:value(/^SS-AGT-00001/)",
        },
        {
            content: "amount",
            trigger: ".o_field_widget[name=amount] input",
            run: "edit 50000",
        },
        {
            content: "post",
            trigger: ".o_form_view button[name=action_post]",
            run: "click",
        },
        {
            content: "the deposit is posted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Posted)",
        },
        {
            content: "and has a receipt to print",
            trigger: ".o_form_view button[name=action_print_receipt]",
        },
    ],
});

/** A manager looks at a member's savings and opens the exit settlement (without confirming). */
registry.category("web_tour.tours").add("kopdes_savings_member_form_tour", {
    steps: () => [
        {
            content: "the savings smart button shows the total",
            trigger: "button[name=action_view_savings_accounts]:contains(Savings)",
        },
        {
            content: "open the savings page",
            trigger: ".o_notebook .nav-link:contains(Savings)",
            run: "click",
        },
        {
            content: "balances by kind are shown",
            trigger: ".o_field_widget[name=savings_balance_wajib]:contains(Rp)",
        },
        {
            content: "open the exit settlement",
            trigger: ".o_statusbar_buttons button[name=action_open_exit_wizard]",
            run: "click",
        },
        {
            content: "the wizard lists the member's accounts and the refund",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row",
        },
        {
            content: "the refund is shown",
            trigger: ".modal .o_field_widget[name=net_refund]:contains(Rp)",
        },
        {
            content: "cancel",
            trigger: ".modal .modal-footer button:contains(Cancel)",
            run: "click",
        },
        {
            content: "the member is still active",
            // the container: with many header buttons the status bar folds its steps away
            trigger: ".o_statusbar_status:has(button.o_arrow_button_current:contains(Active))",
        },
    ],
});
