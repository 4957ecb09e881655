/*
 * http_page.c - the search page of `quire serve --http` (http.h): three
 * files from cli/page/, built into the binary (the Makefile writes them as
 * byte arrays into $(BUILD)/gen/page.c), served at /, /app.js and
 * /app.css. The page's Content-Security-Policy allows its own script,
 * style and API calls and nothing else: no inline script, no other origin.
 */
#include "http.h"

#include <string.h>

/* $(BUILD)/gen/page.c */
extern const unsigned char qc_page_index_html[], qc_page_app_js[], qc_page_app_css[];
extern const size_t qc_page_index_html_len, qc_page_app_js_len, qc_page_app_css_len;

#define PAGE_CSP                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "                \
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

int qc_http_page(const char *path, qc_http_reply_t *r)
{
    const unsigned char *data = NULL;
    size_t len = 0;
    if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
        data = qc_page_index_html;
        len = qc_page_index_html_len;
        r->type = "text/html; charset=utf-8";
    } else if (!strcmp(path, "/app.js")) {
        data = qc_page_app_js;
        len = qc_page_app_js_len;
        r->type = "text/javascript; charset=utf-8";
    } else if (!strcmp(path, "/app.css")) {
        data = qc_page_app_css;
        len = qc_page_app_css_len;
        r->type = "text/css; charset=utf-8";
    } else {
        return 0;
    }
    r->status = 200;
    r->csp = PAGE_CSP;
    qc_text_add(&r->body, data, len);
    return 1;
}
