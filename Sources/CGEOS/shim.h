// GEOS C API, reentrant functions only (as shapely 2 does).
//
// Functions newer than GEOS 3.11 (Debian 12) are reached through `perimetre_geos_*`
// wrappers that use the real function where the headers have it and report
// "unavailable" otherwise, so the package builds on 3.11 and uses newer GEOS where present.
#ifndef PERIMETRE_CGEOS_SHIM_H
#define PERIMETRE_CGEOS_SHIM_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#define PERIMETRE_GEOS_AT_LEAST(maj, min) \
    (GEOS_VERSION_MAJOR > (maj) || (GEOS_VERSION_MAJOR == (maj) && GEOS_VERSION_MINOR >= (min)))

/// 1 when this build of GEOS has GEOSOrientPolygons_r (3.12+).
static inline int perimetre_geos_has_orient_polygons(void) {
#if PERIMETRE_GEOS_AT_LEAST(3, 12)
    return 1;
#else
    return 0;
#endif
}

/// Orients polygon rings in place: exterior counter-clockwise when exteriorCW == 0.
/// Returns -1 (and does nothing) where GEOS is older than 3.12; the caller falls back.
static inline int perimetre_geos_orient_polygons(GEOSContextHandle_t h, GEOSGeometry *g, int exteriorCW) {
#if PERIMETRE_GEOS_AT_LEAST(3, 12)
    return GEOSOrientPolygons_r(h, g, exteriorCW);
#else
    (void)h; (void)g; (void)exteriorCW;
    return -1;
#endif
}

/// 1 when this build of GEOS has GEOSCoverageIsValid_r and GEOSCoverageSimplifyVW_r (3.12+).
static inline int perimetre_geos_has_coverage_tools(void) {
#if PERIMETRE_GEOS_AT_LEAST(3, 12)
    return 1;
#else
    return 0;
#endif
}

/// Coverage simplification (GEOS 3.12+); NULL where unavailable.
static inline GEOSGeometry *perimetre_geos_coverage_simplify_vw(GEOSContextHandle_t h, const GEOSGeometry *g,
                                                                double tolerance, int preserveBoundary) {
#if PERIMETRE_GEOS_AT_LEAST(3, 12)
    return GEOSCoverageSimplifyVW_r(h, g, tolerance, preserveBoundary);
#else
    (void)h; (void)g; (void)tolerance; (void)preserveBoundary;
    return NULL;
#endif
}

/// Builds an STR-tree now (GEOS 3.12+); a no-op returning 1 on older GEOS, which builds lazily.
static inline int perimetre_geos_strtree_build(GEOSContextHandle_t h, GEOSSTRtree *tree) {
#if PERIMETRE_GEOS_AT_LEAST(3, 12)
    return GEOSSTRtree_build_r(h, tree);
#else
    (void)h; (void)tree;
    return 1;
#endif
}

/// Message handler trampoline type used by the Swift layer.
typedef void (*perimetre_geos_message_handler)(const char *message, void *userdata);

#endif
