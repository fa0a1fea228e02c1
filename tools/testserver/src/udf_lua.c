/*
 * udf_lua.c - the test server's record UDF engine on Lua 5.4 (Debian's
 * liblua5.4-dev; meson defines TS_HAVE_LUA when it finds lua5.4).
 *
 * Each call gets a fresh Lua state: the module is loaded as
 * TS_UDF_USER_PATH/<file> (so Lua's error positions read like a real
 * server's), then `function(rec, args...)` runs under pcall, as mod-lua's
 * apply_record does. The record API is the part of mod-lua's user functions
 * need: rec['bin'] get / set (nil removes), aerospike:create / update /
 * exists / remove (their return codes: create on an existing record 1,
 * update on a missing one -2, remove on a missing one 1), record.ttl /
 * gen / key / digest / setname / numbins / bin_names, list and map values
 * (list{...}, map{...}, list.size / append / prepend / iterator, map.size /
 * pairs / keys / values / remove; ipairs and pairs work on them), bytes and
 * geojson values, and the log functions (info, debug, trace, warn) as
 * no-ops. Bin changes are kept only by a later create or update, and only
 * when the function succeeds, as on the server.
 *
 * Without Lua the engine accepts every module and answers every call with
 * mod-lua's "cannot load the module" error; the tests that need execution
 * skip themselves.
 */
#include "udf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp.h"

#ifndef TS_HAVE_LUA

int ts_lua_validate(const char *file, const char *src, size_t len, char *msg, size_t cap, int *line) {
    (void)file, (void)src, (void)len, (void)msg, (void)cap, (void)line;
    return 0;
}

int ts_lua_apply(const char *file, const char *src, size_t len, const char *function, const uint8_t *args,
                 size_t args_len, ts_udf_rec *r, uint8_t *ptype, uint8_t **data, uint32_t *dlen, char *msg,
                 size_t cap) {
    (void)file, (void)src, (void)len, (void)function, (void)args, (void)args_len, (void)r;
    *ptype = 0, *data = NULL, *dlen = 0;
    snprintf(msg, cap, "UDF: Execution Error 1 (aero-testserver was built without Lua 5.4)");
    return -1;
}

#else

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#define MAX_INSTRUCTIONS 200000000 /* a runaway loop ends as the server's timeout does */

static const char PRELUDE[] =
    /* what mod-lua cannot turn into a value (a plain table, a function, the record) is dropped */
    "local function val(v)\n"
    "  local t = type(v)\n"
    "  if t == 'table' and rawget(v, '_t') == nil then return nil end\n"
    "  if t == 'function' or t == 'thread' or t == 'userdata' then return nil end\n"
    "  return v end\n"
    "local L = {}\n"
    "L.__index = function(t, k) return t._v[k] end\n"
    "L.__newindex = function(t, k, v)\n"
    "  v = val(v); if math.type(k) ~= 'integer' or k < 1 or v == nil then return end\n"
    "  t._v[k] = v; if k > t._n then t._n = k end\n"
    "end\n"
    "L.__len = function(t) return t._n end\n"
    "L.__name = 'List'\n"
    "list = setmetatable({}, { __call = function(_, t)\n"
    "  local l = setmetatable({ _t = 'list', _v = {}, _n = 0 }, L)\n"
    "  if t then for i, v in ipairs(t) do l._v[i] = v; l._n = i end end\n"
    "  return l end })\n"
    "function list.size(l) return l._n end\n"
    "function list.append(l, v) v = val(v); if v ~= nil then l._n = l._n + 1; l._v[l._n] = v end end\n"
    "function list.prepend(l, v) v = val(v); if v ~= nil then table.insert(l._v, 1, v); l._n = l._n + 1 end end\n"
    "function list.iterator(l) local i = 0\n"
    "  return function() i = i + 1; if i <= l._n then return l._v[i] end end end\n"
    "local M = {}\n"
    "M.__index = function(t, k) return t._v[k] end\n"
    "M.__newindex = function(t, k, v)\n"
    "  k = val(k); if k == nil then return end\n"
    "  v = val(v); local old = t._v[k]\n"
    "  if old == nil and v ~= nil then t._n = t._n + 1 elseif old ~= nil and v == nil then t._n = t._n - 1 end\n"
    "  t._v[k] = v end\n"
    "M.__len = function(t) return t._n end\n"
    "M.__pairs = function(t) return next, t._v, nil end\n"
    "M.__name = 'Map'\n"
    "map = setmetatable({}, { __call = function(_, t)\n"
    "  local m = setmetatable({ _t = 'map', _v = {}, _n = 0 }, M)\n"
    "  if t then for k, v in pairs(t) do m[k] = v end end\n"
    "  return m end })\n"
    "function map.size(m) return m._n end\n"
    "function map.pairs(m) return next, m._v, nil end\n"
    "function map.keys(m) local k; return function() k = next(m._v, k); return k end end\n"
    "function map.values(m) local k, v; return function() k, v = next(m._v, k); return v end end\n"
    "function map.remove(m, k) m[k] = nil end\n"
    "function map.contains(m, k) return m._v[k] ~= nil end\n"
    "local B = { __len = function(b) return #b._s end, __name = 'Bytes' }\n"
    "bytes = setmetatable({}, { __call = function(_, s) return setmetatable({ _t = 'bytes', _s = s or '' }, B) end })\n"
    "function bytes.size(b) return #b._s end\n"
    "function bytes.tostring(b) return b._s end\n"
    "local G = { __name = 'GeoJSON', __tostring = function(g) return g._s end }\n"
    "geojson = { new = function(s) return setmetatable({ _t = 'geo', _s = s }, G) end }\n"
    "function info() end\nfunction debug() end\nfunction trace() end\nfunction warn() end\n"
    "return L, M, B, G\n";

