// PROJ (proj.h) and GeographicLib's geodesic routines (geodesic.h), both exported by libproj,
// loaded on first use.
//
// libproj is not linked: it is opened with dlopen the first time a `perimetre_proj_*` or
// `perimetre_geod_*` wrapper runs. Linking it made every process load libproj and its chain
// (libcurl, GnuTLS, Kerberos, libtiff: 30 libraries) at start, about 12 ms measured here, although
// `check` and `diff` of whole EPCI, `data info` and `serve` answer from the GeoPackage's tables and
// never project a coordinate. Only the wrappers below may be called; the declarations of proj.h
// are visible for its types, and calling one of its functions directly fails at link time.
#ifndef PERIMETRE_CPROJ_H
#define PERIMETRE_CPROJ_H

#include <proj.h>
#include <geodesic.h>

/// Loads libproj now if it is not loaded. Returns NULL once loaded, or the loader's message
/// (library or symbol not found) for the caller to report; the message lives for the process.
const char *perimetre_proj_load(void);

/// Starts loading libproj on a thread of its own, for a command that will need it and has a core
/// idle meanwhile (the loading of its chain of libraries costs ~7 ms). At most once per process.
/// The command must call perimetre_proj_preload_finish() before the process exits: exit() would
/// otherwise run the destructors of libraries still being constructed (an atexit handler cannot
/// wait for them, as theirs are registered later and run first).
void perimetre_proj_preload(void);

/// Waits for the loading started by perimetre_proj_preload(), if any.
void perimetre_proj_preload_finish(void);

PJ_CONTEXT *perimetre_proj_context_create(void);
void perimetre_proj_context_destroy(PJ_CONTEXT *ctx);
void perimetre_proj_log_level(PJ_CONTEXT *ctx, PJ_LOG_LEVEL level);
void perimetre_proj_log_func(PJ_CONTEXT *ctx, void *app_data, PJ_LOG_FUNCTION logf);
PJ *perimetre_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *source, const char *target);
PJ *perimetre_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj);
/// With `without` non-zero, the context finds no data file (proj.db, grids); zero restores the
/// default search. PROJ 9.1 opens proj.db for every object it creates, for its metadata: 10-25 ms
/// the first time in a process, which a `+proj=` pipeline on an ellipsoid does not need.
void perimetre_proj_context_without_files(PJ_CONTEXT *ctx, int without);
/// An object from a PROJ string or pipeline: no database search when it is a `+proj=` pipeline.
PJ *perimetre_proj_create(PJ_CONTEXT *ctx, const char *definition);
/// The PROJ (5) string of a coordinate operation, or NULL when it has none (several candidate
/// operations); owned by `obj`.
const char *perimetre_proj_as_proj_string(PJ_CONTEXT *ctx, const PJ *obj);
PJ *perimetre_proj_clone(PJ_CONTEXT *ctx, const PJ *obj);
void perimetre_proj_destroy(PJ *pj);
int perimetre_proj_context_errno(PJ_CONTEXT *ctx);
const char *perimetre_proj_context_errno_string(PJ_CONTEXT *ctx, int err);
int perimetre_proj_errno(const PJ *pj);
void perimetre_proj_errno_reset(const PJ *pj);
int perimetre_proj_has_inverse(PJ *pj);
/// Transforms `n` interleaved x, y pairs in place (stride 16 bytes); returns the count transformed.
size_t perimetre_proj_trans_xy(PJ *pj, PJ_DIRECTION direction, double *xy, size_t n);
/// The PROJ release, e.g. "9.1.1".
const char *perimetre_proj_version(void);

void perimetre_geod_init(struct geod_geodesic *g, double a, double f);
void perimetre_geod_polygonarea(const struct geod_geodesic *g, double *lats, double *lons, int n,
                                double *area, double *perimeter);
void perimetre_geod_inverse(const struct geod_geodesic *g, double lat1, double lon1, double lat2, double lon2,
                            double *s12, double *azi1, double *azi2);

#endif
