import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system's cryptographic randomness, read 4 KiB at a time. `SystemRandomNumberGenerator`
/// makes one `getrandom` call per word, and an event id takes two words: on the log's append path
/// that was two system calls per event, 4% of the log benchmark's CPU.
///
/// The pool is one per process, behind a lock. It is not safe across `fork` without `exec`,
/// which Swift programs do not do.
public struct PooledRandomGenerator: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    private static let pool = Mutex(Pool())

    private struct Pool: ~Copyable {
        static let wordCount = 512
        var words = [UInt64](repeating: 0, count: wordCount)
        var index = wordCount

        mutating func next() -> UInt64 {
            if index == words.count {
                Self.fill(&words)
                index = 0
            }
            defer { index += 1 }
            return words[index]
        }

        private static func fill(_ words: inout [UInt64]) {
            words.withUnsafeMutableBytes { buffer in
                var filled = 0
                #if canImport(Glibc)
                    // getrandom(2) is not in Glibc's Swift module; /dev/urandom is the same source.
                    let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
                    if descriptor >= 0 {
                        while filled < buffer.count {
                            let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                            if count > 0 {
                                filled += count
                            } else if count == 0 || errno != EINTR {
                                break
                            }
                        }
                        close(descriptor)
                    }
                #elseif canImport(Darwin)
                    arc4random_buf(buffer.baseAddress!, buffer.count)
                    filled = buffer.count
                #endif
                // Without a bulk source, fall back to the standard generator word by word.
                var system = SystemRandomNumberGenerator()
                while filled + 8 <= buffer.count {
                    buffer.storeBytes(of: system.next(), toByteOffset: filled, as: UInt64.self)
                    filled += 8
                }
            }
        }
    }
}