static const char *const MT_NAMES[4] = { "aero.List", "aero.Map", "aero.Bytes", "aero.Geo" };

/* ---- values: msgpack / particles to Lua ---- */

static void set_mt(lua_State *L, int which) {
    lua_getfield(L, LUA_REGISTRYINDEX, MT_NAMES[which]);
    lua_setmetatable(L, -2);
}

/* Push an object {_t = kind, _s = bytes} (bytes, geojson). */
static void push_boxed(lua_State *L, const char *kind, int mt, const void *p, size_t n) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "_t");
    lua_pushlstring(L, (const char *)p, n);
    lua_setfield(L, -2, "_s");
    set_mt(L, mt);
}

static bool push_mp(lua_State *L, mp_reader *r, int depth);

static bool push_mp_obj(lua_State *L, mp_reader *r, const mp_obj *o, int depth) {
    switch (o->type) {
    case MP_NIL: lua_pushnil(L); return true;
    case MP_BOOL: lua_pushboolean(L, o->b); return true;
    case MP_INT: lua_pushinteger(L, o->i); return true;
    case MP_FLOAT: lua_pushnumber(L, o->f); return true;
    case MP_STR:
        if (o->len >= 1 && o->p[0] == AERO_PT_BLOB)
            push_boxed(L, "bytes", 2, o->p + 1, o->len - 1);
        else if (o->len >= 1 && o->p[0] == AERO_PT_GEOJSON)
            push_boxed(L, "geo", 3, o->p + 1, o->len - 1);
        else if (o->len >= 1 && o->p[0] == AERO_PT_STRING)
            lua_pushlstring(L, (const char *)o->p + 1, o->len - 1);
        else
            lua_pushlstring(L, (const char *)o->p, o->len);
        return true;
    case MP_BIN: push_boxed(L, "bytes", 2, o->p, o->len); return true;
    case MP_ARRAY: {
        if (depth > MP_MAX_DEPTH || !lua_checkstack(L, 4))
            return false;
        uint32_t n = o->len;
        lua_createtable(L, 0, 3);
        lua_pushstring(L, "list");
        lua_setfield(L, -2, "_t");
        lua_createtable(L, (int)(n < 1024 ? n : 1024), 0);
        for (uint32_t i = 0; i < n; i++) {
            if (!push_mp(L, r, depth + 1))
                return false;
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "_v");
        lua_pushinteger(L, n);
        lua_setfield(L, -2, "_n");
        set_mt(L, 0);
        return true;
    }
    case MP_MAP: {
        if (depth > MP_MAX_DEPTH || !lua_checkstack(L, 6))
            return false;
        uint32_t n = o->len, count = 0;
        lua_createtable(L, 0, 3);
        lua_pushstring(L, "map");
        lua_setfield(L, -2, "_t");
        lua_newtable(L);
        for (uint32_t i = 0; i < n; i++) {
            mp_obj k;
            if (!mp_read(r, &k))
                return false;
            if (k.type == MP_EXT) { /* the map's order flags: not an entry */
                if (!mp_skip(r))
                    return false;
                continue;
            }
            if (!push_mp_obj(L, r, &k, depth + 1) || !push_mp(L, r, depth + 1))
                return false;
            if (lua_isnil(L, -2)) {
                lua_pop(L, 2);
                continue;
            }
            lua_rawset(L, -3);
            count++;
        }
        lua_setfield(L, -2, "_v");
        lua_pushinteger(L, count);
        lua_setfield(L, -2, "_n");
        set_mt(L, 1);
        return true;
    }
    default: return false;
    }
}

