/*  fuzz_csv.c: libFuzzer harness for the CSV / TSV reader (input.c over libcsv). The first
    byte picks the options (a --map, a forced channel), the rest is the file. */
#include "fuzz_input.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    kulak_input_options_t options = { 0 };
    if (size > 0) {
        if (data [0] & 1)
            options.map = "text=Yorum,customer=Müşteri No,nps=Puan";
        if (data [0] & 2)
            options.channel = KULAK_CHANNEL_REVIEW;
        data++;
        size--;
    }
    return fuzz_read_file (data, size, ".csv", &options);
}
