/*
 * index.c - secondary-index administration (aero/index.h): sindex-create /
 * sindex-delete sent to every node, the bounded wait on sindex-stat,
 * aero_index_list() over cluster/indexes.c, and the index filter
 * constructors.
 */
#include <aero/index.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "cluster/indexes.h"
#include "index_internal.h"
#include "internal.h"
#include "proto/base64.h"
#include "proto/info.h"

#define CMD_MAX 8192

/* Expression indexes came with server 8.1. */
#define EXP_INDEX_BUILD AERO_BUILD(8, 1, 0, 0)

uint64_t aero_index__info_deadline(const aero_session *s) {
    uint32_t t = s->client->config.connect_timeout_ms ? s->client->config.connect_timeout_ms * 5 : 5000;
    return aero_deadline_after_ms(t);
}

/* Send `cmd` to every active node; answers with a code in ok_codes count as success. */
static aero_status info_all(aero_session *s, const char *cmd, const aero_status *ok_codes, size_t n_ok,
                            aero_error *err) {
    return aero_index__info_each(s->client->cluster, cmd, aero_index__info_deadline(s), ok_codes, n_ok, NULL, NULL,
                                 NULL, err);
}

static aero_status check_name(const char *what, const char *v, size_t max, aero_error *err) {
    size_t n = v ? strnlen(v, max + 1) : 0;
    if (n == 0 || n > max)
        return aero_err__set(err, AERO_ERR_PARAM, "%s is %s", what, !v ? "NULL" : n == 0 ? "empty" : "too long");
    if (strpbrk(v, ":;=\n\t"))
        return aero_err__set(err, AERO_ERR_PARAM, "%s '%s' contains one of : ; = or a control character", what, v);
    return AERO_OK;
}

static const char *type_word(aero_index_type t) {
    switch (t) {
    case AERO_INDEX_NUMERIC: return "numeric";
    case AERO_INDEX_STRING: return "string";
    case AERO_INDEX_BLOB: return "blob";
    case AERO_INDEX_GEO2DSPHERE: return "geo2dsphere";
    }
    return NULL;
}

static const char *collection_word(aero_index_collection c) {
    switch (c) {
    case AERO_INDEX_COLLECTION_NONE: return "default";
    case AERO_INDEX_COLLECTION_LIST: return "list";
    case AERO_INDEX_COLLECTION_MAPKEYS: return "mapkeys";
    case AERO_INDEX_COLLECTION_MAPVALUES: return "mapvalues";
    }
    return NULL;
}

aero_status aero_index__resolve_ctx(const char *path, const char *bin, char out_bin[AERO_BIN_NAME_MAX + 1],
                                    uint8_t **ctx, size_t *ctx_len, aero_error *err) {
    *ctx = NULL;
    *ctx_len = 0;
    char pbin[AERO_BIN_NAME_MAX + 2] = "";
    aero_status st = aero_ael_parse_ctx(path, pbin, sizeof pbin, ctx, ctx_len, err);
    if (st != AERO_OK)
        return aero_err__set(err, AERO_ERR_PARAM, "index context '%s': %s", path, err ? err->message : "bad path");
    if (strlen(pbin) > AERO_BIN_NAME_MAX || !pbin[0] || (bin && strcmp(bin, pbin))) {
        free(*ctx);
        *ctx = NULL;
        return aero_err__set(err, AERO_ERR_PARAM, "index context '%s' is not a path in bin '%s'", path,
                             bin ? bin : pbin);
    }
    memcpy(out_bin, pbin, strlen(pbin) + 1);
    return AERO_OK;
}

