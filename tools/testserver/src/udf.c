/*
 * udf.c - the test server's UDF modules (info udf-put / udf-get / udf-remove
 * / udf-list, with the answers a real 8.1 server gives), record UDF calls
 * (single record, batch rows, background jobs: the Lua side is udf_lua.c;
 * the jobs themselves are udf_job.c).
 *
 * Modules live in the cluster (one copy for every node, as the server's
 * system metadata makes them).
 */
#include "udf.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONTENT (1024 * 1024)

typedef struct ts_module {
    char name[128];
    char *src; /* decoded Lua source */
    size_t len;
    char *b64; /* as registered */
    size_t b64_len;
} ts_module;

typedef struct ts_udf_state {
    ts_module *mods;
    size_t n_mods, cap_mods;
} ts_udf_state;

/* The server's UDF state, made on first use; caller holds ts->mu. NULL when out of memory. */
static ts_udf_state *state(aero_testserver *ts) {
    if (!ts->udf)
        ts->udf = calloc(1, sizeof *ts->udf);
    return ts->udf;
}

static ts_module *find_module(ts_udf_state *st, const char *name, size_t len) {
    for (size_t i = 0; st && i < st->n_mods; i++)
        if (strlen(st->mods[i].name) == len && !memcmp(st->mods[i].name, name, len))
            return &st->mods[i];
    return NULL;
}

/* key=value in a ';'-separated list, without copying (content can be megabytes). */
static bool pget(const char *params, const char *key, const char **v, size_t *n) {
    size_t kl = strlen(key);
    for (const char *p = params; p && *p;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > kl && !memcmp(p, key, kl) && p[kl] == '=') {
            *v = p + kl + 1;
            *n = len - kl - 1;
            return true;
        }
        p = e ? e + 1 : NULL;
    }
    return false;
}

static void puts_(aero_buf *o, const char *s) { aero_buf__put(o, s, strlen(s)); }

static void put_module(aero_testserver *ts, const char *params, aero_buf *o) {
    const char *v, *clen, *type, *content;
    size_t n, cl, tl, ctl;
    if (!pget(params, "filename", &v, &n) || n == 0 || n >= sizeof((ts_module *)0)->name) {
        puts_(o, "error=invalid_filename");
        return;
    }
    const char *dot = memchr(v, '.', n);
    if (!dot || dot == v || dot == v + n - 1) {
        puts_(o, "error=invalid_filename");
        return;
    }
    char num[16];
    if (!pget(params, "content-len", &clen, &cl) || cl == 0 || cl >= sizeof num) {
        puts_(o, "error=invalid_content_len");
        return;
    }
    if (pget(params, "udf-type", &type, &tl) && !(tl == 3 && !memcmp(type, "LUA", 3))) {
        puts_(o, "error=invalid_udf_type");
        return;
    }
    memcpy(num, clen, cl);
    num[cl] = 0;
    char *end;
    unsigned long want = strtoul(num, &end, 10);
    if (*end || want % 4) {
        puts_(o, "error=invalid_content_len");
        return;
    }
    if (!pget(params, "content", &content, &ctl) || ctl != want) {
        puts_(o, "error=invalid_content");
        return;
    }
    if (ctl / 4 * 3 > MAX_CONTENT) {
        puts_(o, "error=invalid_udf_content_len,>1M");
        return;
    }
    char *src = malloc(ctl / 4 * 3 + 1), *b64 = malloc(ctl + 1);
    int dl = src && b64 ? EVP_DecodeBlock((unsigned char *)src, (const unsigned char *)content, (int)ctl) : -1;
    if (dl < 0) {
        free(src);
        free(b64);
        puts_(o, src && b64 ? "error=invalid_base64_content" : "error=json_error");
        return;
    }
    for (size_t k = ctl; k > 0 && content[k - 1] == '='; k--) /* padding decodes to NULs */
        dl--;
    src[dl] = 0;
    memcpy(b64, content, ctl);
    b64[ctl] = 0;
    char file[128];
    memcpy(file, v, n);
    file[n] = 0;
    char msg[512];
    int line = 0;
    if (ts_lua_validate(file, src, (size_t)dl, msg, sizeof msg, &line) != 0) {
        char enc[700];
        int el = EVP_EncodeBlock((unsigned char *)enc, (const unsigned char *)msg, (int)strlen(msg));
        char head[256];
        snprintf(head, sizeof head, "error=compile_error;file=%s;line=%d;message=", file, line);
        puts_(o, head);
        aero_buf__put(o, enc, (size_t)(el > 0 ? el : 0));
        free(src);
        free(b64);
        return;
    }
    ts_udf_state *st = state(ts);
    ts_module *m = find_module(st, file, n);
    if (!m && st && st->n_mods == st->cap_mods) {
        size_t cap = st->cap_mods ? st->cap_mods * 2 : 8;
        ts_module *nm = realloc(st->mods, cap * sizeof *nm);
        if (nm) {
            st->mods = nm;
            st->cap_mods = cap;
        }
    }
    if (!m && st && st->n_mods < st->cap_mods) {
        m = &st->mods[st->n_mods++];
        memset(m, 0, sizeof *m);
        snprintf(m->name, sizeof m->name, "%s", file);
    }
    if (!m) {
        free(src);
        free(b64);
        puts_(o, "error=json_error");
        return;
    }
    free(m->src);
    free(m->b64);
    m->src = src;
    m->len = (size_t)dl;
    m->b64 = b64;
    m->b64_len = ctl;
    puts_(o, "ok");
}

