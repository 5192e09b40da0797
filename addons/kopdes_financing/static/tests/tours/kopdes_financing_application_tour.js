import { registry } from "@web/core/registry";

/** A loan officer records a new application and sees the installment and the schedule
 * while typing, before saving. */
registry.category("web_tour.tours").add("kopdes_financing_application_tour", {
    steps: () => [
        {
            content: "new application",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "type the member's name",
            trigger: ".o_field_widget[name=member_id] input",
            run: "edit Anggota Satu",
        },
        {
            content: "pick the member",
            trigger: ".o_field_widget[name=member_id] .dropdown-item:contains(Anggota Satu)",
            run: "click",
        },
        {
            content: "type the product",
            trigger: ".o_field_widget[name=product_id] input",
            run: "edit Modal Usaha",
        },
        {
            content: "pick the product",
            trigger: ".o_field_widget[name=product_id] .dropdown-item:contains(Modal Usaha (flat))",
            run: "click",
        },
        {
            content: "the product's rate is filled in",
            trigger: ".o_field_widget[name=annual_rate] input:value(/^12/)",
        },
        {
            content: "loan amount",
            trigger: ".o_field_widget[name=amount] input",
            run: "edit 1200000",
        },
        {
            content: "ten installments",
            trigger: ".o_field_widget[name=term] input",
            run: "edit 10",
        },
        {
            content: "go on to the purpose, as the officer would",
            trigger: ".o_field_widget[name=grace_periods] input",
            run: "click",
        },
        {
            content: "the installment shows before saving: 120,000 principal + 12,000 interest",
            trigger: ".o_field_widget[name=installment_amount]:contains(132,000)",
        },
        {
            content: "the schedule has ten rows",
            trigger:
                ".o_field_widget[name=current_line_ids] .o_data_row:nth-child(10):last-child",
        },
        {
            content: "every row is one installment",
            trigger:
                ".o_field_widget[name=current_line_ids] .o_data_row:first-child .o_data_cell[name=total]:contains(132,000)",
        },
        {
            content: "the principal adds up to the loan",
            trigger:
                ".o_field_widget[name=current_line_ids] tfoot:contains(1,200,000)",
        },
        {
            content: "still not saved",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains(New)",
        },
        {
            content: "save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "the application has its number",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains(PB/)",
        },
        {
            content: "the saved schedule has the same ten rows",
            trigger:
                ".o_field_widget[name=current_line_ids] .o_data_row:nth-child(10):last-child .o_data_cell[name=total]:contains(132,000)",
        },
    ],
});
