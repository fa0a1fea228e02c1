/*
 * diag.c - collect diagnostics, then print them sorted, quoting the source.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct ag_diag_item {
    ag_severity sev;
    ag_loc loc;
    char *msg;
    int parent; /* index of the diagnostic a note belongs to, -1 for others */
    int seq;
} ag_diag_item;

struct ag_diags {
    const char *path;
    const char *src;
    size_t len;
    ag_diag_item *items;
    int n, cap;
    int errors, warnings;
    int last_main; /* index of the last non-note, -1 if none or it was dropped */
    bool werror, quiet;
    int dropped; /* diagnostics over AG_DIAG_MAX, counted but not kept */
};

/* Enough for any real schema; keeps a hostile input from printing forever. */
#define AG_DIAG_MAX 200

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fputs("aerogen: out of memory\n", stderr);
        exit(70);
    }
    return q;
}

ag_diags *ag_diags_new(const char *path, const char *src, size_t len) {
    ag_diags *d = xrealloc(NULL, sizeof *d);
    memset(d, 0, sizeof *d);
    d->path = path;
    d->src = src;
    d->len = len;
    d->last_main = -1;
    return d;
}

static void clear(ag_diags *d) {
    for (int i = 0; i < d->n; i++)
        free(d->items[i].msg);
    d->n = 0;
    d->last_main = -1;
}

void ag_diags_free(ag_diags *d) {
    if (!d)
        return;
    clear(d);
    free(d->items);
    free(d);
}

void ag_diags_set_werror(ag_diags *d, bool on) { d->werror = on; }
void ag_diags_set_quiet(ag_diags *d, bool on) { d->quiet = on; }
int ag_diags_errors(const ag_diags *d) { return d->errors; }
int ag_diags_warnings(const ag_diags *d) { return d->warnings; }

void ag_diag(ag_diags *d, ag_severity sev, ag_loc loc, const char *fmt, ...) {
    if (sev == AG_WARNING && d->werror)
        sev = AG_ERROR;
    if (sev == AG_WARNING && d->quiet) {
        d->last_main = -1;
        return;
    }
    if (sev == AG_NOTE && d->last_main < 0)
        return;
    if (sev == AG_ERROR)
        d->errors++;
    else if (sev == AG_WARNING)
        d->warnings++;
    if (d->n >= AG_DIAG_MAX) {
        if (sev != AG_NOTE)
            d->dropped++;
        d->last_main = -1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = ag_vformat(fmt, ap);
    va_end(ap);

    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, (size_t)d->cap * sizeof *d->items);
    }
    ag_diag_item *it = &d->items[d->n];
    it->sev = sev;
    it->loc = loc;
    it->msg = msg;
    it->seq = d->n;
    it->parent = sev == AG_NOTE ? d->last_main : -1;
    if (sev != AG_NOTE)
        d->last_main = d->n;
    d->n++;
}

/* Sort key of an item: its own position, or its parent's for a note. */
static int cmp_items(const void *pa, const void *pb, const ag_diag_item *all) {
    const ag_diag_item *a = pa, *b = pb;
    const ag_diag_item *ra = a->parent >= 0 ? &all[a->parent] : a;
    const ag_diag_item *rb = b->parent >= 0 ? &all[b->parent] : b;
    if (ra->loc.line != rb->loc.line)
        return ra->loc.line < rb->loc.line ? -1 : 1;
    if (ra->loc.col != rb->loc.col)
        return ra->loc.col < rb->loc.col ? -1 : 1;
    if (ra->seq != rb->seq)
        return ra->seq < rb->seq ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Insertion sort: stable, no global for a qsort context, and n is small. */
static void sort_items(ag_diag_item *v, int n, const ag_diag_item *all) {
    for (int i = 1; i < n; i++) {
        ag_diag_item x = v[i];
        int j = i - 1;
        while (j >= 0 && cmp_items(&v[j], &x, all) > 0) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

/* Start and length of line `line` (1-based) in the source, or false. */
static bool find_line(const ag_diags *d, int line, const char **start, size_t *len) {
    if (!d->src || line < 1)
        return false;
    const char *p = d->src, *end = d->src + d->len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    if (!nl && n == 0 && p == end && line > 1)
        return false;
    *start = p;
    *len = n;
    return true;
}

static void print_quote(const ag_diags *d, const ag_diag_item *it, FILE *out) {
    const char *line;
    size_t n;
    if (!find_line(d, it->loc.line, &line, &n))
        return;
    /* Both lines are built in memory and written at once (stderr is unbuffered). */
    size_t col = it->loc.col > 0 ? (size_t)it->loc.col - 1 : 0;
    if (col > n)
        col = n;
    size_t len = it->loc.len > 1 ? (size_t)it->loc.len : 1;
    char *buf = malloc(2 * n + len + 64);
    if (!buf)
        return;
    size_t o = (size_t)snprintf(buf, 32, "%5d | ", it->loc.line);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)line[i];
        buf[o++] = (char)(c == '\t' || c >= 0x20 ? c : ' ');
    }
    memcpy(buf + o, "\n      | ", 9);
    o += 9;
    for (size_t i = 0; i < col; i++)
        buf[o++] = line[i] == '\t' ? '\t' : ' ';
    buf[o++] = '^';
    for (size_t i = 1; i < len && col + i < n; i++)
        buf[o++] = '~';
    buf[o++] = '\n';
    fwrite(buf, 1, o, out);
    free(buf);
}

void ag_diags_flush(ag_diags *d, FILE *out) {
    if (d->n == 0)
        return;
    ag_diag_item *v = xrealloc(NULL, (size_t)d->n * sizeof *v);
    memcpy(v, d->items, (size_t)d->n * sizeof *v);
    sort_items(v, d->n, d->items);
    static const char *const names[] = { "note", "warning", "error" };
    for (int i = 0; i < d->n; i++) {
        const ag_diag_item *it = &v[i];
        if (it->loc.line > 0)
            fprintf(out, "%s:%d:%d: %s: %s\n", d->path, it->loc.line, it->loc.col, names[it->sev], it->msg);
        else
            fprintf(out, "%s: %s: %s\n", d->path, names[it->sev], it->msg);
        if (it->loc.line > 0)
            print_quote(d, it, out);
    }
    if (d->dropped)
        fprintf(out, "%s: note: %d more diagnostics not shown\n", d->path, d->dropped);
    d->dropped = 0;
    free(v);
    clear(d);
}