static bool push_mp(lua_State *L, mp_reader *r, int depth) {
    mp_obj o;
    return mp_read(r, &o) && push_mp_obj(L, r, &o, depth);
}

static int64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (int64_t)v;
}

/* Push a bin's particle (nil when it cannot be read). */
static void push_particle(lua_State *L, const ts_bin *b) {
    switch (b->ptype) {
    case AERO_PT_INTEGER:
        if (b->len == 8)
            lua_pushinteger(L, be64(b->data));
        else
            lua_pushnil(L);
        return;
    case AERO_PT_FLOAT: {
        double d = 0;
        int64_t bits = b->len == 8 ? be64(b->data) : 0;
        memcpy(&d, &bits, sizeof d);
        lua_pushnumber(L, d);
        return;
    }
    case AERO_PT_BOOL: lua_pushboolean(L, b->len && b->data[0]); return;
    case AERO_PT_STRING: lua_pushlstring(L, (const char *)b->data, b->len); return;
    case AERO_PT_BLOB:
    case AERO_PT_HLL: push_boxed(L, "bytes", 2, b->data, b->len); return;
    case AERO_PT_GEOJSON: {
        uint32_t cells = b->len >= 3 ? (uint32_t)(b->data[1] << 8 | b->data[2]) : 0;
        size_t off = 3 + 8 * (size_t)cells;
        if (off <= b->len)
            push_boxed(L, "geo", 3, b->data + off, b->len - off);
        else
            lua_pushnil(L);
        return;
    }
    case AERO_PT_LIST:
    case AERO_PT_MAP: {
        mp_reader r = { b->data, b->data + b->len };
        int top = lua_gettop(L);
        if (!push_mp(L, &r, 0)) {
            lua_settop(L, top);
            lua_pushnil(L);
        }
        return;
    }
    default: lua_pushnil(L);
    }
}

/* ---- values: Lua to msgpack / particles ---- */

/* The kind of an object made by the prelude ("list", "map", "bytes", "geo"), or NULL. */
static const char *kind_of(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TTABLE)
        return NULL;
    lua_getfield(L, idx, "_t"); /* raw field: the metatables only index _v */
    const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return k;
}

static bool to_mp(lua_State *L, int idx, aero_buf *b, int depth, const char **why) {
    idx = lua_absindex(L, idx);
    if (depth > MP_MAX_DEPTH || !lua_checkstack(L, 4)) {
        *why = "value nested too deep";
        return false;
    }
    switch (lua_type(L, idx)) {
    case LUA_TNIL: mp_put_nil(b); return true;
    case LUA_TBOOLEAN: mp_put_bool(b, lua_toboolean(L, idx)); return true;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            mp_put_int(b, lua_tointeger(L, idx));
        else
            mp_put_double(b, lua_tonumber(L, idx));
        return true;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        mp_put_pstr(b, AERO_PT_STRING, s, n);
        return true;
    }
    case LUA_TTABLE: break;
    default: *why = "unsupported value type"; return false;
    }
    const char *k = kind_of(L, idx);
    if (!k) {
        *why = "a plain Lua table is not a value (use list{...} or map{...})";
        return false;
    }
    if (!strcmp(k, "bytes") || !strcmp(k, "geo")) {
        lua_getfield(L, idx, "_s");
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        mp_put_pstr(b, k[0] == 'b' ? AERO_PT_BLOB : AERO_PT_GEOJSON, s ? s : "", s ? n : 0);
        lua_pop(L, 1);
        return true;
    }
    lua_getfield(L, idx, "_v");
    int v = lua_gettop(L);
    bool ok = true;
    if (!strcmp(k, "list")) {
        lua_getfield(L, idx, "_n");
        lua_Integer n = lua_tointeger(L, -1);
        lua_pop(L, 1);
        mp_put_array(b, (uint32_t)n);
        for (lua_Integer i = 1; ok && i <= n; i++) {
            lua_rawgeti(L, v, i);
            ok = to_mp(L, -1, b, depth + 1, why);
            lua_pop(L, 1);
        }
    } else {
        uint32_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, v)) {
            n++;
            lua_pop(L, 1);
        }
        mp_put_map(b, n);
        lua_pushnil(L);
        while (ok && lua_next(L, v)) {
            ok = to_mp(L, -2, b, depth + 1, why) && to_mp(L, -1, b, depth + 1, why);
            lua_pop(L, 1);
        }
        if (!ok)
            lua_pop(L, 1); /* the key lua_next left */
    }
    lua_settop(L, v - 1);
    return ok;
}

