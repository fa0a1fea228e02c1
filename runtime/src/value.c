/* value.c - value names, deep equality and SDK-style rendering. */
#include <aero/value.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

AERO_API const char *aero_type_str(aero_type t) {
    switch (t) {
    case AERO_NIL: return "nil";
    case AERO_BOOL: return "bool";
    case AERO_INT: return "int";
    case AERO_DOUBLE: return "double";
    case AERO_STR: return "string";
    case AERO_BLOB: return "blob";
    case AERO_LIST: return "list";
    case AERO_MAP: return "map";
    case AERO_GEOJSON: return "geojson";
    case AERO_HLL: return "hll";
    case AERO_WILDCARD: return "wildcard";
    case AERO_INFINITY: return "infinity";
    }
    return "unknown";
}

AERO_API bool aero_value_equal(const aero_value *a, const aero_value *b) {
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case AERO_NIL:
    case AERO_WILDCARD:
    case AERO_INFINITY: return true;
    case AERO_BOOL: return a->v.b == b->v.b;
    case AERO_INT: return a->v.i == b->v.i;
    case AERO_DOUBLE: return memcmp(&a->v.d, &b->v.d, sizeof(double)) == 0;
    case AERO_STR:
    case AERO_GEOJSON:
        return a->v.str.len == b->v.str.len &&
               (a->v.str.len == 0 || memcmp(a->v.str.ptr, b->v.str.ptr, a->v.str.len) == 0);
    case AERO_BLOB:
    case AERO_HLL:
        return a->v.bytes.len == b->v.bytes.len &&
               (a->v.bytes.len == 0 || memcmp(a->v.bytes.ptr, b->v.bytes.ptr, a->v.bytes.len) == 0);
    case AERO_LIST:
        if (a->v.list.count != b->v.list.count)
            return false;
        for (uint32_t i = 0; i < a->v.list.count; i++)
            if (!aero_value_equal(&a->v.list.items[i], &b->v.list.items[i]))
                return false;
        return true;
    case AERO_MAP:
        if (a->v.map.count != b->v.map.count)
            return false;
        for (uint32_t i = 0; i < a->v.map.count; i++)
            if (!aero_value_equal(&a->v.map.entries[i].key, &b->v.map.entries[i].key) ||
                !aero_value_equal(&a->v.map.entries[i].value, &b->v.map.entries[i].value))
                return false;
        return true;
    }
    return false;
}

/* A tiny appender with snprintf semantics: counts what it could not write. */
typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, const char *s, size_t n) {
    if (o->len < o->size) {
        size_t room = o->size - o->len - 1;
        memcpy(o->buf + o->len, s, n < room ? n : room);
        o->buf[o->len + (n < room ? n : room)] = '\0';
    }
    o->len += n;
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

static void render(out *o, const aero_value *v, int depth) {
    char tmp[64];
    if (depth > 64) {
        puts_(o, "...");
        return;
    }
    switch (v->type) {
    case AERO_NIL: puts_(o, "None"); break;
    case AERO_BOOL: puts_(o, v->v.b ? "True" : "False"); break;
    case AERO_INT:
        snprintf(tmp, sizeof tmp, "%" PRId64, v->v.i);
        puts_(o, tmp);
        break;
    case AERO_DOUBLE: {
        snprintf(tmp, sizeof tmp, "%.17g", v->v.d);
        /* shortest form that round-trips, like Python's repr */
        for (int prec = 1; prec <= 17; prec++) {
            char t2[64];
            snprintf(t2, sizeof t2, "%.*g", prec, v->v.d);
            double back = 0;
            if (sscanf(t2, "%lf", &back) == 1 && back == v->v.d) {
                memcpy(tmp, t2, sizeof t2);
                break;
            }
        }
        puts_(o, tmp);
        if (!strpbrk(tmp, ".eEn"))
            puts_(o, ".0");
        break;
    }
    case AERO_STR:
    case AERO_GEOJSON:
        put(o, "'", 1);
        put(o, v->v.str.ptr, v->v.str.len);
        put(o, "'", 1);
        break;
    case AERO_BLOB:
    case AERO_HLL:
        puts_(o, "b'");
        for (size_t i = 0; i < v->v.bytes.len; i++) {
            snprintf(tmp, sizeof tmp, "\\x%02x", v->v.bytes.ptr[i]);
            puts_(o, tmp);
        }
        puts_(o, "'");
        break;
    case AERO_LIST:
        put(o, "[", 1);
        for (uint32_t i = 0; i < v->v.list.count; i++) {
            if (i)
                put(o, ", ", 2);
            render(o, &v->v.list.items[i], depth + 1);
        }
        put(o, "]", 1);
        break;
    case AERO_MAP:
        put(o, "{", 1);
        for (uint32_t i = 0; i < v->v.map.count; i++) {
            if (i)
                put(o, ", ", 2);
            render(o, &v->v.map.entries[i].key, depth + 1);
            put(o, ": ", 2);
            render(o, &v->v.map.entries[i].value, depth + 1);
        }
        put(o, "}", 1);
        break;
    case AERO_WILDCARD: puts_(o, "*"); break;
    case AERO_INFINITY: puts_(o, "inf"); break;
    }
}

AERO_API size_t aero_value_format(const aero_value *v, char *buf, size_t size) {
    out o = { buf, size, 0 };
    if (size)
        buf[0] = '\0';
    render(&o, v, 0);
    return o.len;
}
