import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) as a request to stop: long runs poll `requested` between
/// batches, stop cleanly, keep what they finished and say how to resume.
public enum Interrupt {
    static let flag = Atomic<Bool>(false)

    /// Routes SIGINT and SIGTERM to the flag (a second Ctrl-C still kills at once).
    public static func install() {
        // A parent may have started us with these signals blocked (the mask is inherited).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) { _exit(130) }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
        signal(SIGTERM) { _ in Interrupt.flag.store(true, ordering: .relaxed) }
    }

    public static var requested: Bool { flag.load(ordering: .relaxed) }
}

/// Thrown when a run stopped because it was interrupted.
public struct Interrupted: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
