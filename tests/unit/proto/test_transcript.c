/*
 * Real server bytes (tests/data/wire/kv-basics.jsonl, path passed as argv[1]):
 * every request re-parses and re-encodes byte for byte through the writer,
 * every answer parses (streams walked message by message), every bin decodes,
 * and chosen answers have the structure the server gave them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "proto/info.h"
#include "proto/msg.h"

#define MAX_ANSWERS 64

typedef struct line {
    char scenario[64];
    char step[64];
    bool many;
    uint8_t *req;
    size_t req_len;
    size_t n_answers;
    int ans_type[MAX_ANSWERS]; /* proto type, or -1 for "closed" */
    uint8_t *ans[MAX_ANSWERS];
    size_t ans_len[MAX_ANSWERS];
} line;

static const char *g_path; /* set once from argv before the tests run */

/* Find `"key": ` in a JSON line and return what follows. */
static const char *after_key(const char *s, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(s, pat);
    return p ? p + strlen(pat) : NULL;
}

static bool json_str(const char *s, const char *key, char *out, size_t cap) {
    const char *p = after_key(s, key);
    if (!p || *p != '"')
        return false;
    const char *q = strchr(p + 1, '"');
    if (!q || (size_t)(q - p - 1) >= cap)
        return false;
    memcpy(out, p + 1, (size_t)(q - p - 1));
    out[q - p - 1] = '\0';
    return true;
}

static uint8_t *hex_dup(const char *hex, size_t n, size_t *len) {
    uint8_t *out = malloc(n / 2 + 1);
    *len = tu_unhex(hex, n, out, n / 2 + 1);
    assert_true(*len != (size_t)-1);
    return out;
}

static bool parse_line(const char *s, line *l) {
    memset(l, 0, sizeof *l);
    if (!json_str(s, "scenario", l->scenario, sizeof l->scenario) || !json_str(s, "step", l->step, sizeof l->step))
        return false;
    const char *p = after_key(s, "req");
    if (!p || *p != '"')
        return false;
    const char *q = strchr(p + 1, '"');
    l->req = hex_dup(p + 1, (size_t)(q - p - 1), &l->req_len);
    p = after_key(s, "many");
    l->many = p && strncmp(p, "true", 4) == 0;
    p = after_key(s, "answers");
    if (!p || *p != '[')
        return false;
    p++;
    while (*p && *p != ']') {
        if (*p != '"') {
            p++;
            continue;
        }
        q = strchr(p + 1, '"');
        if (!q || l->n_answers == MAX_ANSWERS)
            return false;
        size_t i = l->n_answers++;
        if (strncmp(p + 1, "closed", 6) == 0) {
            l->ans_type[i] = -1;
        } else {
            assert_true(q - p > 4 && p[3] == ':');
            l->ans_type[i] = tu_hexval(p[1]) * 16 + tu_hexval(p[2]);
            l->ans[i] = hex_dup(p + 4, (size_t)(q - p - 4), &l->ans_len[i]);
        }
        p = q + 1;
    }
    return true;
}

static void free_line(line *l) {
    free(l->req);
    for (size_t i = 0; i < l->n_answers; i++)
        free(l->ans[i]);
}

static bool is(const line *l, const char *scenario, const char *step) {
    return strcmp(l->scenario, scenario) == 0 && strcmp(l->step, step) == 0;
}

/* Re-encode a parsed request through the writer and compare bytes. */
static void rebuild_request(const aero_msg_view *m, const uint8_t *want, size_t want_len) {
    aero_buf b;
    uint8_t stack[256];
    aero_buf__init(&b, stack, sizeof stack);
    aero_msg_header h = m->h;
    h.n_fields = h.n_ops = 0;
    size_t s = aero_msg__begin(&b);
    aero_msg_iter it;
    aero_field_view f;
    aero_op_view op;
    aero_msg__fields(m, &it);
    while (aero_msg__next_field(&it, &f))
        aero_msg__field(&b, &h, f.type, f.data, f.len);
    aero_msg__ops(m, &it);
    while (aero_msg__next_op(&it, &op))
        aero_msg__op(&b, &h, op.op, op.ptype, op.name, op.name_len, op.value, op.value_len);
    assert_int_equal(aero_msg__end(&b, s, &h), AERO_OK);
    assert_int_equal(b.len, want_len);
    assert_memory_equal(b.data, want, want_len);
    aero_buf__free(&b);
}

