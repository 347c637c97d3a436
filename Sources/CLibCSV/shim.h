#ifndef KEYBATCH_CLIBCSV_SHIM_H
#define KEYBATCH_CLIBCSV_SHIM_H
#include <csv.h>

/* A hint to start loading the cache line at `address` for a read and a write soon: Swift has no
 * prefetch of its own (see CSV's CachePrefetch). Never faults, whatever the address. */
static inline void keybatch_prefetch_for_writing(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
#endif
