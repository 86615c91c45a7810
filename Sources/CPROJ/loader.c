// See CPROJ.h: libproj opened on first use, its functions reached through pointers.
#include "CPROJ.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Every libproj function perimetre calls: X(name).
#define PERIMETRE_PROJ_SYMBOLS(X) \
    X(proj_context_create) X(proj_context_destroy) X(proj_context_set_search_paths) X(proj_log_level) X(proj_log_func) \
    X(proj_create) X(proj_create_crs_to_crs) X(proj_normalize_for_visualization) X(proj_as_proj_string) X(proj_clone) X(proj_destroy) \
    X(proj_context_errno) X(proj_context_errno_string) X(proj_errno) X(proj_errno_reset) \
    X(proj_pj_info) X(proj_trans_generic) X(proj_info) \
    X(geod_init) X(geod_polygonarea) X(geod_inverse)

#define PERIMETRE_PROJ_POINTER(name) static __typeof__(&name) p_##name;
PERIMETRE_PROJ_SYMBOLS(PERIMETRE_PROJ_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *load_error;
static char load_message[512];

static void load(void) {
    // The development link first (its package is what the build needs), then the run-time names of
    // the releases perimetre is built against (Debian 12: PROJ 9.1, libproj.so.25). Bound lazily:
    // libproj brings 40 libraries (curl, TLS, Kerberos…) whose every symbol RTLD_NOW would bind,
    // 30 million instructions for the few functions perimetre calls, each checked by dlsym below.
    static const char *const names[] = {"libproj.so", "libproj.so.25", "libproj.so.22", "libproj.so.19"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !handle; i++) {
        handle = dlopen(names[i], RTLD_LAZY | RTLD_LOCAL);
    }
    if (!handle) {
        snprintf(load_message, sizeof load_message, "libproj introuvable (%s) ; installez libproj-dev", dlerror());
        load_error = load_message;
        return;
    }
#define PERIMETRE_PROJ_RESOLVE(name) \
    if (!(p_##name = (__typeof__(p_##name))dlsym(handle, #name))) { \
        snprintf(load_message, sizeof load_message, "libproj sans la fonction %s", #name); \
        load_error = load_message; \
        return; \
    }
    PERIMETRE_PROJ_SYMBOLS(PERIMETRE_PROJ_RESOLVE)
}

const char *perimetre_proj_load(void) {
    pthread_once(&once, load);
    return load_error;
}

static pthread_t preload_thread;
static int preload_state;  // 0: not started, 1: running (joinable), 2: over
static pthread_mutex_t preload_lock = PTHREAD_MUTEX_INITIALIZER;

static void *preload_main(void *unused) {
    (void)unused;
    perimetre_proj_load();
    return NULL;
}

void perimetre_proj_preload(void) {
    pthread_mutex_lock(&preload_lock);
    if (preload_state == 0) preload_state = pthread_create(&preload_thread, NULL, preload_main, NULL) == 0 ? 1 : 2;
    pthread_mutex_unlock(&preload_lock);
}

void perimetre_proj_preload_finish(void) {
    pthread_mutex_lock(&preload_lock);
    if (preload_state == 1) pthread_join(preload_thread, NULL);
    preload_state = 2;
    pthread_mutex_unlock(&preload_lock);
}

// Callers that cannot throw (the geodesic measures) reach libproj here: a missing libproj is a
// broken installation, an internal failure (exit 70), not bad input.
static void require(void) {
    if (perimetre_proj_load()) {
        fprintf(stderr, "perimetre: erreur interne : %s\n", load_error);
        exit(70);
    }
}

PJ_CONTEXT *perimetre_proj_context_create(void) { require(); return p_proj_context_create(); }
void perimetre_proj_context_destroy(PJ_CONTEXT *ctx) { require(); p_proj_context_destroy(ctx); }
void perimetre_proj_log_level(PJ_CONTEXT *ctx, PJ_LOG_LEVEL level) { require(); p_proj_log_level(ctx, level); }
void perimetre_proj_log_func(PJ_CONTEXT *ctx, void *app_data, PJ_LOG_FUNCTION logf) {
    require();
    p_proj_log_func(ctx, app_data, logf);
}
PJ *perimetre_proj_create_crs_to_crs(PJ_CONTEXT *ctx, const char *source, const char *target) {
    require();
    return p_proj_create_crs_to_crs(ctx, source, target, NULL);
}
PJ *perimetre_proj_normalize_for_visualization(PJ_CONTEXT *ctx, const PJ *obj) {
    require();
    return p_proj_normalize_for_visualization(ctx, obj);
}
void perimetre_proj_context_without_files(PJ_CONTEXT *ctx, int without) {
    require();
    // A folder that does not exist: neither proj.db nor any grid is found there.
    static const char *const nowhere[] = {"/nonexistent/perimetre-no-proj-data"};
    p_proj_context_set_search_paths(ctx, without ? 1 : 0, without ? nowhere : NULL);
}
PJ *perimetre_proj_create(PJ_CONTEXT *ctx, const char *definition) { require(); return p_proj_create(ctx, definition); }
const char *perimetre_proj_as_proj_string(PJ_CONTEXT *ctx, const PJ *obj) {
    require();
    return p_proj_as_proj_string(ctx, obj, PJ_PROJ_5, NULL);
}
PJ *perimetre_proj_clone(PJ_CONTEXT *ctx, const PJ *obj) { require(); return p_proj_clone(ctx, obj); }
void perimetre_proj_destroy(PJ *pj) { require(); p_proj_destroy(pj); }
int perimetre_proj_context_errno(PJ_CONTEXT *ctx) { require(); return p_proj_context_errno(ctx); }
const char *perimetre_proj_context_errno_string(PJ_CONTEXT *ctx, int err) {
    require();
    return p_proj_context_errno_string(ctx, err);
}
int perimetre_proj_errno(const PJ *pj) { require(); return p_proj_errno(pj); }
void perimetre_proj_errno_reset(const PJ *pj) { require(); p_proj_errno_reset(pj); }
int perimetre_proj_has_inverse(PJ *pj) { require(); return p_proj_pj_info(pj).has_inverse; }
size_t perimetre_proj_trans_xy(PJ *pj, PJ_DIRECTION direction, double *xy, size_t n) {
    require();
    return p_proj_trans_generic(pj, direction, xy, 16, n, xy + 1, 16, n, NULL, 0, 0, NULL, 0, 0);
}
const char *perimetre_proj_version(void) { require(); return p_proj_info().version; }

void perimetre_geod_init(struct geod_geodesic *g, double a, double f) { require(); p_geod_init(g, a, f); }
void perimetre_geod_polygonarea(const struct geod_geodesic *g, double *lats, double *lons, int n,
                                double *area, double *perimeter) {
    require();
    p_geod_polygonarea(g, lats, lons, n, area, perimeter);
}
void perimetre_geod_inverse(const struct geod_geodesic *g, double lat1, double lon1, double lat2, double lon2,
                            double *s12, double *azi1, double *azi2) {
    require();
    p_geod_inverse(g, lat1, lon1, lat2, lon2, s12, azi1, azi2);
}
