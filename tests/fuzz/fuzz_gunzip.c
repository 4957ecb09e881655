/*
 * fuzz_gunzip.c - libFuzzer target for decompressing .gz and .zst bytes
 * (ql_decompress; data opening as zstd does, 0x28, is read as zstd).
 * Invariants on any input: it returns 0 or one of its error codes; on 0
 * the text is NUL-terminated, within the bound (64 kB here, so a bomb is
 * cut short quickly) and inflating the same bytes again gives the same
 * text; on an error nothing is handed back.
 */
#include "compressed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t max = 64 << 10;
    char *text = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    ql_err_t e = {0};
    const ql_compressed_t kind = size && data[0] == 0x28 ? QL_ZSTD : QL_GZIP; /* zstd's magic */
    const int rc = ql_decompress(kind, (const char *)data, size, max, &text, &len, &e);
    if (rc != 0) {
        if ((rc != QL_DZ_NOMEM && rc != QL_DZ_TOO_LARGE && rc != QL_DZ_BAD) || text || len) abort();
        return 0;
    }
    if (!text || len > max || text[len] != '\0') abort();
    if (ql_decompress(kind, (const char *)data, size, max, &again, &len2, &e) != 0 || len2 != len ||
        memcmp(text, again, len) != 0)
        abort();
    free(text);
    free(again);
    return 0;
}