/* The value at idx as a particle (malloc'd data); false with *why for what has none. */
static bool to_particle(lua_State *L, int idx, uint8_t *pt, uint8_t **data, uint32_t *dlen, const char **why) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    *pt = AERO_PT_NULL;
    *data = NULL;
    *dlen = 0;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: return true;
    case LUA_TBOOLEAN:
        *pt = AERO_PT_BOOL;
        aero_buf__put_u8(&b, lua_toboolean(L, idx) ? 1 : 0);
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            *pt = AERO_PT_INTEGER;
            aero_buf__put_u64be(&b, (uint64_t)lua_tointeger(L, idx));
        } else {
            double d = lua_tonumber(L, idx);
            uint64_t bits;
            memcpy(&bits, &d, sizeof bits);
            *pt = AERO_PT_FLOAT;
            aero_buf__put_u64be(&b, bits);
        }
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        *pt = AERO_PT_STRING;
        aero_buf__put(&b, s, n);
        break;
    }
    case LUA_TTABLE: {
        const char *k = kind_of(L, idx);
        if (k && (!strcmp(k, "bytes") || !strcmp(k, "geo"))) {
            lua_getfield(L, idx, "_s");
            size_t n;
            const char *s = lua_tolstring(L, -1, &n);
            *pt = k[0] == 'b' ? AERO_PT_BLOB : AERO_PT_GEOJSON;
            if (*pt == AERO_PT_GEOJSON) { /* flags, no cells: the server computes cells it needs */
                aero_buf__put_u8(&b, 0);
                aero_buf__put_u16be(&b, 0);
            }
            aero_buf__put(&b, s ? s : "", s ? n : 0);
            lua_pop(L, 1);
            break;
        }
        if (!k || (strcmp(k, "list") && strcmp(k, "map"))) {
            *why = "a plain Lua table is not a value (use list{...} or map{...})";
            return false;
        }
        *pt = k[0] == 'l' ? AERO_PT_LIST : AERO_PT_MAP;
        if (!to_mp(L, idx, &b, 0, why)) {
            aero_buf__free(&b);
            return false;
        }
        break;
    }
    default: *why = "unsupported value type"; return false;
    }
    if (b.failed) {
        *why = "out of memory";
        aero_buf__free(&b);
        return false;
    }
    *data = malloc(b.len ? b.len : 1);
    if (!*data) {
        aero_buf__free(&b);
        *why = "out of memory";
        return false;
    }
    if (b.len)
        memcpy(*data, b.data, b.len);
    *dlen = (uint32_t)b.len;
    aero_buf__free(&b);
    return true;
}

/* ---- the record ---- */

static ts_udf_rec *check_rec(lua_State *L, int idx) {
    ts_udf_rec **p = luaL_checkudata(L, idx, "aero.Record");
    return *p;
}

static int rec_index(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 1);
    size_t n;
    const char *name = luaL_checklstring(L, 2, &n);
    const ts_bin *b = n <= 15 ? ts_record_bin(r->w, name, n) : NULL;
    if (b)
        push_particle(L, b);
    else
        lua_pushnil(L);
    return 1;
}

