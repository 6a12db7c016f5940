import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A shared library (a Verilator model with a C ABI), and its functions by
/// name. Loaded once per process by its owner (`DUTShim.load`,
/// `VerilatorShim.shared`), which caches it by path.
struct SharedLibrary {
    let path: String
    let handle: UnsafeMutableRawPointer

    init(_ path: String) throws {
        guard let h = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw RTLError("cannot load the Verilator model \(path): \(String(cString: dlerror()))")
        }
        handle = h
        self.path = path
    }

    /// The function `name`, as a C function pointer of type `T`.
    func function<T>(_ name: String, _: T.Type) throws -> T {
        guard let s = dlsym(handle, name) else { throw RTLError("the library \(path) has no \(name)") }
        return unsafeBitCast(s, to: T.self)
    }
}
