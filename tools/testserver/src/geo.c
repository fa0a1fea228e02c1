/*
 * geo.c - GeoJSON matching for the geo_compare expression: a Point inside a
 * Polygon, MultiPolygon or AeroCircle (either argument order). Polygons are
 * tested in the lng/lat plane (ray casting, holes excluded) and circles with
 * the great-circle distance, which agrees with the server's S2 geometry
 * except within a hair of an edge.
 */
#include "geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COORDS 4096

typedef struct jnode {
    bool is_num;
    double num;
    int first_child; /* index in the pool, -1 if none */
    int next;        /* next sibling, -1 if none */
    int n_children;
} jnode;

typedef struct jparse {
    const char *p, *end;
    jnode pool[MAX_COORDS];
    int n;
} jparse;

static void skip_ws(jparse *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

/* Parse a number or a nested array of numbers; returns the node index or -1. */
static int parse_coords(jparse *j, int depth) {
    skip_ws(j);
    if (j->p >= j->end || j->n >= MAX_COORDS || depth > 8)
        return -1;
    int me = j->n++;
    jnode *nd = &j->pool[me];
    nd->first_child = nd->next = -1;
    nd->n_children = 0;
    if (*j->p != '[') {
        char buf[64];
        size_t k = 0;
        while (j->p < j->end && k + 1 < sizeof buf && (strchr("+-.eE", *j->p) || (*j->p >= '0' && *j->p <= '9')))
            buf[k++] = *j->p++;
        buf[k] = 0;
        char *e;
        nd->num = strtod(buf, &e);
        if (k == 0 || *e)
            return -1;
        nd->is_num = true;
        return me;
    }
    nd->is_num = false;
    j->p++;
    int last = -1;
    for (;;) {
        skip_ws(j);
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return me;
        }
        int c = parse_coords(j, depth + 1);
        if (c < 0)
            return -1;
        if (last < 0)
            j->pool[me].first_child = c;
        else
            j->pool[last].next = c;
        last = c;
        j->pool[me].n_children++;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',')
            j->p++;
        else if (j->p >= j->end || *j->p != ']')
            return -1;
    }
}

typedef enum { G_NONE, G_POINT, G_POLYGON, G_MULTIPOLYGON, G_CIRCLE } gtype;

/* Find "type" and "coordinates" in the JSON object text. */
static gtype parse_geo(const char *s, size_t n, jparse *j, int *root) {
    const char *end = s + n;
    const char *t = memmem(s, n, "\"type\"", 6);
    const char *c = memmem(s, n, "\"coordinates\"", 13);
    if (!t || !c)
        return G_NONE;
    t += 6;
    while (t < end && (*t == ' ' || *t == ':'))
        t++;
    gtype g = G_NONE;
    size_t left = (size_t)(end - t);
    if (left >= 7 && !memcmp(t, "\"Point\"", 7))
        g = G_POINT;
    else if (left >= 9 && !memcmp(t, "\"Polygon\"", 9))
        g = G_POLYGON;
    else if (left >= 14 && !memcmp(t, "\"MultiPolygon\"", 14))
        g = G_MULTIPOLYGON;
    else if (left >= 12 && !memcmp(t, "\"AeroCircle\"", 12))
        g = G_CIRCLE;
    c += 13;
    while (c < end && (*c == ' ' || *c == ':'))
        c++;
    j->p = c;
    j->end = end;
    j->n = 0;
    *root = parse_coords(j, 0);
    return *root < 0 ? G_NONE : g;
}

static bool point_of(const jparse *j, int node, double *x, double *y) {
    const jnode *n = &j->pool[node];
    if (n->is_num || n->n_children < 2)
        return false;
    const jnode *a = &j->pool[n->first_child];
    if (!a->is_num || a->next < 0 || !j->pool[a->next].is_num)
        return false;
    *x = a->num;
    *y = j->pool[a->next].num;
    return true;
}

static bool in_ring(const jparse *j, int ring, double px, double py) {
    bool in = false;
    double x0 = 0, y0 = 0, x1, y1;
    int first = j->pool[ring].first_child;
    if (first < 0 || !point_of(j, first, &x0, &y0))
        return false;
    double sx = x0, sy = y0;
    for (int c = j->pool[first].next;; c = j->pool[c].next) {
        bool closing = c < 0;
        if (closing) {
            x1 = sx;
            y1 = sy;
        } else if (!point_of(j, c, &x1, &y1)) {
            return false;
        }
        if (((y0 > py) != (y1 > py)) && px < (x1 - x0) * (py - y0) / (y1 - y0) + x0)
            in = !in;
        x0 = x1;
        y0 = y1;
        if (closing)
            break;
    }
    return in;
}

static bool in_polygon(const jparse *j, int poly, double px, double py) {
    int ring = j->pool[poly].first_child;
    if (ring < 0 || j->pool[ring].is_num || !in_ring(j, ring, px, py))
        return false;
    for (int h = j->pool[ring].next; h >= 0; h = j->pool[h].next)
        if (in_ring(j, h, px, py))
            return false;
    return true;
}

static bool contains(const jparse *j, gtype g, int root, double px, double py) {
    switch (g) {
    case G_POLYGON: return in_polygon(j, root, px, py);
    case G_MULTIPOLYGON:
        for (int p = j->pool[root].first_child; p >= 0; p = j->pool[p].next)
            if (!j->pool[p].is_num && in_polygon(j, p, px, py))
                return true;
        return false;
    case G_CIRCLE: {
        int center = j->pool[root].first_child;
        double cx, cy;
        if (center < 0 || !point_of(j, center, &cx, &cy) || j->pool[center].next < 0 ||
            !j->pool[j->pool[center].next].is_num)
            return false;
        double r = j->pool[j->pool[center].next].num;
        const double rad = 3.14159265358979323846 / 180.0;
        double dlat = (py - cy) * rad, dlng = (px - cx) * rad;
        double h = sin(dlat / 2) * sin(dlat / 2) + cos(cy * rad) * cos(py * rad) * sin(dlng / 2) * sin(dlng / 2);
        double d = 2 * 6371000.0 * asin(sqrt(h < 1 ? h : 1));
        return d <= r;
    }
    default: return false;
    }
}

int ts_geo_compare(const char *a, size_t an, const char *b, size_t bn) {
    jparse *ja = malloc(sizeof *ja), *jb = malloc(sizeof *jb);
    int res = -1;
    if (ja && jb) {
        int ra, rb;
        gtype ga = parse_geo(a, an, ja, &ra), gb = parse_geo(b, bn, jb, &rb);
        double x, y;
        if (ga == G_NONE || gb == G_NONE)
            res = -1;
        else if (ga == G_POINT && gb != G_POINT)
            res = point_of(ja, ra, &x, &y) && contains(jb, gb, rb, x, y);
        else if (gb == G_POINT && ga != G_POINT)
            res = point_of(jb, rb, &x, &y) && contains(ja, ga, ra, x, y);
        else
            res = 0;
    }
    free(ja);
    free(jb);
    return res;
}
