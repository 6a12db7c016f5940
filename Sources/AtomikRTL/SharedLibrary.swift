import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A shared library loaded once per process (a Verilator model with a C ABI),
/// and its functions by name.
struct SharedLibrary {
    let path: String
    let handle: UnsafeMutableRawPointer

    nonisolated(unsafe) private static var loaded: [String: UnsafeMutableRawPointer] = [:]
    private static let lock = NSLock()

    /// Loads `path`, or returns the copy loaded before.
    init(_ path: String) throws {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let h = Self.loaded[path] {
            handle = h
        } else {
            guard let h = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                throw RTLError("cannot load the Verilator model \(path): \(String(cString: dlerror()))")
            }
            Self.loaded[path] = h
            handle = h
        }
        self.path = path
    }

    /// The function `name`, as a C function pointer of type `T`.
    func function<T>(_ name: String, _: T.Type) throws -> T {
        guard let s = dlsym(handle, name) else { throw RTLError("the library \(path) has no \(name)") }
        return unsafeBitCast(s, to: T.self)
    }
}
