#ifndef KEYBATCH_CLIBCSV_SHIM_H
#define KEYBATCH_CLIBCSV_SHIM_H
#include <csv.h>
#endif
