#ifndef QUANT_COPENBLAS_SHIM_H
#define QUANT_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
