#ifndef PERIMETRE_CSHAPELIB_SHIM_H
#define PERIMETRE_CSHAPELIB_SHIM_H
#include <shapefil.h>
#endif
