import { _t } from "@web/core/l10n/translation";

const PHONE_SEPARATORS = /[\s().\-/]/g;
// an Indonesian number as cashiers type it: 0812..., 812..., 62812..., +62812... or 0285...
// for a landline; the same rule as _LOCAL_PHONE in models/res_partner.py (plus "+62")
const INDONESIAN_PHONE = /^(?:(?:\+62|62|0)?(8\d{5,13})|(?:\+62|62|0)([1-79]\d{6,11}))$/;

/**
 * The E.164 form (+62812...) of a phone number typed in any of the usual Indonesian
 * ways, or null when the text is not such a number. Members' phones are stored in E.164.
 */
export function kopdesPhoneToE164(text) {
    const match = (text || "").replace(PHONE_SEPARATORS, "").match(INDONESIAN_PHONE);
    return match ? `+62${match[1] || match[2]}` : null;
}

/** The local form (0812...) of an Indonesian E.164 number, as people say it. */
export function kopdesPhoneToLocal(e164) {
    const compact = (e164 || "").replace(PHONE_SEPARATORS, "");
    return compact.startsWith("+62") ? `0${compact.slice(3)}` : "";
}

export function kopdesMemberStateLabel(state) {
    const labels = {
        applicant: _t("Applicant"),
        active: _t("Active"),
        suspended: _t("Suspended"),
        resigned: _t("Resigned"),
        deceased: _t("Deceased"),
    };
    return labels[state] || "";
}

export function kopdesMemberStateClass(state) {
    return (
        {
            active: "text-bg-success",
            suspended: "text-bg-warning",
            applicant: "text-bg-info",
        }[state] || "text-bg-secondary"
    );
}