static int rec_newindex(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 1);
    size_t n;
    const char *name = luaL_checklstring(L, 2, &n);
    if (n == 0 || n > 15)
        return luaL_error(L, "bin name '%s' is %s", name, n ? "longer than 15 bytes" : "empty");
    uint8_t pt, *data;
    uint32_t dl;
    const char *why = NULL;
    if (!to_particle(L, 3, &pt, &data, &dl, &why))
        return luaL_error(L, "can't set bin %s to unsupported type", name); /* mod-lua's words */
    bool ok = true;
    if (pt == AERO_PT_NULL)
        ts_record_remove_bin(r->w, name, n);
    else
        ok = ts_record_set_bin(r->w, name, n, pt, data, dl);
    free(data);
    if (!ok)
        return luaL_error(L, "out of memory");
    return 0;
}

static int r_ttl(lua_State *L) {
    lua_pushinteger(L, check_rec(L, 1)->ttl_left);
    return 1;
}
static int r_gen(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 1);
    lua_pushinteger(L, r->exists ? r->w->generation : 0);
    return 1;
}
static int r_key(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 1);
    const ts_record *w = r->w;
    if (!w->has_key)
        lua_pushnil(L);
    else if (w->key_type == AERO_PT_INTEGER && w->key_len == 8)
        lua_pushinteger(L, be64(w->key));
    else if (w->key_type == AERO_PT_STRING)
        lua_pushlstring(L, (const char *)w->key, w->key_len);
    else
        push_boxed(L, "bytes", 2, w->key, w->key_len);
    return 1;
}
static int r_digest(lua_State *L) {
    push_boxed(L, "bytes", 2, check_rec(L, 1)->w->digest, 20);
    return 1;
}
static int r_setname(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 1);
    lua_pushlstring(L, r->w->set, r->w->set_len);
    return 1;
}
static int r_numbins(lua_State *L) {
    lua_pushinteger(L, check_rec(L, 1)->w->n_bins);
    return 1;
}
/* A plain Lua table of the names, as mod-lua gives it (not a list value). */
static int r_bin_names(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 1);
    lua_createtable(L, (int)r->w->n_bins, 0);
    for (uint32_t i = 0; i < r->w->n_bins; i++) {
        lua_pushlstring(L, r->w->bins[i].name, r->w->bins[i].name_len);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Keep the working copy as the state to write at the end. */
static bool commit(ts_udf_rec *r) {
    ts_record *c = ts_record_clone(r->w);
    if (!c)
        return false;
    ts_record_free(r->committed);
    r->committed = c;
    r->has_updates = true;
    r->removed = false;
    return true;
}

static int as_create(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 2);
    if (r->exists) {
        lua_pushinteger(L, 1); /* record already exists */
        return 1;
    }
    if (!commit(r))
        return luaL_error(L, "out of memory");
    r->exists = true;
    lua_pushinteger(L, 0);
    return 1;
}
static int as_update(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 2);
    if (!r->exists) {
        lua_pushinteger(L, -2);
        return 1;
    }
    if (!commit(r))
        return luaL_error(L, "out of memory");
    lua_pushinteger(L, 0);
    return 1;
}
static int as_exists(lua_State *L) {
    lua_pushboolean(L, check_rec(L, 2)->exists);
    return 1;
}
static int as_remove(lua_State *L) {
    ts_udf_rec *r = check_rec(L, 2);
    if (!r->exists) {
        lua_pushinteger(L, 1);
        return 1;
    }
    r->exists = false;
    r->removed = true;
    r->has_updates = true;
    ts_record_free(r->committed);
    r->committed = NULL;
    ts_record_clear_bins(r->w);
    lua_pushinteger(L, 0);
    return 1;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    luaL_error(L, "UDF Execution Timeout");
}

