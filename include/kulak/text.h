/*  text.h: turning untrusted bytes into comparable Turkish and English text.

    - kulak_text_to_utf8: any bytes to valid UTF-8. Valid UTF-8 sequences stay; every byte
      that is not part of one is read as Windows-1254 (the Turkish legacy code page, a
      superset of ISO-8859-9's printable range), so a legacy file or a single stray byte
      never costs the rest of the record.
    - kulak_text_nfkc: Unicode NFKC through utf8proc.
    - kulak_text_fold: lower case that knows Turkish: İ->i and I->ı for Turkish, I->i for
      English. utf8proc's own case fold is not used for Turkish because it maps İ to
      "i̇" (i + U+0307) and I to i.
    - kulak_text_detect_lang: tr / en from letters, function words and suffixes.
    - kulak_text_mask_pii: e-mail addresses, phone numbers, IBANs and card numbers become
      [email], [phone], [iban], [card] before text is stored or printed. */
#ifndef KULAK_TEXT_H
#define KULAK_TEXT_H

#include "kulak/record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

char *kulak_text_to_utf8 (const char *bytes, size_t len, bool *repaired);
bool kulak_text_is_utf8 (const char *bytes, size_t len);
char *kulak_text_nfkc (const char *utf8);
char *kulak_text_fold (const char *utf8, kulak_lang_t lang);
/* Turkish letters without their marks: ç->c ğ->g ı->i ö->o ş->s ü->u (also â î û). */
char *kulak_text_ascii_fold (const char *folded);
/* Squeezes runs of 3+ equal letters to `keep` (1 or 2) letters; returns a new string. */
char *kulak_text_squeeze (const char *folded, int keep, bool *changed);
/* KULAK_LANG_UNKNOWN when nothing, or as much for either language, points either way. */
kulak_lang_t kulak_text_detect_lang (const char *utf8, double *confidence);
char *kulak_text_mask_pii (const char *utf8, int *masked_count);
/* The language the spelling of some words alone points to, for a text whose words gave the
   detector and the lexicons no clue ("Stormy weather", "quirky?"): English for letters
   Turkish does not write (q w x), its digraphs (th sh ck ph) and a word that ends in a
   consonant and s (not l n r k p s: "kurs", "cips") or y, not doubled ("problems", "tiny",
   not "ayy"), two such clues more than Turkish ones at least; Turkish for its own letters
   (ç ğ ı ö ş ü); else KULAK_LANG_UNKNOWN. Give it words, not masks or acronyms: "[phone]" has
   a "ph", "THY" a "th". */
kulak_lang_t kulak_text_spelling_lang (const char *utf8);

/* HTML entities as scraped feeds carry them (&amp; &gt; &#39; &#x1F600;) decoded. */
char *kulak_text_decode_entities (const char *utf8, bool *changed);

/* Bytes of `text` before its first byte that is not ASCII (all `len` when there is none). */
size_t kulak_text_ascii_prefix (const char *text, size_t len);
/* Bytes of `text` before its first byte that is not ASCII or is an '&' (which may start an
   HTML entity): all `len` when the text is ASCII without one, in one pass. */
size_t kulak_text_plain_prefix (const char *text, size_t len);
/* Code point count of a UTF-8 string's first `bytes` bytes. */
uint32_t kulak_utf8_count (const char *utf8, size_t bytes);

#endif
