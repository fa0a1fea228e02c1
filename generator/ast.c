/*
 * ast.c - arena and small helpers of the schema syntax tree.
 */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blocks are chained; big requests get a block of their own. */
typedef struct ag_block {
    struct ag_block *next;
    size_t used, cap;
    max_align_t data[];
} ag_block;

struct ag_arena {
    ag_block *head;
};

#define AG_BLOCK_SIZE (64 * 1024)

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fputs("aerogen: out of memory\n", stderr);
        exit(70);
    }
    return p;
}

ag_arena *ag_arena_new(void) {
    ag_arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    return a;
}

void ag_arena_free(ag_arena *a) {
    if (!a)
        return;
    ag_block *b = a->head;
    while (b) {
        ag_block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *ag_arena_alloc(ag_arena *a, size_t n) {
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    ag_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > AG_BLOCK_SIZE ? n : AG_BLOCK_SIZE;
        b = xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *ag_arena_strndup(ag_arena *a, const char *s, size_t n) {
    char *p = ag_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ag_vformat(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    size_t size = n > 0 ? (size_t)n + 1 : 1;
    char *p = xmalloc(size);
    p[0] = '\0';
    if (n > 0)
        vsnprintf(p, size, fmt, ap);
    return p;
}

char *ag_arena_printf(ag_arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *tmp = ag_vformat(fmt, ap);
    va_end(ap);
    char *p = ag_arena_strndup(a, tmp, strlen(tmp));
    free(tmp);
    return p;
}

void ag_schema_init(ag_schema *s, const char *path, ag_arena *a) {
    memset(s, 0, sizeof *s);
    s->path = path;
    s->arena = a;
    s->prefix = "";
    s->records_tail = &s->records;
    s->queries_tail = &s->queries;
    s->indexes_tail = &s->indexes;
    s->docs_tail = &s->docs;
}

static size_t fmt(const ag_type *t, char *buf, size_t size, size_t at) {
#define PUT(str)                \
    do {                        \
        const char *p_ = (str); \
        while (*p_) {           \
            if (at + 1 < size)  \
                buf[at] = *p_;  \
            at++;               \
            p_++;               \
        }                       \
    } while (0)
    PUT(t->name ? t->name : "?");
    if (t->n_args > 0) {
        PUT("<");
        for (int i = 0; i < t->n_args && i < 2; i++) {
            if (i)
                PUT(", ");
            at = fmt(t->args[i], buf, size, at);
        }
        PUT(">");
    }
#undef PUT
    return at;
}

void ag_type_format(const ag_type *t, char *buf, size_t size) {
    if (size == 0)
        return;
    size_t n = fmt(t, buf, size, 0);
    buf[n < size ? n : size - 1] = '\0';
}
