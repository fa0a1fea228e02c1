/*
 * test_admin.c - aero/admin.h through the public API: truncate (set,
 * namespace, before a time, refusals with the server's messages), info to
 * one node and to all, the node list with builds, namespaces, namespace
 * statistics, sets with record counts, cluster size and stability.
 *
 * The first group runs against the harness' server (a 1-node test server,
 * or the real cluster named by AERO_HOSTS, unchanged). The second starts a
 * 3-node, replication-factor 2 test server, so per-node counts must be
 * combined correctly; it is skipped against a real cluster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/admin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static void sleep_ms(unsigned ms) {
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static uint64_t wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put(aero_session *s, const aero_key *k, int64_t v) {
    aero_error err;
    aero_bin_value bins[] = { { "v", aero_int(v) } };
    assert_aero_ok(aero_session_put(s, k, bins, 1, &err), &err);
}

static bool exists(aero_session *s, const aero_key *k) {
    aero_error err;
    bool e = false;
    assert_aero_ok(aero_session_exists(s, k, &e, &err), &err);
    return e;
}

static void write_set(aero_session *s, const char *ns, const char *set, int n) {
    aero_dataset ds = aero_dataset_of(ns, set);
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "r%d", i);
        aero_key k = aero_dataset_id_str(&ds, id);
        put(s, &k, i);
    }
}

/*
 * A truncate removes records last updated before its cut-off, at millisecond
 * resolution on the server's clock: a record written in the same millisecond
 * as a truncate "to now" survives it. Tests leave a few ms between them.
 */
static void settle(void) { sleep_ms(5); }

static void test_truncate_set(void **state) {
    it_env *env = *state;
    char a[64], b[64];
    snprintf(a, sizeof a, "%s", it_name(env, "adm-a"));
    snprintf(b, sizeof b, "%s", it_name(env, "adm-b"));
    write_set(env->session, it_namespace(), a, 5);
    write_set(env->session, it_namespace(), b, 3);
    settle();
    aero_error err;
    assert_aero_ok(aero_client_truncate(env->client, it_namespace(), a, 0, &err), &err);
    aero_dataset da = aero_dataset_of(it_namespace(), a), db = aero_dataset_of(it_namespace(), b);
    aero_key ka = aero_dataset_id_str(&da, "r0"), kb = aero_dataset_id_str(&db, "r0");
    assert_false(exists(env->session, &ka));
    assert_true(exists(env->session, &kb));
    settle();
    assert_aero_ok(aero_client_truncate(env->client, it_namespace(), b, 0, &err), &err);
    assert_false(exists(env->session, &kb));
}

static void test_truncate_before(void **state) {
    it_env *env = *state;
    aero_key old = it_key(env, "adm-old"), young = it_key(env, "adm-young");
    const char *set = env->ds.set;
    put(env->session, &old, 1);
    sleep_ms(30);
    uint64_t cut = wall_ns();
    sleep_ms(30);
    put(env->session, &young, 2);
    aero_error err;
    assert_aero_ok(aero_client_truncate(env->client, it_namespace(), set, cut, &err), &err);
    assert_false(exists(env->session, &old));
    assert_true(exists(env->session, &young));
}

