/*
 * doclibs.c - loading libzip and libxml2 on first use (doclibs.h).
 */
#define QL_DOCLIBS_IMPL
#include "doclibs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

ql_doclibs_t ql_doclibs;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *missing; /* NULL: both loaded */

/* One library by its soname, else its development name. */
static void *open_lib(const char *soname, const char *devname)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    return h ? h : dlopen(devname, RTLD_NOW | RTLD_LOCAL);
}

static void load(void)
{
    void *xml = open_lib("libxml2.so.2", "libxml2.so");
    void *zip = open_lib("libzip.so.4", "libzip.so");
    if (!xml || !zip) {
        missing = !xml ? "libxml2.so.2 is not installed" : "libzip.so.4 is not installed";
        return;
    }
    int all = 1;
/* NOLINTBEGIN(bugprone-macro-parentheses): names pasted as declarators and members */
#define FIND_IN(h, name)                                                                           \
    *(void **)&ql_doclibs.name = dlsym(h, #name);                                                  \
    all &= ql_doclibs.name != NULL;
#define FIND_XML(name) FIND_IN(xml, name)
#define FIND_ZIP(name) FIND_IN(zip, name)
    QL_DOCLIBS_XML(FIND_XML)
    QL_DOCLIBS_ZIP(FIND_ZIP)
    /* NOLINTEND(bugprone-macro-parentheses) */
    ql_doclibs.xml_free = (xmlFreeFunc *)dlsym(xml, "xmlFree");
    if (!all || !ql_doclibs.xml_free) {
        missing = "libxml2 or libzip lacks a function Quire calls";
        return;
    }
    ql_doclibs.xmlInitParser(); /* once, before threads parse */
}

int ql_doclibs_load(const char **why)
{
    pthread_once(&once, load);
    if (why) *why = missing;
    return missing ? -1 : 0;
}