typedef struct bin {
    char name[16];
    aero_value v;
} bin;

/* Parse one AS_MSG answer; decode its bins into `bins` (up to cap). */
static aero_msg_view parse_answer(const uint8_t *p, size_t len, aero_arena *a, bin *bins, size_t cap, size_t *nbins) {
    aero_msg_view m;
    size_t used = 0;
    assert_int_equal(aero_msg__parse(p, len, &m, &used), AERO_OK);
    assert_int_equal(used, len); /* one AS_MSG per answer entry */
    aero_msg_iter it;
    aero_field_view f;
    uint32_t nf = 0;
    aero_msg__fields(&m, &it);
    while (aero_msg__next_field(&it, &f))
        nf++;
    assert_int_equal(nf, m.h.n_fields);
    aero_op_view op;
    size_t n = 0;
    aero_msg__ops(&m, &it);
    while (aero_msg__next_op(&it, &op)) {
        aero_value v;
        assert_int_equal(aero_particle__decode(op.ptype, op.value, op.value_len, a, &v), AERO_OK);
        if (n < cap) {
            memcpy(bins[n].name, op.name, op.name_len < 15 ? op.name_len : 15);
            bins[n].name[op.name_len < 15 ? op.name_len : 15] = '\0';
            bins[n].v = v;
        }
        n++;
    }
    assert_int_equal(n, m.h.n_ops);
    *nbins = n;
    return m;
}

static const aero_value *find_bin(bin *bins, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(bins[i].name, name) == 0)
            return &bins[i].v;
    fail_msg("bin %s missing", name);
    return NULL;
}

