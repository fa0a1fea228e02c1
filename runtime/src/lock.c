/*
 * lock.c - the contended paths of aero_lock: a short spin, then
 * sleep on the futex word marked "2: someone may sleep" so release wakes one.
 */
#include "lock.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SPINS 64

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

void aero_lock__acquire_slow(aero_lock *l) {
    for (int i = 0; i < SPINS; i++) {
        cpu_relax();
        unsigned c = 0;
        if (atomic_load_explicit(&l->state, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&l->state, &c, 1, memory_order_acquire, memory_order_relaxed))
            return;
    }
    /* announce a sleeper; whoever releases next sees 2 and wakes one */
    while (atomic_exchange_explicit(&l->state, 2, memory_order_acquire) != 0)
        syscall(SYS_futex, &l->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

void aero_lock__wake(aero_lock *l) { syscall(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0); }
