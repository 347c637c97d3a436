import CLibCSV

/// Tells the CPU to start loading the cache line at an address that will soon be read and
/// written, without waiting for it: `validate`'s duplicate check misses the cache on almost every
/// row (a million ids hash all over a 16 MiB table), and the row judged four rows later then
/// finds its slot loaded (`ByteStringSet.prefetchSlot`).
///
/// Written by hand because nothing offers it: Swift's standard library has no prefetch, and no
/// package on this machine does; it is C's `__builtin_prefetch`, in the libcsv module's shim (the
/// one C header the project has). Only a hint: any address is allowed, none faults, and the
/// program means the same without it.
///
/// Inlinable, so the hint is one instruction in the caller's loop rather than a call.
public enum CachePrefetch {
    @inlinable @inline(__always)
    public static func forWriting(_ address: UnsafeRawPointer) {
        keybatch_prefetch_for_writing(address)
    }
}
