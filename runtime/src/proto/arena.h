/*
 * proto/arena.h - bump allocator for decoded values.
 *
 * Blocks are kept across aero_arena__reset(), so a record decoded again and
 * again into the same arena stops allocating once it has warmed up.
 */
#ifndef AERO_PROTO_ARENA_H
#define AERO_PROTO_ARENA_H

#include <stddef.h>

typedef struct aero_arena aero_arena;

/** New empty arena, or NULL when out of memory. */
aero_arena *aero_arena__new(void);
/** Free the arena and all its blocks. NULL is a no-op. */
void aero_arena__free(aero_arena *a);
/** Forget every allocation but keep the blocks. */
void aero_arena__reset(aero_arena *a);
/** n bytes aligned for any type, or NULL when out of memory. */
void *aero_arena__alloc(aero_arena *a, size_t n);
/** Copy n bytes and add a NUL; NULL when out of memory. */
char *aero_arena__strndup(aero_arena *a, const void *p, size_t n);

#endif