void ts_udf_info(aero_testserver *ts, const char *cmd, const char *params, aero_buf *o) {
    ts_udf_state *st = state(ts);
    const char *v;
    size_t n;
    if (!strcmp(cmd, "udf-put")) {
        put_module(ts, params, o);
    } else if (!strcmp(cmd, "udf-get")) {
        if (!pget(params, "filename", &v, &n) || n == 0) {
            puts_(o, "error=invalid_filename");
            return;
        }
        ts_module *m = find_module(st, v, n);
        if (!m) {
            puts_(o, "error=not_found");
            return;
        }
        puts_(o, "type=LUA;content=");
        aero_buf__put(o, m->b64, m->b64_len);
        puts_(o, ";");
    } else if (!strcmp(cmd, "udf-remove")) {
        if (!pget(params, "filename", &v, &n) || n == 0) {
            puts_(o, "error=invalid_filename");
            return;
        }
        ts_module *m = find_module(st, v, n);
        if (m) {
            free(m->src);
            free(m->b64);
            *m = st->mods[--st->n_mods];
        }
        puts_(o, "ok");
    } else { /* udf-list */
        for (size_t i = 0; st && i < st->n_mods; i++) {
            unsigned char md[EVP_MAX_MD_SIZE];
            unsigned int ml = 0;
            EVP_Digest(st->mods[i].b64, st->mods[i].b64_len, md, &ml, EVP_sha1(), NULL);
            char line[256];
            int k = snprintf(line, sizeof line, "filename=%s,hash=", st->mods[i].name);
            for (unsigned j = 0; j < ml && k + 3 < (int)sizeof line; j++)
                k += snprintf(line + k, sizeof line - (size_t)k, "%02x", md[j]);
            snprintf(line + k, sizeof line - (size_t)k, ",type=LUA;");
            puts_(o, line);
        }
    }
}

/* ---- record UDF ---- */

static int answer_code(aero_buf *out, int rc, uint32_t txn_ttl) {
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, 0, (uint8_t)rc, 0, 0, txn_ttl, 0, 0);
    return rc;
}

static int answer_failure(aero_buf *out, const char *msg, uint32_t txn_ttl) {
    size_t h = ts_resp_begin(out);
    ts_resp_op(out, AERO_MSG_OP_READ, AERO_PT_STRING, "FAILURE", 7, msg, strlen(msg));
    ts_resp_end(out, h, 0, 0, AERO_ERR_UDF, 0, 0, txn_ttl, 0, 1);
    return AERO_ERR_UDF;
}

/* A new record named by the request (digest, set, key). */
static ts_record *fresh(const ts_msg *m) {
    const ts_field *fset = m->fields_by_type[AERO_FIELD_SETNAME];
    const ts_field *fdig = m->fields_by_type[AERO_FIELD_DIGEST];
    const ts_field *fkey = m->fields_by_type[AERO_FIELD_KEY];
    ts_record *w = ts_record_new();
    if (!w)
        return NULL;
    memcpy(w->digest, fdig->data, 20);
    if (fset && fset->len < sizeof w->set) {
        memcpy(w->set, fset->data, fset->len);
        w->set_len = (uint8_t)fset->len;
    }
    if (fkey && fkey->len >= 1 && (w->key = malloc(fkey->len))) {
        memcpy(w->key, fkey->data + 1, fkey->len - 1);
        w->key_len = fkey->len - 1;
        w->key_type = fkey->data[0];
        w->has_key = true;
    }
    return w;
}

