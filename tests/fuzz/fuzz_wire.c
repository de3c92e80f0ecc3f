/*  fuzz_wire.c: libFuzzer harness for the wire decoder (record.c over msgpack-c). Every
    stage decodes what the previous one sent; a message is untrusted whoever sent it. When a
    message decodes, what we encode from it must decode again, to the same bytes. */
#include "fuzz_assert.h"
#include "kulak/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    /* a heap copy of exactly `size` bytes, so a read past the end is caught */
    char *copy = malloc (size ? size : 1);
    memcpy (copy, data, size);
    kulak_record_t *record = NULL;
    char *err = NULL;
    int rc = kulak_record_decode (copy, size, &record, &err);
    FUZZ_ASSERT (rc == 0 || rc == -2, "decode returned %d", rc);
    if (rc == 0) {
        FUZZ_ASSERT (record != NULL && err == NULL, "success without a record");
        FUZZ_ASSERT (record->theme_count <= KULAK_MAX_THEMES, "%zu themes", record->theme_count);
        FUZZ_ASSERT (record->sentiment_evidence_count <= KULAK_MAX_EVIDENCE, "%zu evidence",
                     record->sentiment_evidence_count);
        size_t len1;
        char *wire1 = kulak_record_encode (record, &len1);
        kulak_record_t *again = NULL;
        char *err2 = NULL;
        int rc2 = kulak_record_decode (wire1, len1, &again, &err2);
        FUZZ_ASSERT (rc2 == 0, "re-encoded record does not decode: %s", err2 ? err2 : "?");
        size_t len2;
        char *wire2 = kulak_record_encode (again, &len2);
        FUZZ_ASSERT (len1 == len2 && memcmp (wire1, wire2, len1) == 0,
                     "encode (decode (encode (x))) differs from encode (x)");
        free (wire2);
        free (wire1);
        free (err2);
        kulak_record_destroy (&again);
    }
    else
        FUZZ_ASSERT (record == NULL && err != NULL && *err, "failure without a reason");
    kulak_record_destroy (&record);
    free (err);
    free (copy);
    return 0;
}
