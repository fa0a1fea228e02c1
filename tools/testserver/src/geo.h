/*
 * geo.h - GeoJSON point / region matching for the geo_compare expression.
 */
#ifndef AERO_TS_GEO_H
#define AERO_TS_GEO_H

#include <stdbool.h>
#include <stddef.h>

/**
 * 1 when one argument is a Point inside the other (a Polygon, MultiPolygon
 * or AeroCircle), 0 when not (or both are points / both regions), -1 when
 * either text is not GeoJSON this matcher understands.
 */
int ts_geo_compare(const char *a, size_t an, const char *b, size_t bn);

#endif
