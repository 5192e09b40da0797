import { patch } from "@web/core/utils/patch";
import { ResPartner } from "@point_of_sale/app/models/res_partner";
import {
    kopdesMemberStateClass,
    kopdesMemberStateLabel,
    kopdesPhoneToE164,
    kopdesPhoneToLocal,
} from "@kopdes_members/utils/member";

patch(ResPartner.prototype, {
    get kopdesIsActiveMember() {
        return this.kopdes_member_state === "active";
    },
    get kopdesMemberStateLabel() {
        return kopdesMemberStateLabel(this.kopdes_member_state);
    },
    get kopdesMemberStateClass() {
        return kopdesMemberStateClass(this.kopdes_member_state);
    },
    get searchString() {
        // member number, and the phones also as 0812... (they are stored as +62812...)
        const extra = [
            this.kopdes_member_number,
            kopdesPhoneToLocal(this.mobile),
            kopdesPhoneToLocal(this.phone),
        ].filter(Boolean);
        return [super.searchString, ...extra].join(" ");
    },
    exactMatch(searchWord) {
        if (super.exactMatch(...arguments)) {
            return true;
        }
        if (!searchWord) {
            return false;
        }
        const number = this.kopdes_member_number || "";
        if (number && number.toUpperCase() === searchWord.toUpperCase()) {
            return true;
        }
        const e164 = kopdesPhoneToE164(searchWord);
        return Boolean(e164) && [this.mobile, this.phone].some((p) => kopdesPhoneToE164(p) === e164);
    },
});