static void test_truncate_refusals(void **state) {
    it_env *env = *state;
    aero_error err;
    /* the server's own refusals, with its messages */
    assert_int_equal(
        aero_client_truncate(env->client, it_namespace(), "adm-x", wall_ns() + 3600ull * 1000000000ull, &err),
        AERO_ERR_PARAMETER);
    assert_string_equal(err.message, "would truncate in the future");
    assert_true(err.node[0] != 0);
    assert_int_equal(aero_client_truncate(env->client, it_namespace(), "adm-x", 1000, &err), AERO_ERR_PARAMETER);
    assert_string_equal(err.message, "would truncate to 0");
    /* refused before sending */
    assert_int_equal(aero_client_truncate(env->client, NULL, "s", 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_client_truncate(env->client, "", "s", 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_client_truncate(env->client, "te;st", NULL, 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_client_truncate(env->client, it_namespace(), "a:b", 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_client_truncate(NULL, it_namespace(), NULL, 0, &err), AERO_ERR_PARAM);
    char longset[80];
    memset(longset, 's', sizeof longset - 1);
    longset[sizeof longset - 1] = 0;
    assert_int_equal(aero_client_truncate(env->client, it_namespace(), longset, 0, &err), AERO_ERR_PARAM);
}

/* A whole-namespace truncate needs a namespace of its own: only on the test server. */
static void test_truncate_namespace(void **state) {
    it_env *env = *state;
    if (env->real)
        skip();
    aero_key k = it_key(env, "adm-ns");
    put(env->session, &k, 1);
    settle();
    aero_error err;
    assert_aero_ok(aero_client_truncate(env->client, it_namespace(), NULL, 0, &err), &err);
    assert_false(exists(env->session, &k));
    /* the server only broadcasts the command: an unknown namespace answers ok */
    assert_aero_ok(aero_client_truncate(env->client, "nosuchns", NULL, 0, &err), &err);
}

static void test_info_node_and_all(void **state) {
    it_env *env = *state;
    aero_error err;
    aero_info_answers *a = NULL;
    assert_aero_ok(aero_client_info_all(env->client, "node", &a, &err), &err);
    size_t n = aero_info_answers_count(a);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        const aero_info_answer *r = aero_info_answers_get(a, i);
        assert_int_equal(r->status, AERO_OK);
        assert_string_equal(r->value, r->node); /* each node answers its own name */
        char v[64];
        assert_aero_ok(aero_client_info_node(env->client, r->node, "node", v, sizeof v, &err), &err);
        assert_string_equal(v, r->node);
    }
    assert_null(aero_info_answers_get(a, n));
    aero_info_answers_free(a);

    /* an ERROR answer of every node: the status of the first, and every answer kept */
    assert_int_equal(aero_client_info_all(env->client, "no-such-command", &a, &err), AERO_ERR_PARAMETER);
    assert_string_equal(err.message, "unrecognized command");
    assert_non_null(a);
    assert_int_equal(aero_info_answers_count(a), n);
    assert_int_equal(aero_info_answers_get(a, 0)->status, AERO_ERR_PARAMETER);
    assert_string_equal(aero_info_answers_get(a, 0)->value, "unrecognized command");
    aero_info_answers_free(a);

    char v[8];
    assert_int_equal(aero_client_info_node(env->client, NULL, "no-such-command", v, sizeof v, &err),
                     AERO_ERR_PARAMETER);
    assert_int_equal(aero_client_info_node(env->client, "NOSUCHNODE", "node", v, sizeof v, &err),
                     AERO_ERR_INVALID_NODE);
    assert_int_equal(aero_client_info_node(env->client, NULL, "a\nb", v, sizeof v, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_client_info_node(env->client, NULL, "build", v, 2, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_client_info_all(env->client, "", &a, &err), AERO_ERR_PARAM);
    assert_null(a);
}

static void test_nodes(void **state) {
    it_env *env = *state;
    aero_error err;
    aero_node_list *l;
    assert_aero_ok(aero_client_nodes(env->client, &l, &err), &err);
    size_t n = aero_node_list_count(l);
    assert_true(n >= 1);
    if (!env->real)
        assert_int_equal(n, aero_testserver_node_count(env->server));
    for (size_t i = 0; i < n; i++) {
        const aero_node_entry *e = aero_node_list_get(l, i);
        assert_true(strlen(e->name) > 0);
        assert_non_null(strchr(e->address, ':'));
        assert_true(e->build[0] >= '1' && e->build[0] <= '9');
        assert_non_null(strchr(e->build, '.'));
        if (!env->real)
            assert_string_equal(e->build, "8.1.2.0");
    }
    assert_null(aero_node_list_get(l, n));
    aero_node_list_free(l);
    aero_node_list_free(NULL);
}

static void test_namespaces_and_stats(void **state) {
    it_env *env = *state;
    aero_error err;
    aero_name_list *names;
    assert_aero_ok(aero_client_namespaces(env->client, &names, &err), &err);
    bool found = false;
    for (size_t i = 0; i < aero_name_list_count(names); i++)
        found = found || strcmp(aero_name_list_get(names, i), it_namespace()) == 0;
    assert_true(found);
    aero_name_list_free(names);

    aero_kv_list *st;
    assert_aero_ok(aero_client_namespace_stats(env->client, NULL, it_namespace(), &st, &err), &err);
    int64_t objects = -1, rf = -1;
    assert_aero_ok(aero_kv_list_int(st, "objects", &objects, &err), &err);
    assert_aero_ok(aero_kv_list_int(st, "replication-factor", &rf, &err), &err);
    assert_true(objects >= 0);
    assert_true(rf >= 1);
    assert_non_null(aero_kv_list_find(st, "strong-consistency"));
    assert_null(aero_kv_list_find(st, "no-such-stat"));
    assert_int_equal(aero_kv_list_int(st, "strong-consistency", &objects, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_kv_list_int(st, "no-such-stat", &objects, &err), AERO_ERR_PARAM);
    assert_true(aero_kv_list_count(st) > 10);
    assert_non_null(aero_kv_list_get(st, 0));
    aero_kv_list_free(st);

    assert_int_equal(aero_client_namespace_stats(env->client, NULL, "nosuchns", &st, &err),
                     AERO_ERR_NAMESPACE_NOT_FOUND);
    assert_null(st);
    assert_int_equal(aero_client_namespace_stats(env->client, NULL, "a/b", &st, &err), AERO_ERR_PARAM);
}

static void test_sets(void **state) {
    it_env *env = *state;
    char set[64];
    snprintf(set, sizeof set, "%s", it_name(env, "adm-sets"));
    write_set(env->session, it_namespace(), set, 7);
    aero_error err;
    aero_set_list *l;
    assert_aero_ok(aero_client_sets(env->client, it_namespace(), &l, &err), &err);
    const aero_set_entry *e = aero_set_list_find(l, it_namespace(), set);
    assert_non_null(e);
    assert_int_equal(e->objects, 7);
    assert_int_equal(e->tombstones, 0);
    assert_null(aero_set_list_find(l, it_namespace(), "no-such-set"));
    aero_set_list_free(l);
    assert_aero_ok(aero_client_sets(env->client, NULL, &l, &err), &err);
    assert_non_null(aero_set_list_find(l, it_namespace(), set));
    aero_set_list_free(l);
    assert_int_equal(aero_client_sets(env->client, "nosuchns", &l, &err), AERO_ERR_NAMESPACE_NOT_FOUND);
    assert_null(l);
    assert_aero_ok(aero_client_truncate(env->client, it_namespace(), set, 0, &err), &err);
}

static void test_cluster_size_and_stable(void **state) {
    it_env *env = *state;
    aero_error err;
    uint32_t size = 0;
    assert_aero_ok(aero_client_cluster_size(env->client, &size, &err), &err);
    aero_node_list *l;
    assert_aero_ok(aero_client_nodes(env->client, &l, &err), &err);
    assert_int_equal(size, aero_node_list_count(l));
    aero_node_list_free(l);

    char key[32];
    assert_aero_ok(aero_client_cluster_stable(env->client, 0, NULL, key, sizeof key, &err), &err);
    assert_true(strlen(key) > 0 && strspn(key, "0123456789ABCDEF") == strlen(key));
    char key2[32];
    assert_aero_ok(aero_client_cluster_stable(env->client, size, it_namespace(), key2, sizeof key2, &err), &err);
    assert_string_equal(key, key2);
    assert_int_equal(aero_client_cluster_stable(env->client, size + 1, NULL, NULL, 0, &err),
                     AERO_ERR_CLUSTER_KEY_MISMATCH);
    assert_string_equal(err.message, "cluster not specified size");
    assert_int_equal(aero_client_cluster_stable(env->client, 0, "nosuchns", NULL, 0, &err),
                     AERO_ERR_NAMESPACE_NOT_FOUND);
    assert_string_equal(err.message, "namespace not found on node");
    assert_int_equal(aero_client_cluster_stable(env->client, 0, NULL, key, 4, &err), AERO_ERR_PARAM);
}

/* ---- a 3-node cluster, replication factor 2 ---- */

static int three_setup(void **state) {
    if (it_hosts()) {
        *state = NULL;
        return 0;
    }
    aero_testserver_config tc;
    aero_testserver_config_init(&tc);
    tc.nodes = 3;
    tc.replication_factor = 2;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    if (!ts) {
        fprintf(stderr, "cannot start a 3-node test server: %s\n", err.message);
        return -1;
    }
    *state = ts;
    return 0;
}

static int three_teardown(void **state) {
    aero_testserver_stop(*state);
    return 0;
}

static aero_client *connect_all(aero_testserver *ts) {
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.tend_interval_ms = 100;
    aero_error err;
    aero_client *c = aero_client_connect(aero_testserver_seeds(ts), &cfg, &err);
    assert_non_null(c);
    for (int i = 0; i < 100; i++) { /* until every node and both replicas are known */
        aero_node_list *l;
        size_t n = aero_client_nodes(c, &l, &err) == AERO_OK ? aero_node_list_count(l) : 0;
        aero_node_list_free(l);
        if (n == 3)
            break;
        sleep_ms(20);
    }
    sleep_ms(250);
    return c;
}

static void test_three_nodes(void **state) {
    aero_testserver *ts = *state;
    if (!ts)
        skip();
    aero_client *c = connect_all(ts);
    aero_error err;
    aero_session *s = aero_client_create_session(c, NULL, &err);
    write_set(s, "test", "three", 30);

    aero_node_list *l;
    assert_aero_ok(aero_client_nodes(c, &l, &err), &err);
    assert_int_equal(aero_node_list_count(l), 3);
    aero_node_list_free(l);
    uint32_t size;
    assert_aero_ok(aero_client_cluster_size(c, &size, &err), &err);
    assert_int_equal(size, 3);

    /* every node counts what it holds; the set list counts each record once */
    aero_info_answers *a;
    assert_aero_ok(aero_client_info_all(c, "sets/test/three", &a, &err), &err);
    assert_int_equal(aero_info_answers_count(a), 3);
    uint64_t sum = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *v = aero_info_answers_get(a, i)->value;
        assert_true(strncmp(v, "objects=", 8) == 0);
        uint64_t one = strtoull(v + 8, NULL, 10);
        assert_true(one > 0 && one < 30);
        sum += one;
    }
    assert_int_equal(sum, 60);
    aero_info_answers_free(a);
    aero_set_list *sets;
    assert_aero_ok(aero_client_sets(c, "test", &sets, &err), &err);
    assert_int_equal(aero_set_list_find(sets, "test", "three")->objects, 30);
    aero_set_list_free(sets);

    /* master objects of the nodes add up to the records */
    int64_t masters = 0;
    assert_aero_ok(aero_client_info_all(c, "node", &a, &err), &err);
    for (size_t i = 0; i < 3; i++) {
        aero_kv_list *st;
        assert_aero_ok(aero_client_namespace_stats(c, aero_info_answers_get(a, i)->value, "test", &st, &err), &err);
        int64_t m;
        assert_aero_ok(aero_kv_list_int(st, "master_objects", &m, &err), &err);
        masters += m;
        aero_kv_list_free(st);
    }
    aero_info_answers_free(a);
    assert_int_equal(masters, 30);

    assert_aero_ok(aero_client_cluster_stable(c, 3, "test", NULL, 0, &err), &err);
    settle();
    assert_aero_ok(aero_client_truncate(c, "test", "three", 0, &err), &err);
    assert_aero_ok(aero_client_sets(c, "test", &sets, &err), &err);
    const aero_set_entry *e = aero_set_list_find(sets, "test", "three");
    assert_true(e == NULL || e->objects == 0);
    aero_set_list_free(sets);
    aero_session_free(s);
    aero_client_close(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncate_set),
        cmocka_unit_test(test_truncate_before),
        cmocka_unit_test(test_truncate_refusals),
        cmocka_unit_test(test_info_node_and_all),
        cmocka_unit_test(test_nodes),
        cmocka_unit_test(test_namespaces_and_stats),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_cluster_size_and_stable),
        cmocka_unit_test(test_truncate_namespace),
    };
    const struct CMUnitTest three[] = {
        cmocka_unit_test(test_three_nodes),
    };
    int failed = cmocka_run_group_tests_name("admin", tests, it_setup, it_teardown);
    failed += cmocka_run_group_tests_name("admin-3-nodes", three, three_setup, three_teardown);
    return failed;
}