/* A state with the prelude, the record and aerospike APIs; NULL when out of memory or broken. */
static lua_State *new_state(void) {
    lua_State *L = luaL_newstate();
    if (!L)
        return NULL;
    luaL_openlibs(L);
    if (luaL_loadbufferx(L, PRELUDE, sizeof PRELUDE - 1, "=aero-prelude", "t") != LUA_OK ||
        lua_pcall(L, 0, 4, 0) != LUA_OK) {
        lua_close(L);
        return NULL;
    }
    for (int i = 3; i >= 0; i--)
        lua_setfield(L, LUA_REGISTRYINDEX, MT_NAMES[i]);
    luaL_newmetatable(L, "aero.Record");
    lua_pushcfunction(L, rec_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, rec_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pop(L, 1);
    static const luaL_Reg record_fns[] = { { "ttl", r_ttl },
                                           { "gen", r_gen },
                                           { "key", r_key },
                                           { "digest", r_digest },
                                           { "setname", r_setname },
                                           { "numbins", r_numbins },
                                           { "bin_names", r_bin_names },
                                           { NULL, NULL } };
    luaL_newlib(L, record_fns);
    lua_setglobal(L, "record");
    static const luaL_Reg as_fns[] = { { "create", as_create },
                                       { "update", as_update },
                                       { "exists", as_exists },
                                       { "remove", as_remove },
                                       { NULL, NULL } };
    luaL_newlib(L, as_fns);
    lua_setglobal(L, "aerospike");
    lua_sethook(L, count_hook, LUA_MASKCOUNT, MAX_INSTRUCTIONS);
    return L;
}

int ts_lua_validate(const char *file, const char *src, size_t len, char *msg, size_t cap, int *line) {
    lua_State *L = luaL_newstate();
    if (!L) {
        snprintf(msg, cap, "out of memory");
        *line = 0;
        return -1;
    }
    char chunk[200];
    snprintf(chunk, sizeof chunk, "@%s", file);
    int rc = 0;
    if (luaL_loadbufferx(L, src, len, chunk, "t") != LUA_OK) {
        const char *e = lua_tostring(L, -1);
        e = e ? e : "syntax error";
        /* "<file>:<line>: <message>": the server reports file, line and message apart */
        size_t fl = strlen(file);
        *line = 0;
        if (!strncmp(e, file, fl) && e[fl] == ':') {
            char *end;
            long ln = strtol(e + fl + 1, &end, 10);
            if (*end == ':') {
                *line = (int)ln;
                e = end + 1 + (end[1] == ' ');
            }
        }
        snprintf(msg, cap, "%s", e);
        rc = -1;
    }
    lua_close(L);
    return rc;
}

int ts_lua_apply(const char *file, const char *src, size_t len, const char *function, const uint8_t *args,
                 size_t args_len, ts_udf_rec *r, uint8_t *ptype, uint8_t **data, uint32_t *dlen, char *msg,
                 size_t cap) {
    *ptype = 0, *data = NULL, *dlen = 0;
    lua_State *L = new_state();
    if (!L) {
        snprintf(msg, cap, "UDF: Execution Error 1");
        return -1;
    }
    char chunk[200];
    snprintf(chunk, sizeof chunk, "@%s/%s", TS_UDF_USER_PATH, file);
    int rc = -1;
    if (luaL_loadbufferx(L, src, len, chunk, "t") != LUA_OK || lua_pcall(L, 0, 0, 0) != LUA_OK) {
        snprintf(msg, cap, "UDF: Execution Error 1"); /* mod-lua could not load the module */
        goto out;
    }
    lua_getglobal(L, function);
    if (!lua_isfunction(L, -1)) {
        snprintf(msg, cap, "function not found");
        goto out;
    }
    ts_udf_rec **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = r;
    luaL_setmetatable(L, "aero.Record");
    mp_reader rd = { args, args + args_len };
    mp_obj a;
    int nargs = 1;
    if (!mp_read(&rd, &a) || a.type != MP_ARRAY) {
        snprintf(msg, cap, "UDF: Execution Error 2");
        goto out;
    }
    for (uint32_t i = 0; i < a.len; i++, nargs++) {
        if (!lua_checkstack(L, 8) || !push_mp(L, &rd, 0)) {
            snprintf(msg, cap, "UDF: Execution Error 2");
            goto out;
        }
    }
    if (lua_pcall(L, nargs, 1, 0) != LUA_OK) {
        if (lua_type(L, -1) == LUA_TSTRING)
            snprintf(msg, cap, "%s", lua_tostring(L, -1));
        else
            snprintf(msg, cap, "result value type unexpected");
        goto out;
    }
    const char *why = NULL;
    if (!to_particle(L, -1, ptype, data, dlen, &why)) /* a value mod-lua cannot convert answers nil */
        *ptype = 0, *data = NULL, *dlen = 0;
    rc = 0;
out:
    lua_close(L);
    return rc;
}

#endif
