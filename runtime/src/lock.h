/*
 * lock.h - a mutex for few-instruction critical sections (the connection
 * pool, the write-builder free list, the published partition map). Taking and
 * releasing it uncontended is one atomic operation each, inline; a contended
 * taker spins briefly, then sleeps on a futex, so a holder that was preempted
 * costs waiters no CPU. States: 0 free, 1 held, 2 held
 * with (possible) sleepers. Not recursive; no condition variables.
 */
#ifndef AERO_LOCK_H
#define AERO_LOCK_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct aero_lock {
    atomic_uint state;
} aero_lock;

#define AERO_LOCK_INIT \
    { 0 }

/** Contended path of aero_lock__acquire (out of line). */
void aero_lock__acquire_slow(aero_lock *l);
/** Wake one sleeper (out of line). */
void aero_lock__wake(aero_lock *l);

static inline void aero_lock__init(aero_lock *l) { atomic_init(&l->state, 0); }

static inline void aero_lock__acquire(aero_lock *l) {
    unsigned free_ = 0;
    if (__builtin_expect(
            atomic_compare_exchange_strong_explicit(&l->state, &free_, 1, memory_order_acquire, memory_order_relaxed),
            1))
        return;
    aero_lock__acquire_slow(l);
}

static inline void aero_lock__release(aero_lock *l) {
    if (__builtin_expect(atomic_exchange_explicit(&l->state, 0, memory_order_release) == 2, 0))
        aero_lock__wake(l);
}

#endif
