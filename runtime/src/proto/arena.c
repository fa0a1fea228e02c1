/*
 * proto/arena.c - bump allocator for decoded values.
 *
 * A chain of blocks. Allocation bumps an offset in the current block; when it
 * does not fit, the next kept block that is large enough is used, otherwise a
 * new block (at least double the last one, or the request itself if larger)
 * is linked in after the current one. Reset rewinds to the first block and
 * keeps everything, so steady-state decoding does not call malloc.
 */
#include "proto/arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN       (alignof(max_align_t))
#define ARENA_FIRST_BLOCK 4096u

typedef struct block {
    struct block *next;
    size_t cap;
    size_t used;
    alignas(max_align_t) unsigned char data[];
} block;

struct aero_arena {
    block *first;
    block *cur;
    size_t next_size;
};

aero_arena *aero_arena__new(void) {
    aero_arena *a = calloc(1, sizeof *a);
    if (a)
        a->next_size = ARENA_FIRST_BLOCK;
    return a;
}

void aero_arena__free(aero_arena *a) {
    if (!a)
        return;
    for (block *b = a->first; b;) {
        block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void aero_arena__reset(aero_arena *a) {
    if (!a)
        return;
    for (block *b = a->first; b; b = b->next)
        b->used = 0;
    a->cur = a->first;
}

static void *bump(block *b, size_t n) {
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void *aero_arena__alloc(aero_arena *a, size_t n) {
    if (!a)
        return NULL;
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    block *b = a->cur;
    if (b && b->cap - b->used >= n)
        return bump(b, n);
    /* Blocks after cur are free (reset, or skipped earlier): use one that fits. */
    if (b) {
        for (block *nb = b->next; nb; nb = nb->next) {
            if (nb->cap - nb->used >= n) {
                a->cur = nb;
                return bump(nb, n);
            }
        }
    }
    size_t cap = a->next_size;
    if (cap < n)
        cap = n;
    if (cap > SIZE_MAX - sizeof(block))
        return NULL;
    block *nb = malloc(sizeof(block) + cap);
    if (!nb)
        return NULL;
    nb->cap = cap;
    nb->used = 0;
    if (b) {
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = a->first;
        a->first = nb;
    }
    a->cur = nb;
    if (a->next_size < (size_t)1 << 24)
        a->next_size *= 2;
    return bump(nb, n);
}

char *aero_arena__strndup(aero_arena *a, const void *p, size_t n) {
    if (n == SIZE_MAX)
        return NULL;
    char *s = aero_arena__alloc(a, n + 1);
    if (!s)
        return NULL;
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}
