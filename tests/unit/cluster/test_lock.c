/*
 * Unit tests for lock.h: mutual exclusion under contention (more
 * threads than cores, so holders get preempted and takers sleep on the
 * futex), and a holder that keeps the lock long enough for takers to sleep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <pthread.h>
#include <time.h>

#include "lock.h"

#define THREADS 8
#define ROUNDS  200000

typedef struct shared {
    aero_lock lock;
    uint64_t counter; /* plain: only the lock protects it */
    uint64_t inside;  /* holders at once, must stay 1 */
    uint64_t overlap; /* times a taker saw another holder */
} shared;

static void *hammer(void *arg) {
    shared *s = arg;
    for (int i = 0; i < ROUNDS; i++) {
        aero_lock__acquire(&s->lock);
        if (++s->inside != 1)
            s->overlap++;
        s->counter++;
        s->inside--;
        aero_lock__release(&s->lock);
    }
    return NULL;
}

static void test_exclusion_under_contention(void **state) {
    (void)state;
    shared s = { .lock = AERO_LOCK_INIT };
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &s), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(s.counter, (uint64_t)THREADS * ROUNDS);
    assert_int_equal(s.overlap, 0);
    assert_int_equal(atomic_load(&s.lock.state), 0);
}

static void *take_once(void *arg) {
    shared *s = arg;
    aero_lock__acquire(&s->lock);
    s->counter++;
    aero_lock__release(&s->lock);
    return NULL;
}

static void test_sleepers_are_woken(void **state) {
    (void)state;
    shared s = { .lock = AERO_LOCK_INIT };
    aero_lock__acquire(&s.lock);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, take_once, &s), 0);
    /* a taker that ran out of spins marks the lock "sleepers" and sleeps (allow a loaded machine 2 s) */
    struct timespec ts = { 0, 10 * 1000000 };
    for (int i = 0; i < 200 && atomic_load(&s.lock.state) != 2; i++)
        nanosleep(&ts, NULL);
    assert_int_equal(atomic_load(&s.lock.state), 2);
    nanosleep(&ts, NULL);
    assert_int_equal(s.counter, 0);
    aero_lock__release(&s.lock);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(s.counter, 4);
    assert_int_equal(atomic_load(&s.lock.state), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exclusion_under_contention),
        cmocka_unit_test(test_sleepers_are_woken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
