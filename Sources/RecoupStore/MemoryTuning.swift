/// Keeps freed memory in the process instead of returning it to the kernel
/// after every large array: the engine allocates and drops column-sized
/// arrays all the time, and fresh pages cost a page fault each.
public enum MemoryTuning {
    public static func apply() {
        #if os(Linux)
        // glibc's mallopt parameters (malloc.h); Swift does not import the header.
        _ = c_mallopt(-3, 32 << 20)   // M_MMAP_THRESHOLD: the largest glibc accepts
        _ = c_mallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD
        _ = c_mallopt(-2, 64 << 20)   // M_TOP_PAD
        _ = c_mallopt(-8, 4)          // M_ARENA_MAX
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func c_mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
