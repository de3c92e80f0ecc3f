/*  fuzz_input.h: what the CSV and JSON Lines harnesses share. The input reader takes a
    path, so the fuzz bytes go to a file first (one per process, rewritten each run); every
    record that comes out must survive the wire (encode, then decode), because collect sends
    exactly these records to the next stage. */
#ifndef KULAK_FUZZ_INPUT_H
#define KULAK_FUZZ_INPUT_H

#include "fuzz_assert.h"
#include "kulak/input.h"
#include "kulak/normalize.h"
#include "kulak/record.h"
#include "kulak/text.h"
#include "kulak/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
fuzz_check_record (kulak_record_t *record)
{
    FUZZ_ASSERT (strlen (record->id) == KULAK_ID_LEN, "id '%s'", record->id);
    if (!record->quarantine_reason) {
        FUZZ_ASSERT (record->channel != KULAK_CHANNEL_NONE, "a record without a channel");
        FUZZ_ASSERT (record->text && kulak_text_is_utf8 (record->text, strlen (record->text)),
                     "record text is not UTF-8");
    }
    else
        FUZZ_ASSERT (record->origin != NULL, "quarantine entry without origin");
    size_t len;
    char *wire = kulak_record_encode (record, &len);
    kulak_record_t *decoded = NULL;
    char *err = NULL;
    int rc = kulak_record_decode (wire, len, &decoded, &err);
    FUZZ_ASSERT (rc == 0, "a record from input does not decode: %s", err ? err : "?");
    kulak_record_destroy (&decoded);
    free (err);
    free (wire);
    /* what the normalize stage does next must not crash either */
    kulak_normalize (record, KULAK_LANG_TR);
    if (!record->quarantine_reason)
        FUZZ_ASSERT (kulak_text_is_utf8 (record->norm_text, strlen (record->norm_text)),
                     "norm_text is not UTF-8");
}

/* Writes the bytes to a per-process file with the given suffix and reads every record. */
static int
fuzz_read_file (const uint8_t *data, size_t size, const char *suffix,
                const kulak_input_options_t *options)
{
    char path [128];
    snprintf (path, sizeof path, "/tmp/kulak-fuzz-%d%s", (int) getpid (), suffix);
    FILE *file = fopen (path, "wb");
    if (!file)
        return 0;
    fwrite (data, 1, size, file);
    fclose (file);
    char *err = NULL;
    kulak_input_t *input = kulak_input_open (path, options, &err);
    if (input) {
        kulak_record_t *record;
        int rc;
        size_t count = 0;
        while ((rc = kulak_input_next (input, &record, &err)) == 1) {
            FUZZ_ASSERT (record != NULL, "next returned 1 without a record");
            fuzz_check_record (record);
            kulak_record_destroy (&record);
            FUZZ_ASSERT (++count <= size + 1, "more records than bytes");
        }
        FUZZ_ASSERT (rc == 0 || err != NULL, "-1 without a reason");
        kulak_input_close (&input);
    }
    free (err);
    unlink (path);
    return 0;
}

#endif
