/*
 * emit_text.c - the emitter's text buffer and the C spellings of strings and comments.
 */
#include "emit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffer ---- */

static void reserve(ag_buf *b, size_t more) {
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("aerogen: out of memory\n", stderr);
        exit(70);
    }
    b->p = p;
    b->cap = cap;
}

void ag_put(ag_buf *b, const char *s) {
    size_t n = strlen(s);
    reserve(b, n);
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

void ag_putf(ag_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = ag_vformat(fmt, ap);
    va_end(ap);
    ag_put(b, text);
    free(text);
}

void ag_buf_free(ag_buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* A C string literal of n bytes: printable ASCII as is, the rest as 3-digit octal. */
void ag_put_cstr(ag_buf *b, const char *s, size_t n) {
    ag_put(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            ag_putf(b, "\\%c", c);
        else if (c == '?' && i > 0 && s[i - 1] == '?')
            ag_put(b, "\\?"); /* never a trigraph */
        else if (c >= 0x20 && c < 0x7f)
            ag_putf(b, "%c", c);
        else
            ag_putf(b, "\\%03o", c);
    }
    ag_put(b, "\"");
}

/* Comment text: the bytes, with "*" "/" broken up and control bytes dropped. */
void ag_put_comment(ag_buf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '*' && i + 1 < n && s[i + 1] == '/')
            ag_put(b, "* ");
        else if (c == '?' && i > 0 && s[i - 1] == '?')
            ag_put(b, " ?"); /* never a trigraph */
        else if (c == '\n' || c == '\t')
            ag_put(b, " ");
        else if (c >= 0x20 && c != 0x7f)
            ag_putf(b, "%c", c);
    }
}

/* Documentation block from `///` lines, with the given indent. */
void ag_put_doc(ag_buf *b, const char *doc, const char *indent) {
    if (!doc)
        return;
    ag_putf(b, "%s/**\n", indent);
    const char *p = doc;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        ag_putf(b, "%s *%s", indent, n ? " " : "");
        ag_put_comment(b, p, n);
        ag_put(b, "\n");
        p += n;
        if (*p == '\n')
            p++;
    }
    ag_putf(b, "%s */\n", indent);
}