static void check_specific(const line *l, const aero_msg_view *m, bin *bins, size_t nb, size_t idx, int *seen) {
    if (is(l, "get-missing", "get")) {
        assert_int_equal(m->h.result_code, AERO_ERR_KEY_NOT_FOUND);
        seen[0]++;
    } else if (is(l, "upsert-then-get", "get")) {
        assert_int_equal(m->h.result_code, 0);
        assert_int_equal(nb, 2);
        assert_string_equal(find_bin(bins, nb, "name")->v.str.ptr, "Alice");
        assert_int_equal(find_bin(bins, nb, "age")->v.i, 30);
        seen[1]++;
    } else if (is(l, "insert-existing", "insert")) {
        assert_int_equal(m->h.result_code, AERO_ERR_KEY_EXISTS);
        seen[2]++;
    } else if (is(l, "generation-eq", "gen_bad")) {
        assert_int_equal(m->h.result_code, AERO_ERR_GENERATION);
        assert_int_equal(m->h.generation, 2);
        seen[3]++;
    } else if (is(l, "types-roundtrip", "get")) {
        assert_int_equal(m->h.result_code, 0);
        assert_int_equal(nb, 7);
        const aero_value *v = find_bin(bins, nb, "b");
        assert_int_equal(v->type, AERO_BOOL);
        assert_true(v->v.b);
        v = find_bin(bins, nb, "blob");
        assert_int_equal(v->type, AERO_BLOB);
        assert_int_equal(v->v.bytes.len, 3);
        assert_memory_equal(v->v.bytes.ptr, "\x00\x01\xff", 3);
        v = find_bin(bins, nb, "d");
        assert_int_equal(v->type, AERO_DOUBLE);
        assert_true(v->v.d == -0.5);
        v = find_bin(bins, nb, "neg");
        assert_int_equal(v->type, AERO_INT);
        assert_int_equal(v->v.i, -7);
        v = find_bin(bins, nb, "l");
        assert_int_equal(v->type, AERO_LIST);
        assert_int_equal(v->v.list.count, 3);
        assert_int_equal(v->v.list.items[0].v.i, 1);
        assert_int_equal(v->v.list.items[1].type, AERO_STR);
        assert_string_equal(v->v.list.items[1].v.str.ptr, "x");
        assert_int_equal(v->v.list.items[2].v.i, -3);
        v = find_bin(bins, nb, "m");
        assert_int_equal(v->type, AERO_MAP);
        assert_int_equal(v->v.map.count, 1);
        assert_string_equal(v->v.map.entries[0].key.v.str.ptr, "k");
        assert_int_equal(v->v.map.entries[0].value.v.i, 1);
        v = find_bin(bins, nb, "empty");
        assert_int_equal(v->type, AERO_STR);
        assert_int_equal(v->v.str.len, 0);
        seen[4]++;
    } else if (is(l, "filter-on-read", "match")) {
        assert_int_equal(m->h.result_code, 0);
        assert_int_equal(nb, 2);
        seen[5]++;
    } else if (strcmp(l->scenario, "filter-on-read") == 0 && strcmp(l->step, "put") != 0 &&
               strcmp(l->step, "cleanup") != 0) {
        assert_int_equal(m->h.result_code, AERO_ERR_FILTERED_OUT); /* nomatch, missing_bin, type_mismatch */
        assert_int_equal(nb, 0);
        seen[6]++;
    } else if (is(l, "touch", "touch")) {
        assert_int_equal(m->h.result_code, 0);
        assert_int_not_equal(m->h.record_ttl, 0);
        seen[7]++;
    } else if (is(l, "scan-set-filter", "scan_all")) {
        if (idx + 1 < l->n_answers) {
            assert_int_equal(m->h.n_fields, 3);
            aero_msg_iter it;
            aero_field_view f;
            aero_msg__fields(m, &it);
            int got_digest = 0;
            while (aero_msg__next_field(&it, &f)) {
                if (f.type == AERO_FIELD_NAMESPACE)
                    assert_memory_equal(f.data, "test", 4);
                if (f.type == AERO_FIELD_DIGEST) {
                    assert_int_equal(f.len, 20);
                    got_digest = 1;
                }
            }
            assert_true(got_digest);
            assert_false(m->h.info3 & AERO_INFO3_LAST);
        }
        seen[8]++;
    } else if (is(l, "scan-set-filter", "scan_no_bins")) {
        if (idx + 1 < l->n_answers) {
            assert_true(m->h.info1 & AERO_INFO1_NOBINDATA);
            assert_int_equal(nb, 0);
        }
        seen[9]++;
    } else if (is(l, "truncated-header", "trunc")) {
        assert_int_equal(m->h.result_code, AERO_ERR_PARAMETER);
        seen[10]++;
    }
}

