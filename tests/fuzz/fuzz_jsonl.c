/*  fuzz_jsonl.c: libFuzzer harness for the JSON Lines reader (input.c over jansson). The
    first byte picks the options, the rest is the file. */
#include "fuzz_input.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    kulak_input_options_t options = { 0 };
    if (size > 0) {
        if (data [0] & 1)
            options.map = "text=Yorum,time=Tarih";
        if (data [0] & 2)
            options.channel = KULAK_CHANNEL_SOCIAL;
        data++;
        size--;
    }
    return fuzz_read_file (data, size, ".jsonl", &options);
}