AERO_API aero_status aero_index_create(aero_session *s, const aero_index_def *def, aero_error *err) {
    aero_err__reset(err);
    if (!s || !def)
        return aero_err__set(err, AERO_ERR_PARAM, "aero_index_create needs a session and a definition");
    if (def->version != AERO_INDEX_DEF_VERSION)
        return aero_err__set(err, AERO_ERR_PARAM,
                             "aero_index_def version %u is not supported (this library knows 1 to 1); initialise it "
                             "with AERO_INDEX_DEF_INIT or aero_index_def_init()",
                             def->version);
    aero_status st;
    if ((st = check_name("namespace", def->ns, AERO_NAMESPACE_MAX, err)) != AERO_OK ||
        (st = check_name("index name", def->name, 63, err)) != AERO_OK ||
        (def->set && (st = check_name("set", def->set, AERO_SET_MAX, err)) != AERO_OK))
        return st;
    const char *tw = type_word(def->type);
    const char *cw = collection_word(def->collection);
    if (!tw)
        return aero_err__set(err, AERO_ERR_PARAM, "index '%s': type %d is not an aero_index_type", def->name,
                             (int)def->type);
    if (!cw)
        return aero_err__set(err, AERO_ERR_PARAM, "index '%s': collection %d is not an aero_index_collection",
                             def->name, (int)def->collection);
    if (def->expr && (def->bin || def->ctx))
        return aero_err__set(err, AERO_ERR_PARAM, "index '%s': an expression index takes no bin and no context",
                             def->name);
    if (!def->expr && !def->bin && !def->ctx)
        return aero_err__set(err, AERO_ERR_PARAM, "index '%s' needs a bin, a context path or an expression", def->name);
    if (def->bin && !def->ctx && (st = check_name("bin", def->bin, AERO_BIN_NAME_MAX, err)) != AERO_OK)
        return st;
    if (def->expr &&
        aero_cluster__require_build(s->client->cluster, EXP_INDEX_BUILD, "an expression index", err) != AERO_OK)
        return AERO_ERR_UNSUPPORTED_FEATURE;

    char *cmd = malloc(CMD_MAX);
    if (!cmd)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory");
    int n = snprintf(cmd, CMD_MAX, "sindex-create:namespace=%s;", def->ns);
    if (def->set && def->set[0])
        n += snprintf(cmd + n, CMD_MAX - (size_t)n, "set=%s;", def->set);
    n += snprintf(cmd + n, CMD_MAX - (size_t)n, "indexname=%s;", def->name);
    if (def->collection != AERO_INDEX_COLLECTION_NONE)
        n += snprintf(cmd + n, CMD_MAX - (size_t)n, "indextype=%s;", cw);
    st = AERO_OK;
    if (def->ctx) {
        char bin[AERO_BIN_NAME_MAX + 1];
        uint8_t *ctx;
        size_t ctx_len;
        st = aero_index__resolve_ctx(def->ctx, def->bin, bin, &ctx, &ctx_len, err);
        if (st == AERO_OK) {
            n += snprintf(cmd + n, CMD_MAX - (size_t)n, "context=");
            size_t w = aero_base64__encode(ctx, ctx_len, cmd + n, CMD_MAX - (size_t)n - 64);
            free(ctx);
            if (!w)
                st = aero_err__set(err, AERO_ERR_PARAM, "index '%s': context too long", def->name);
            n += (int)w;
            n += snprintf(cmd + n, CMD_MAX - (size_t)n, ";bin=%s;", bin);
        }
    } else if (def->expr) {
        size_t len;
        const uint8_t *b = aero_expr_bytes(def->expr, &len);
        n += snprintf(cmd + n, CMD_MAX - (size_t)n, "exp=");
        size_t w = b && len ? aero_base64__encode(b, len, cmd + n, CMD_MAX - (size_t)n - 64) : 0;
        if (!w)
            st = aero_err__set(err, AERO_ERR_PARAM, "index '%s': expression empty or too long", def->name);
        n += (int)w;
        n += snprintf(cmd + n, CMD_MAX - (size_t)n, ";");
    } else
        n += snprintf(cmd + n, CMD_MAX - (size_t)n, "bin=%s;", def->bin);
    if (st == AERO_OK) {
        snprintf(cmd + n, CMD_MAX - (size_t)n, "type=%s", tw);
        st = info_all(s, cmd, NULL, 0, err);
        if (st != AERO_OK && err)
            aero_err__set(err, st, "create index '%s': %.*s", def->name, (int)sizeof err->message - 40, err->message);
    }
    free(cmd);
    aero_cluster__indexes_changed(s->client->cluster);
    return st;
}

