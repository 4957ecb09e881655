/*
 * doclibs.h - libzip and libxml2, loaded when the first document is read
 * (dlopen), not when quire starts: with OpenSSL's libcrypto (libzip's) and
 * ICU (libxml2's) they cost milliseconds of every run's start-up, `quire
 * search` included, for files most runs never meet. Include this header
 * instead of <zip.h> and <libxml/xmlreader.h>: each function used below
 * then names its pointer in ql_doclibs, found by dlsym. Call
 * ql_doclibs_load() first; it fails, once and for all, when a library is
 * not installed (such documents are then skipped as unreadable).
 */
#ifndef QUIRE_DOCLIBS_H
#define QUIRE_DOCLIBS_H

#include <libxml/xmlreader.h>
#include <zip.h>

#define QL_DOCLIBS_XML(X)                                                                          \
    X(xmlInitParser)                                                                               \
    X(xmlReaderForMemory)                                                                          \
    X(xmlFreeTextReader)                                                                           \
    X(xmlTextReaderRead)                                                                           \
    X(xmlTextReaderNext)                                                                           \
    X(xmlTextReaderNodeType)                                                                       \
    X(xmlTextReaderIsEmptyElement)                                                                 \
    X(xmlTextReaderConstLocalName)                                                                 \
    X(xmlTextReaderConstNamespaceUri)                                                              \
    X(xmlTextReaderConstValue)                                                                     \
    X(xmlTextReaderGetAttribute)                                                                   \
    X(xmlTextReaderGetAttributeNs)                                                                 \
    X(xmlTextReaderGetParserLineNumber)

#define QL_DOCLIBS_ZIP(X)                                                                          \
    X(zip_error_init)                                                                              \
    X(zip_error_fini)                                                                              \
    X(zip_error_code_zip)                                                                          \
    X(zip_source_buffer_create)                                                                    \
    X(zip_source_free)                                                                             \
    X(zip_open_from_source)                                                                        \
    X(zip_discard)                                                                                 \
    X(zip_name_locate)                                                                             \
    X(zip_stat_index)                                                                              \
    X(zip_fopen_index)                                                                             \
    X(zip_fread)                                                                                   \
    X(zip_fclose)                                                                                  \
    X(zip_strerror)                                                                                \
    X(zip_file_strerror)

/* NOLINTBEGIN(bugprone-macro-parentheses): names pasted as declarators and members */
#define QL_DOCLIBS_MEMBER(name) __typeof__(&name) name;
typedef struct ql_doclibs {
    QL_DOCLIBS_XML(QL_DOCLIBS_MEMBER)
    QL_DOCLIBS_ZIP(QL_DOCLIBS_MEMBER)
    xmlFreeFunc *xml_free; /* libxml2's xmlFree, a variable */
} ql_doclibs_t;
/* NOLINTEND(bugprone-macro-parentheses) */

extern ql_doclibs_t ql_doclibs;

/* Loads both libraries once (thread-safe). 0, or -1 when one is missing;
 * why names it ("libzip.so.4 is not installed"). */
int ql_doclibs_load(const char **why);

#ifndef QL_DOCLIBS_IMPL
#define xmlReaderForMemory ql_doclibs.xmlReaderForMemory
#define xmlFreeTextReader ql_doclibs.xmlFreeTextReader
#define xmlTextReaderRead ql_doclibs.xmlTextReaderRead
#define xmlTextReaderNext ql_doclibs.xmlTextReaderNext
#define xmlTextReaderNodeType ql_doclibs.xmlTextReaderNodeType
#define xmlTextReaderIsEmptyElement ql_doclibs.xmlTextReaderIsEmptyElement
#define xmlTextReaderConstLocalName ql_doclibs.xmlTextReaderConstLocalName
#define xmlTextReaderConstNamespaceUri ql_doclibs.xmlTextReaderConstNamespaceUri
#define xmlTextReaderConstValue ql_doclibs.xmlTextReaderConstValue
#define xmlTextReaderGetAttribute ql_doclibs.xmlTextReaderGetAttribute
#define xmlTextReaderGetAttributeNs ql_doclibs.xmlTextReaderGetAttributeNs
#define xmlTextReaderGetParserLineNumber ql_doclibs.xmlTextReaderGetParserLineNumber
#undef xmlFree
#define xmlFree (*ql_doclibs.xml_free)
#define zip_error_init ql_doclibs.zip_error_init
#define zip_error_fini ql_doclibs.zip_error_fini
#define zip_error_code_zip ql_doclibs.zip_error_code_zip
#define zip_source_buffer_create ql_doclibs.zip_source_buffer_create
#define zip_source_free ql_doclibs.zip_source_free
#define zip_open_from_source ql_doclibs.zip_open_from_source
#define zip_discard ql_doclibs.zip_discard
#define zip_name_locate ql_doclibs.zip_name_locate
#define zip_stat_index ql_doclibs.zip_stat_index
#define zip_fopen_index ql_doclibs.zip_fopen_index
#define zip_fread ql_doclibs.zip_fread
#define zip_fclose ql_doclibs.zip_fclose
#define zip_strerror ql_doclibs.zip_strerror
#define zip_file_strerror ql_doclibs.zip_file_strerror
#endif

#endif
