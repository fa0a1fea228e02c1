/*
 * test_conformance.c - replay every request of tests/data/wire/kv-basics.jsonl (real
 * Aerospike 8.1 CE answers) against aero-testserver, in order, one
 * connection each, and compare the answers as the transcripts README says:
 * void time only as zero / non-zero, info values naming the node / build /
 * addresses skipped, the records of a scan compared as a set, cleanup steps
 * (whose answer depends on earlier state) not compared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/testserver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsclient.h"

#ifndef TRANSCRIPT
#error "TRANSCRIPT must name kv-basics.jsonl"
#endif

/* ---- a minimal reader for the transcript's fixed JSON shape ---- */

static char *json_str(const char *line, const char *key, const char **after) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(line, pat);
    if (!p)
        return NULL;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    if (!e)
        return NULL;
    char *s = malloc((size_t)(e - p) + 1);
    memcpy(s, p, (size_t)(e - p));
    s[e - p] = 0;
    if (after)
        *after = e + 1;
    return s;
}

static uint8_t *unhex(const char *h, size_t *n) {
    size_t l = strlen(h) / 2;
    uint8_t *b = malloc(l + 1);
    for (size_t i = 0; i < l; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        b[i] = (uint8_t)v;
    }
    *n = l;
    return b;
}

static char *tohex(const uint8_t *p, size_t n) {
    char *s = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        sprintf(s + 2 * i, "%02x", p[i]);
    s[2 * n] = 0;
    return s;
}

