/*
 * alloc_count.h - counting this thread's allocations, for the tests that
 * check a warm path allocates nothing. Include it in exactly one file of a
 * test executable linked with
 *   link_args : ['-Wl,--wrap=malloc', '-Wl,--wrap=calloc', '-Wl,--wrap=realloc']
 * then set `counting` around the code under test and read `allocs`. Only the
 * calling thread counts (the tend thread and an in-process test server
 * allocate as they like).
 */
#ifndef AERO_TEST_ALLOC_COUNT_H
#define AERO_TEST_ALLOC_COUNT_H

#include <stdbool.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);

static _Thread_local bool counting;
static _Thread_local unsigned long allocs;

void *__wrap_malloc(size_t n) {
    allocs += counting;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t a, size_t b) {
    allocs += counting;
    return __real_calloc(a, b);
}
void *__wrap_realloc(void *p, size_t n) {
    allocs += counting;
    return __real_realloc(p, n);
}

#endif
