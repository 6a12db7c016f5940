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
        // Without SA_RESTART: a read blocked on a FIFO or a terminal returns EINTR,
        // so the reader sees the request at once (`signal` would restart the read).
        func handle(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        _ = children   // made now: a signal handler must not be the first to touch it
        handle(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) {
                // The second Ctrl-C ends the process at once, and the tools it is running with it.
                for k in 0..<Interrupt.childSlots {
                    let pid = Interrupt.children[k].load(ordering: .relaxed)
                    if pid > 0 { kill(pid, SIGKILL) }
                }
                _exit(130)
            }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
        handle(SIGTERM) { _ in Interrupt.flag.store(true, ordering: .relaxed) }
    }

    public static var requested: Bool { flag.load(ordering: .relaxed) }

    /// The external tools running now (a simulator, yosys, nextpnr), for the second Ctrl-C to kill.
    static let childSlots = 16
    nonisolated(unsafe) static let children: UnsafeMutablePointer<Atomic<Int32>> = {
        let slots = UnsafeMutablePointer<Atomic<Int32>>.allocate(capacity: childSlots)
        for k in 0..<childSlots { (slots + k).initialize(to: Atomic(0)) }
        return slots
    }()

    /// A tool started as `pid`; `finished` when it is gone.
    public static func started(_ pid: Int32) {
        for k in 0..<childSlots where children[k].compareExchange(expected: 0, desired: pid, ordering: .relaxed).exchanged { return }
    }

    public static func finished(_ pid: Int32) {
        for k in 0..<childSlots where children[k].compareExchange(expected: pid, desired: 0, ordering: .relaxed).exchanged { return }
    }
}

/// Thrown when a run stopped because it was interrupted.
public struct Interrupted: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
