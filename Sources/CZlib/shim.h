#ifndef QUANT_CZLIB_SHIM_H
#define QUANT_CZLIB_SHIM_H
#include <zlib.h>
#endif