/* "03:<hex>" with the void time reduced to 0/1 */
static char *normalize(const char *ans) {
    char *s = strdup(ans);
    if (strncmp(s, "03:", 3) == 0 && strlen(s) >= 3 + 28) {
        char *vt = s + 3 + 20;
        bool nz = strncmp(vt, "00000000", 8) != 0;
        memcpy(vt, nz ? "00000001" : "00000000", 8);
    }
    return s;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct answers {
    char *v[512];
    size_t n;
} answers;

static void answers_free(answers *a) {
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    a->n = 0;
}

static void read_expected(const char *line, answers *a) {
    const char *p = strstr(line, "\"answers\": [");
    a->n = 0;
    if (!p)
        return;
    p += 12;
    while (*p && *p != ']' && a->n < 512) {
        const char *q = strchr(p, '"');
        if (!q)
            break;
        const char *e = strchr(q + 1, '"');
        if (!e)
            break;
        char *s = malloc((size_t)(e - q));
        memcpy(s, q + 1, (size_t)(e - q - 1));
        s[e - q - 1] = 0;
        a->v[a->n++] = normalize(s);
        free(s);
        p = e + 1;
        while (*p == ',' || *p == ' ')
            p++;
    }
}

/* Split a type-3 frame body into messages. */
static bool split_msgs(const uint8_t *b, size_t len, answers *a) {
    size_t off = 0;
    bool last = false;
    while (off + 22 <= len && a->n < 512) {
        size_t p = off + 22;
        unsigned nf = (unsigned)(b[off + 18] << 8 | b[off + 19]);
        unsigned no = (unsigned)(b[off + 20] << 8 | b[off + 21]);
        for (unsigned i = 0; i < nf + no && p + 4 <= len; i++)
            p += 4 + aero_get_u32be(b + p);
        if (p > len)
            p = len;
        char *h = tohex(b + off, p - off);
        char *s = malloc(strlen(h) + 4);
        sprintf(s, "03:%s", h);
        a->v[a->n++] = normalize(s);
        free(s);
        free(h);
        if (b[off + 3] & 1)
            last = true;
        off = p;
    }
    return last;
}

static void run(int fd, const uint8_t *req, size_t n, bool many, answers *got) {
    got->n = 0;
    if (!tc_send(fd, req, n)) {
        got->v[got->n++] = strdup("closed");
        return;
    }
    for (;;) {
        uint8_t type;
        uint8_t *body;
        size_t len;
        if (!tc_read_frame(fd, &type, &body, &len)) {
            got->v[got->n++] = strdup("closed");
            return;
        }
        if (type != 3 || !many) {
            char *h = tohex(body, len);
            char *s = malloc(strlen(h) + 4);
            sprintf(s, "%02x:%s", type, h);
            got->v[got->n++] = normalize(s);
            free(s);
            free(h);
            free(body);
            return;
        }
        bool last = split_msgs(body, len, got);
        free(body);
        if (last)
            return;
    }
}

/* Info: compare values except those that name the node, build or addresses. */
static void compare_info(const char *exp_hex, const char *got_hex) {
    size_t n1, n2;
    uint8_t *e = unhex(exp_hex + 3, &n1);
    uint8_t *g = unhex(got_hex + 3, &n2);
    e[n1] = 0;
    g[n2] = 0;
    static const char *const skip[] = {
        "node",   "build", "service", "services", "peers-clear-std", "replicas", "cluster-name", "partition-generation",
        "version"
    };
    char *save = NULL;
    for (char *line = strtok_r((char *)e, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = 0;
        bool skipped = false;
        for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
            skipped |= strcmp(line, skip[i]) == 0;
        char *v = tc_info_value((const char *)g, line);
        assert_non_null(v); /* every command is answered */
        if (!skipped)
            assert_string_equal(v, tab + 1);
        free(v);
    }
    free(e);
    free(g);
}

static void test_replay(void **state) {
    (void)state;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(NULL, &err);
    assert_non_null(ts);
    uint16_t port = aero_testserver_port(ts, 0);
    FILE *f = fopen(TRANSCRIPT, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    unsigned lines = 0, compared = 0, mismatches = 0;
    answers exp, got;
    while (getline(&line, &cap, f) > 0 && lines < 10000) {
        lines++;
        char *scenario = json_str(line, "scenario", NULL);
        char *step = json_str(line, "step", NULL);
        char *req = json_str(line, "req", NULL);
        assert_non_null(req);
        bool many = strstr(line, "\"many\": true") != NULL;
        size_t n;
        uint8_t *bytes = unhex(req, &n);
        int fd = tc_connect(port);
        assert_true(fd >= 0);
        run(fd, bytes, n, many, &got);
        close(fd);
        read_expected(line, &exp);
        if (strcmp(step, "cleanup") != 0) {
            compared++;
            bool same;
            if (exp.n > 0 && strncmp(exp.v[0], "01:", 3) == 0) {
                assert_int_equal(got.n, 1);
                compare_info(exp.v[0], got.v[0]);
                same = true;
            } else {
                if (many && exp.n > 1 && got.n > 1) {
                    qsort(exp.v, exp.n - 1, sizeof(char *), cmpstr);
                    qsort(got.v, got.n - 1, sizeof(char *), cmpstr);
                }
                same = exp.n == got.n;
                for (size_t i = 0; same && i < exp.n; i++)
                    same = strcmp(exp.v[i], got.v[i]) == 0;
            }
            if (!same) {
                mismatches++;
                fprintf(stderr, "MISMATCH %s/%s: expected %zu answers, got %zu\n", scenario, step, exp.n, got.n);
                for (size_t i = 0; i < exp.n || i < got.n; i++)
                    if (i >= exp.n || i >= got.n || strcmp(exp.v[i], got.v[i]) != 0) {
                        fprintf(stderr, "  [%zu] exp %s\n  [%zu] got %s\n", i, i < exp.n ? exp.v[i] : "-", i,
                                i < got.n ? got.v[i] : "-");
                        break;
                    }
            }
        }
        answers_free(&exp);
        answers_free(&got);
        free(bytes);
        free(req);
        free(scenario);
        free(step);
    }
    free(line);
    fclose(f);
    aero_testserver_stop(ts);
    fprintf(stderr, "replayed %u requests, compared %u, mismatches %u\n", lines, compared, mismatches);
    assert_true(lines >= 100);
    assert_int_equal(mismatches, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_replay) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