static void every_request_and_answer(void **state) {
    (void)state;
    FILE *fp = fopen(g_path, "r");
    if (!fp)
        fail_msg("cannot open %s", g_path);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    int lines = 0, requests = 0, info_answers = 0, messages = 0, rejected_requests = 0;
    int seen[11] = { 0 };
    aero_arena *arena = aero_arena__new();
    while ((got = getline(&buf, &cap, fp)) > 0 && lines < 100000) {
        line *l = calloc(1, sizeof *l);
        if (!parse_line(buf, l))
            fail_msg("line %d does not parse", lines + 1);
        lines++;

        /* the request */
        uint8_t type;
        uint64_t size;
        assert_true(l->req_len >= 8);
        assert_int_equal(aero_proto__read_header(l->req, &type, &size), AERO_OK);
        assert_int_equal(size, l->req_len - 8);
        if (type == AERO_PROTO_MSG) {
            aero_msg_view m;
            size_t used;
            aero_status st = aero_msg__parse(l->req + 8, l->req_len - 8, &m, &used);
            if (is(l, "truncated-header", "trunc")) {
                assert_int_equal(st, AERO_ERR_PROTOCOL); /* deliberately short */
                rejected_requests++;
            } else {
                assert_int_equal(st, AERO_OK);
                assert_int_equal(used, l->req_len - 8);
                rebuild_request(&m, l->req, l->req_len);
                requests++;
            }
        } else {
            assert_int_equal(type, AERO_PROTO_INFO);
            /* rebuild the info request from its command lines */
            const char *cur = (const char *)l->req + 8, *end = (const char *)l->req + l->req_len;
            aero_strview n, v;
            char cmds[16][64];
            const char *ptrs[16];
            size_t nc = 0;
            while (aero_info__next(&cur, end, &n, &v) && nc < 16) {
                assert_int_equal(v.len, 0);
                assert_true(n.len < 64);
                memcpy(cmds[nc], n.p, n.len);
                cmds[nc][n.len] = '\0';
                ptrs[nc] = cmds[nc];
                nc++;
            }
            aero_buf b;
            aero_buf__init(&b, NULL, 0);
            aero_info__request(&b, ptrs, nc);
            assert_int_equal(b.len, l->req_len);
            assert_memory_equal(b.data, l->req, b.len);
            aero_buf__free(&b);
            requests++;
        }

        /* the answers */
        assert_true(l->n_answers >= 1);
        for (size_t i = 0; i < l->n_answers; i++) {
            if (l->ans_type[i] == -1)
                continue;
            if (l->ans_type[i] == AERO_PROTO_INFO) {
                const char *body = (const char *)l->ans[i];
                aero_strview v;
                assert_true(aero_info__find(body, l->ans_len[i], "namespaces", &v));
                assert_int_equal(v.len, 4);
                assert_memory_equal(v.p, "test", 4);
                assert_true(aero_info__find(body, l->ans_len[i], "edition", &v));
                assert_memory_equal(v.p, "Aerospike Community Edition", 27);
                assert_true(aero_info__find(body, l->ans_len[i], "node", &v));
                assert_true(v.len > 0);
                assert_true(aero_info__find(body, l->ans_len[i], "features", &v));
                assert_int_equal(aero_info__value_error(v, NULL, 0), AERO_OK);
                info_answers++;
                continue;
            }
            assert_int_equal(l->ans_type[i], AERO_PROTO_MSG);
            bin bins[16];
            size_t nb = 0;
            aero_arena__reset(arena);
            aero_msg_view m = parse_answer(l->ans[i], l->ans_len[i], arena, bins, 16, &nb);
            messages++;
            if (l->many && i + 1 == l->n_answers)
                assert_true(m.h.info3 & AERO_INFO3_LAST);
            if (!l->many)
                assert_int_equal(l->n_answers, 1);
            check_specific(l, &m, bins, nb, i, seen);
        }
        /* the stream as one buffer: walk it with `used` */
        if (l->many) {
            size_t total = 0;
            for (size_t i = 0; i < l->n_answers; i++)
                total += l->ans_len[i];
            uint8_t *all = malloc(total);
            size_t off = 0;
            for (size_t i = 0; i < l->n_answers; i++) {
                memcpy(all + off, l->ans[i], l->ans_len[i]);
                off += l->ans_len[i];
            }
            size_t count = 0;
            bool last = false;
            for (off = 0; off < total && count < 1000; count++) {
                aero_msg_view m;
                size_t used;
                assert_int_equal(aero_msg__parse(all + off, total - off, &m, &used), AERO_OK);
                assert_false(last); /* nothing after the LAST message */
                last = (m.h.info3 & AERO_INFO3_LAST) != 0;
                off += used;
            }
            assert_int_equal(off, total);
            assert_int_equal(count, l->n_answers);
            assert_true(last);
            free(all);
        }
        free_line(l);
        free(l);
    }
    free(buf);
    fclose(fp);
    aero_arena__free(arena);
    assert_int_equal(lines, 119);
    assert_int_equal(requests + rejected_requests, lines);
    assert_int_equal(rejected_requests, 1);
    assert_int_equal(info_answers, 1);
    assert_true(messages > lines);
    /* every scenario we check specifically was present */
    static const int want[11] = { 1, 1, 1, 1, 1, 1, 3, 1, 21, 3, 1 };
    for (int i = 0; i < 11; i++)
        if (seen[i] != want[i])
            fail_msg("check %d ran %d times, expected %d", i, seen[i], want[i]);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s kv-basics.jsonl\n", argv[0]);
        return 2;
    }
    g_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_request_and_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
