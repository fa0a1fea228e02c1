/*
 * typed_value.c - checking list and map values against a schema signature.
 *
 * A signature names one type per letter in prefix order (see aero/schema.h):
 * "ls" is list<string>, "msli" map<string, list<int>>. The check walks the
 * value once, bounded by the signature's depth, and describes the first
 * mismatch with a path such as "[3]['k']: expected int, got string".
 */
#include <aero/schema.h>

#include <stdio.h>
#include <string.h>

/* The signature right after the type that starts at sig (NULL if malformed). */
static const char *sig_skip(const char *sig, int depth) {
    if (!sig || depth > 64)
        return NULL;
    switch (*sig) {
    case 'i':
    case 'd':
    case 'b':
    case 's':
    case 'y':
    case 'g': return sig + 1;
    case 'l': return sig_skip(sig + 1, depth + 1);
    case 'm': return sig_skip(sig_skip(sig + 1, depth + 1), depth + 1);
    default: return NULL;
    }
}

static const char *sig_name(char c) {
    switch (c) {
    case 'i': return "int";
    case 'd': return "double";
    case 'b': return "bool";
    case 's': return "string";
    case 'y': return "blob";
    case 'g': return "geojson";
    case 'l': return "list";
    case 'm': return "map";
    default: return "?";
    }
}

typedef struct path {
    char *buf;
    size_t size, len;
} path;

static void path_push(path *p, size_t *mark, const char *fmt, const aero_value *k, uint32_t i) {
    *mark = p->len;
    if (!p->buf || p->len >= p->size)
        return;
    int n;
    if (k && k->type == AERO_STR)
        n = snprintf(p->buf + p->len, p->size - p->len, "['%.*s']", (int)(k->v.str.len > 32 ? 32 : k->v.str.len),
                     k->v.str.ptr);
    else if (k && k->type == AERO_INT)
        n = snprintf(p->buf + p->len, p->size - p->len, "[%lld]", (long long)k->v.i);
    else
        n = snprintf(p->buf + p->len, p->size - p->len, fmt, (unsigned)i);
    if (n > 0)
        p->len += (size_t)n < p->size - p->len ? (size_t)n : p->size - p->len - 1;
}

static void path_pop(path *p, size_t mark) {
    p->len = mark;
    if (p->buf && p->size)
        p->buf[mark < p->size ? mark : p->size - 1] = '\0';
}

static bool fail(path *p, char want, aero_type got) {
    if (p->buf && p->size) {
        size_t n = p->len < p->size ? p->len : p->size - 1;
        snprintf(p->buf + n, p->size - n, "%sexpected %s, got %s", n ? ": " : "", sig_name(want), aero_type_str(got));
    }
    return false;
}

static bool match(const aero_value *v, const char *sig, path *p, int depth) {
    if (depth > 64)
        return fail(p, *sig, v->type);
    switch (*sig) {
    case 'i': return v->type == AERO_INT || fail(p, 'i', v->type);
    case 'd': return v->type == AERO_DOUBLE || v->type == AERO_INT || fail(p, 'd', v->type);
    case 'b': return v->type == AERO_BOOL || fail(p, 'b', v->type);
    case 's': return v->type == AERO_STR || fail(p, 's', v->type);
    case 'y': return v->type == AERO_BLOB || fail(p, 'y', v->type);
    case 'g': return v->type == AERO_GEOJSON || v->type == AERO_STR || fail(p, 'g', v->type);
    case 'l':
        if (v->type != AERO_LIST)
            return fail(p, 'l', v->type);
        if (v->v.list.count && !v->v.list.items)
            return fail(p, 'l', AERO_NIL);
        for (uint32_t i = 0; i < v->v.list.count; i++) {
            size_t mark;
            path_push(p, &mark, "[%u]", NULL, i);
            if (!match(&v->v.list.items[i], sig + 1, p, depth + 1))
                return false;
            path_pop(p, mark);
        }
        return true;
    case 'm': {
        if (v->type != AERO_MAP)
            return fail(p, 'm', v->type);
        if (v->v.map.count && !v->v.map.entries)
            return fail(p, 'm', AERO_NIL);
        const char *vsig = sig_skip(sig + 1, depth + 1);
        if (!vsig)
            return fail(p, '?', v->type);
        for (uint32_t i = 0; i < v->v.map.count; i++) {
            const aero_map_entry *e = &v->v.map.entries[i];
            size_t mark;
            path_push(p, &mark, "{key %u}", NULL, i);
            if (!match(&e->key, sig + 1, p, depth + 1))
                return false;
            path_pop(p, mark);
            path_push(p, &mark, "[entry %u]", &e->key, i);
            if (!match(&e->value, vsig, p, depth + 1))
                return false;
            path_pop(p, mark);
        }
        return true;
    }
    default: return fail(p, '?', v->type);
    }
}

bool aero_schema_value_matches(const aero_value *v, const char *sig, char *why, size_t why_size) {
    path p = { why, why_size, 0 };
    if (why && why_size)
        why[0] = '\0';
    if (!v || !sig || !sig_skip(sig, 0)) {
        if (why && why_size)
            snprintf(why, why_size, "bad value or signature");
        return false;
    }
    return match(v, sig, &p, 0);
}
