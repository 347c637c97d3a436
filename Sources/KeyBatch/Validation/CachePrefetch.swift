/// Tells the CPU to start loading a cache line that will soon be used, without waiting for it:
/// `validate`'s duplicate check misses the cache on almost every row (a million ids hash all
/// over a 16 MiB table), and a row judged a few rows later then finds its slot loaded.
///
/// Written by hand because nothing offers it: the standard library has no prefetch, and no
/// package on this machine does. It is LLVM's own `llvm.prefetch` intrinsic, declared by name
/// (the spelling LLVM has used since its pointers became opaque, in every Swift 6 toolchain);
/// were a toolchain to lack it, the build would fail to link, never misbehave. A prefetch is
/// only a hint: any address is allowed, none faults, and the program means the same without it.
enum CachePrefetch {
    @inline(__always)
    static func forWriting(_ address: UnsafeRawPointer) {
        llvmPrefetch(address, 1, 3, 1)
    }
}

/// `llvm.prefetch(address, rw: 1 = write, locality: 3 = keep in all cache levels, cache type: 1 = data)`.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cacheType: Int32)