/* Check the arguments of a call on one index and build "<verb>:namespace=<ns>;indexname=<name>". */
static aero_status index_command(const aero_session *s, const char *fn, const char *verb, const char *ns,
                                 const char *name, char *cmd, size_t cap, aero_error *err) {
    aero_err__reset(err);
    if (!s)
        return aero_err__set(err, AERO_ERR_PARAM, "%s needs a session", fn);
    aero_status st;
    if ((st = check_name("namespace", ns, AERO_NAMESPACE_MAX, err)) != AERO_OK ||
        (st = check_name("index name", name, 63, err)) != AERO_OK)
        return st;
    snprintf(cmd, cap, "%s:namespace=%s;indexname=%s", verb, ns, name);
    return AERO_OK;
}

AERO_API aero_status aero_index_drop(aero_session *s, const char *ns, const char *name, aero_error *err) {
    char cmd[160];
    aero_status st = index_command(s, "aero_index_drop", "sindex-delete", ns, name, cmd, sizeof cmd, err);
    if (st != AERO_OK)
        return st;
    /* Servers before 8.1 answer 201 for an index that is not there; 8.1 answers ok. */
    static const aero_status ok[] = { AERO_ERR_INDEX_NOT_FOUND };
    st = info_all(s, cmd, ok, 1, err);
    aero_cluster__indexes_changed(s->client->cluster);
    return st;
}

static void sleep_ms(uint32_t ms) {
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The smallest load_pct over the nodes' sindex-stat answers. */
static aero_status min_load_pct(void *ctx, const aero_node *node, const char *v, size_t len, aero_error *err) {
    int *min_pct = ctx;
    static const char k[] = "load_pct=";
    for (size_t j = 0; j + sizeof k - 1 <= len; j++)
        if ((j == 0 || v[j - 1] == ';') && memcmp(v + j, k, sizeof k - 1) == 0) {
            int pct = atoi(v + j + sizeof k - 1);
            if (pct < *min_pct)
                *min_pct = pct;
            return AERO_OK;
        }
    return aero_err__set(err, AERO_ERR_PROTOCOL, "sindex-stat of %s has no load_pct", aero_node__address(node));
}

/* load_pct of the index on every node: *min_pct is the smallest; AERO_ERR_INDEX_NOT_FOUND if a node lacks it. */
static aero_status load_pct(aero_session *s, const char *cmd, int *min_pct, aero_error *err) {
    *min_pct = 100;
    return aero_index__info_each(s->client->cluster, cmd, aero_index__info_deadline(s), NULL, 0, min_load_pct, min_pct,
                                 NULL, err);
}

AERO_API aero_status aero_index_wait(aero_session *s, const char *ns, const char *name, uint32_t timeout_ms,
                                     aero_error *err) {
    char cmd[160];
    aero_status st = index_command(s, "aero_index_wait", "sindex-stat", ns, name, cmd, sizeof cmd, err);
    if (st != AERO_OK)
        return st;
    uint64_t start = aero_now_ns();
    uint64_t end = start + (uint64_t)timeout_ms * 1000000u;
    uint32_t pause = 20;
    int pct = 0;
    for (;;) {
        st = load_pct(s, cmd, &pct, err);
        uint64_t now = aero_now_ns();
        if (st == AERO_OK && pct >= 100) {
            aero_cluster__indexes_changed(s->client->cluster); /* readable now: the next query may use it */
            aero_err__reset(err);
            return AERO_OK;
        }
        /* A node that has not taken the definition yet answers not found: wait a moment for it. */
        bool transient = st == AERO_OK || (st == AERO_ERR_INDEX_NOT_FOUND && now - start < 1000000000u) ||
                         st == AERO_ERR_TIMEOUT || st == AERO_ERR_CONNECTION;
        if (!transient)
            return st;
        if (now >= end) {
            if (st == AERO_OK || st == AERO_ERR_TIMEOUT)
                return aero_err__set(err, AERO_ERR_TIMEOUT, "index '%s' not ready after %u ms (load %d%%)", name,
                                     timeout_ms, pct);
            return st;
        }
        uint64_t left_ms = (end - now) / 1000000u;
        sleep_ms((uint32_t)(left_ms < pause ? left_ms + 1 : pause));
        if (pause < 200)
            pause *= 2;
    }
}

AERO_API aero_status aero_index_list(aero_session *s, const char *ns, aero_index_info **out, size_t *n,
                                     aero_error *err) {
    aero_err__reset(err);
    if (!s || !out || !n)
        return aero_err__set(err, AERO_ERR_PARAM, "aero_index_list needs a session and out, n");
    *out = NULL;
    *n = 0;
    aero_index_info *list;
    size_t count;
    uint32_t nodes;
    aero_status st = aero_index__fetch(s->client->cluster, aero_index__info_deadline(s), &list, &count, &nodes, err);
    if (st != AERO_OK)
        return st;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (ns && strcmp(list[i].ns, ns)) {
            free(list[i].ctx);
            free(list[i].exp);
            continue;
        }
        list[kept++] = list[i];
    }
    if (kept == 0) {
        free(list);
        list = NULL;
    }
    *out = list;
    *n = kept;
    return AERO_OK;
}

