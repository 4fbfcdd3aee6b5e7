#ifndef QUANT_CCAIRO_SHIM_H
#define QUANT_CCAIRO_SHIM_H
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>
/* zlib comes with Cairo (libcairo2-dev → libpng-dev → zlib1g-dev). Plot's own
   PNG encoder uses it directly to choose a faster compression than Cairo's
   PNG writer allows. */
#include <zlib.h>
#endif
