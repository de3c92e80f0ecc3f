/*  lanes.h (private to src/): sixteen bytes as one of GCC's generic vectors (SSE2 on
    x86-64), for the scans that read every byte of every text: text.c's (ASCII prefixes,
    masks, the language detector's words) and the tokenizer's window of lower-case letters.
    A compare of sixteen at once, where eight at a time in an integer took three to five
    instructions a test. A compare gives a lane of all ones where it holds. */
#ifndef KULAK_LANES_H
#define KULAK_LANES_H

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef uint8_t bytes16_t __attribute__ ((vector_size (16)));
typedef int8_t lanes16_t __attribute__ ((vector_size (16)));

static inline bytes16_t
load16 (const uint8_t *p)
{
    bytes16_t v;
    memcpy (&v, p, 16);
    return v;
}

/* One bit per lane of `lanes`, lane 0 the lowest: where a scan wants positions rather
   than a yes or no. (SSE2 has an instruction for it; elsewhere a multiply gathers the top
   bit of each byte of a half into one byte.) */
static inline uint32_t
lane_bits (lanes16_t lanes)
{
#ifdef __SSE2__
    return (uint32_t) _mm_movemask_epi8 ((__m128i) lanes) & 0xFFFF;
#else
    uint64_t half [2];
    memcpy (half, &lanes, 16);
    const uint64_t gather = 0x0002040810204081ULL;
    return (uint32_t) (((half [0] & 0x8080808080808080ULL) * gather) >> 56)
         | (uint32_t) (((half [1] & 0x8080808080808080ULL) * gather) >> 56) << 8;
#endif
}

#endif
