/*
 * fuzz_manifest.c - libFuzzer target for the file-list reader
 * (qi_manifest_next): any bytes give records whose path lies inside the
 * text, or a clean refusal; the reader always moves forward; and a record
 * it reads, written again with qi_manifest_add, reads back the same.
 */
#include "buf.h"
#include "manifest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *p = text;
    qi_manifest_rec_t r;
    int more;
    while ((more = qi_manifest_next(&p, &r)) == 1) {
        if (r.relpath < text || r.relpath + r.relpath_len > text + size) abort();
        if (p <= r.relpath || p > text + size) abort();
        if (memchr(r.relpath, '\0', r.relpath_len)) continue; /* not a file name */
        char *name = strndup(r.relpath, r.relpath_len);
        ql_buf_t b = {0};
        if (name) qi_manifest_add(&b, r.root, name, r.size, r.mtime_ns, r.hash);
        ql_buf_addc(&b, '\0');
        const char *q = b.data;
        qi_manifest_rec_t again;
        if (name && !b.oom &&
            (qi_manifest_next(&q, &again) != 1 || again.root != r.root || again.size != r.size ||
             again.mtime_ns != r.mtime_ns || again.hash != r.hash ||
             again.relpath_len != r.relpath_len || memcmp(again.relpath, name, r.relpath_len)))
            abort();
        free(name);
        ql_buf_free(&b);
    }
    if (more == 0 && *p) abort(); /* "the end" only at the end */
    free(text);
    return 0;
}
