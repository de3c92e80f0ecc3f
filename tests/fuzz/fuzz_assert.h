/*  fuzz_assert.h: FUZZ_ASSERT, the harnesses' check of an invariant. */
#ifndef KULAK_FUZZ_ASSERT_H
#define KULAK_FUZZ_ASSERT_H

#include <stdio.h>
#include <stdlib.h>

/* Crashes on purpose, with a message, so the fuzzer keeps the input. */
#define FUZZ_ASSERT(cond, ...) do { \
    if (!(cond)) { \
        fprintf (stderr, "fuzz invariant failed: %s: ", #cond); \
        fprintf (stderr, __VA_ARGS__); \
        fputc ('\n', stderr); \
        abort (); \
    } \
} while (0)

#endif