/* ---- filter constructors ---- */

static aero_index_filter base(const char *bin, aero_index_type t) {
    aero_index_filter f = AERO_INDEX_FILTER_INIT;
    f.bin = bin;
    f.type = t;
    return f;
}

AERO_API aero_index_filter aero_index_equal_int(const char *bin, int64_t v) {
    aero_index_filter f = base(bin, AERO_INDEX_NUMERIC);
    f.begin = f.end = v;
    return f;
}
AERO_API aero_index_filter aero_index_equal_str(const char *bin, const char *s) {
    aero_index_filter f = base(bin, AERO_INDEX_STRING);
    f.bytes = s;
    f.len = s ? strlen(s) : 0;
    return f;
}
AERO_API aero_index_filter aero_index_equal_blob(const char *bin, const void *bytes, size_t len) {
    aero_index_filter f = base(bin, AERO_INDEX_BLOB);
    f.bytes = bytes;
    f.len = len;
    return f;
}
AERO_API aero_index_filter aero_index_range(const char *bin, int64_t begin, int64_t end) {
    aero_index_filter f = base(bin, AERO_INDEX_NUMERIC);
    f.begin = begin;
    f.end = end;
    return f;
}
AERO_API aero_index_filter aero_index_contains_int(const char *bin, aero_index_collection c, int64_t v) {
    aero_index_filter f = aero_index_equal_int(bin, v);
    f.collection = c;
    return f;
}
AERO_API aero_index_filter aero_index_contains_str(const char *bin, aero_index_collection c, const char *s) {
    aero_index_filter f = aero_index_equal_str(bin, s);
    f.collection = c;
    return f;
}
AERO_API aero_index_filter aero_index_contains_range(const char *bin, aero_index_collection c, int64_t begin,
                                                     int64_t end) {
    aero_index_filter f = aero_index_range(bin, begin, end);
    f.collection = c;
    return f;
}
AERO_API aero_index_filter aero_index_geo_within(const char *bin, const char *region_geojson) {
    aero_index_filter f = base(bin, AERO_INDEX_GEO2DSPHERE);
    f.bytes = region_geojson;
    f.len = region_geojson ? strlen(region_geojson) : 0;
    return f;
}
AERO_API aero_index_filter aero_index_geo_within_radius(const char *bin, double lng, double lat, double radius_m) {
    aero_index_filter f = base(bin, AERO_INDEX_GEO2DSPHERE);
    f.geo_kind = 1;
    f.lng = lng;
    f.lat = lat;
    f.radius_m = radius_m;
    return f;
}
AERO_API aero_index_filter aero_index_geo_contains(const char *bin, const char *point_geojson) {
    return aero_index_geo_within(bin, point_geojson); /* the server tells region from point */
}
AERO_API aero_index_filter aero_index_geo_contains_point(const char *bin, double lng, double lat) {
    aero_index_filter f = base(bin, AERO_INDEX_GEO2DSPHERE);
    f.geo_kind = 2;
    f.lng = lng;
    f.lat = lat;
    return f;
}