int ts_udf_row(aero_testserver *ts, const ts_msg *m, ts_namespace *ns, uint32_t txn_ttl, aero_buf *out) {
    const ts_field *fpkg = m->fields_by_type[AERO_FIELD_UDF_PACKAGE];
    const ts_field *ffn = m->fields_by_type[AERO_FIELD_UDF_FUNCTION];
    const ts_field *fargs = m->fields_by_type[AERO_FIELD_UDF_ARGLIST];
    const ts_field *fset = m->fields_by_type[AERO_FIELD_SETNAME];
    if (!fpkg || !ffn || fpkg->len == 0 || fpkg->len > 120 || ffn->len == 0 || ffn->len > 127 ||
        (fset && fset->len > 63))
        return answer_code(out, AERO_ERR_PARAMETER, txn_ttl);
    char file[136], fn[128];
    snprintf(file, sizeof file, "%.*s.lua", (int)fpkg->len, (const char *)fpkg->data);
    snprintf(fn, sizeof fn, "%.*s", (int)ffn->len, (const char *)ffn->data);
    pthread_mutex_lock(&ts->mu);
    ts_module *mod = find_module(state(ts), file, strlen(file));
    size_t len = mod ? mod->len : 0;
    char *src = mod ? malloc(len + 1) : NULL;
    if (src)
        memcpy(src, mod->src, len + 1);
    pthread_mutex_unlock(&ts->mu);
    if (!src) /* what mod-lua answers when it cannot load the module */
        return answer_failure(out, "UDF: Execution Error 1", txn_ttl);

    ts_store *s = &ts->store;
    uint32_t now = ts_now2010();
    pthread_mutex_lock(&s->mu);
    ts_record *rec = ts_store_get(s, ns, m->fields_by_type[AERO_FIELD_DIGEST]->data, now);
    int rc = 0;
    const ts_field *filt = m->fields_by_type[AERO_FIELD_FILTER];
    if (rec && fset && (rec->set_len != fset->len || memcmp(rec->set, fset->data, fset->len) != 0))
        rc = AERO_ERR_PARAMETER;
    else if (rec && filt) {
        int e = ts_exp_filter(filt->data, filt->len, rec, ns->name);
        rc = e == TS_EXP_ERROR ? AERO_ERR_PARAMETER : e != TS_EXP_TRUE ? AERO_ERR_FILTERED_OUT : 0;
    }
    ts_udf_rec r = { 0 };
    r.w = rc ? NULL : rec ? ts_record_clone(rec) : fresh(m);
    r.exists = rec != NULL;
    r.ttl_left = rec && rec->void_time > now ? rec->void_time - now : 0;
    if (rc == 0 && !r.w)
        rc = AERO_ERR_SERVER;
    if (rc) {
        pthread_mutex_unlock(&s->mu);
        free(src);
        return answer_code(out, rc, txn_ttl);
    }
    uint8_t pt = 0, *data = NULL;
    uint32_t dl = 0;
    char msg[1024];
    int lrc = ts_lua_apply(file, src, len, fn, fargs ? fargs->data : (const uint8_t *)"\x90", fargs ? fargs->len : 1,
                           &r, &pt, &data, &dl, msg, sizeof msg);
    free(src);
    uint32_t gen = rec ? rec->generation : 0, vt = rec ? rec->void_time : 0;
    if (lrc != 0) {
        rc = answer_failure(out, msg, txn_ttl);
    } else if (r.has_updates && (r.removed || !r.committed || r.committed->n_bins == 0)) {
        if (rec)
            ts_store_remove(s, ns, rec->digest);
        gen = vt = 0;
    } else if (r.has_updates) {
        ts_record *c = r.committed;
        c->generation = rec ? ts_record_next_generation(rec->generation) : 1;
        c->void_time = ts_store_void_time(s, m->record_ttl, rec, now);
        c->last_update_ns = ts_now_ns();
        gen = c->generation;
        vt = c->void_time;
        int prc = ts_store_put(s, ns, c);
        if (prc == 0)
            r.committed = NULL; /* the store has it */
        else
            rc = answer_code(out, prc, txn_ttl);
    }
    if (lrc == 0 && rc == 0) {
        size_t h = ts_resp_begin(out);
        ts_resp_op(out, AERO_MSG_OP_READ, pt, "SUCCESS", 7, data, dl);
        ts_resp_end(out, h, 0, 0, 0, gen, vt, txn_ttl, 0, 1);
    }
    pthread_mutex_unlock(&s->mu);
    free(data);
    ts_record_free(r.w);
    ts_record_free(r.committed);
    return rc;
}

void ts_udf_free(aero_testserver *ts) {
    ts_udf_state *st = ts->udf;
    if (!st)
        return;
    for (size_t i = 0; i < st->n_mods; i++) {
        free(st->mods[i].src);
        free(st->mods[i].b64);
    }
    free(st->mods);
    free(st);
    ts->udf = NULL;
}
