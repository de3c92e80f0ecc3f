/*  normalize.c: UTF-8 repair, masking, NFKC and language identification of a record
    (see normalize.h). */
#include "kulak/normalize.h"
#include "kulak/text.h"
#include "kulak/util.h"
#include "charclass.h"

#include <stdlib.h>
#include <string.h>

int
kulak_normalize (kulak_record_t *record, kulak_lang_t fallback)
{
    if (record->quarantine_reason)
        return 0;                        /* raw input is kept as it came, for inspection */
    if (record->norm_text == record->text)
        record->norm_text = NULL;        /* shared by the last call: the text changes below */
    if (!record->text)
        record->text = kulak_strdup ("");
    int masked = 0, again = 0;
    /* A text of ASCII alone (most English ones) is valid UTF-8 and its own NFKC, and stays
       so when masked (masks are ASCII): one pass over it says all that, and whether it has
       an '&' (masks have none) for the entities below. */
    size_t len = strlen (record->text);
    size_t plain = kulak_text_plain_prefix (record->text, len);
    size_t ascii = plain == len || (uint8_t) record->text [plain] >= 0x80
                 ? plain : plain + kulak_text_ascii_prefix (record->text + plain, len - plain);
    if (ascii < len && !kulak_text_is_utf8 (record->text + ascii, len - ascii)) {
        char *fixed = kulak_text_to_utf8 (record->text, len, NULL);
        free (record->text);
        record->text = fixed;
        len = strlen (fixed);
    }
    char *masked_text = kulak_mask_pii_or_null (record->text, len, &masked);
    if (masked_text) {
        free (record->text);
        record->text = masked_text;
    }

    free (record->norm_text);
    if (ascii == len || kulak_text_is_own_nfkc (record->text))
        /* NFKC changes nothing, so masking again finds what the first pass found: nothing,
           or what is left after its masks. Unmasked, the normalized text is the text itself,
           shared, not a copy (see record.h): most texts, a copy and a free each. */
        record->norm_text = masked ? kulak_text_mask_pii (record->text, &again)
                                   : record->text;
    else {
        char *nfkc = kulak_text_nfkc (record->text);
        record->norm_text = kulak_text_mask_pii (nfkc, &again);
        free (nfkc);
        if (again > 0) {
            /* NFKC showed personal data the raw text hid (full-width digits, ...): the
               stored text must not keep it, so it becomes the masked normalized text. */
            free (record->text);
            record->text = kulak_strdup (record->norm_text);
        }
    }

    /* (the normalized text's length where it is the text as measured above, most texts) */
    size_t norm_len = record->norm_text == record->text && !masked_text ? len : SIZE_MAX;
    if (plain < len && strchr (record->norm_text, '&')) {
        /* Scraped feeds write "&gt;" and "&#39;": compare what the customer typed. */
        bool changed = false;
        char *decoded = kulak_text_decode_entities (record->norm_text, &changed);
        if (changed) {
            if (record->norm_text != record->text)
                free (record->norm_text);
            int more = 0;
            record->norm_text = kulak_text_mask_pii (decoded, &more);
            norm_len = SIZE_MAX;
            again += more;
            if (more > 0) {              /* "ali&#64;example.com": the stored text too */
                free (record->text);
                record->text = kulak_strdup (record->norm_text);
            }
        }
        free (decoded);
    }
    if (record->lang == KULAK_LANG_UNKNOWN) {
        /* The text measured above, whose first byte that is not plain ASCII is >= 0x80
           rather than an '&' (a repair keeps such a byte >= 0x80), is not ASCII alone:
           the detector skips its pass for ASCII texts. */
        bool wide = norm_len != SIZE_MAX && plain < len
                    && (uint8_t) record->norm_text [plain] >= 0x80;
        if (norm_len == SIZE_MAX)
            norm_len = strlen (record->norm_text);
        kulak_lang_t lang = wide ? kulak_detect_lang_wide (record->norm_text, NULL)
                                 : kulak_detect_lang_len (record->norm_text, norm_len, NULL);
        record->lang = lang == KULAK_LANG_UNKNOWN ? fallback : lang;
        record->lang_guessed = lang == KULAK_LANG_UNKNOWN;
    }
    return masked + again;
}
