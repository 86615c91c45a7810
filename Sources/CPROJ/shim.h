// PROJ: coordinate operations (proj.h) and the geodesic routines of GeographicLib (geodesic.h),
// both exported by libproj.
#ifndef PERIMETRE_CPROJ_SHIM_H
#define PERIMETRE_CPROJ_SHIM_H
#include <proj.h>
#include <geodesic.h>
#endif
