#if canImport(Glibc)
import Glibc
#endif

/// A progress line on standard error while a long run goes on, shown only when
/// standard error is a terminal and refreshed at most once a second.
public enum RunProgress {
    nonisolated(unsafe) static var lastShown: timespec = timespec()
    nonisolated(unsafe) static var shown = false
    static let enabled = isatty(2) == 1

    /// Called from a run's poll point with the operations done so far.
    public static func update(_ what: String, operations: Int) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        guard now.tv_sec > lastShown.tv_sec else { return }
        lastShown = now
        shown = true
        let line = "\r\(what): \(operations) operations, peak RSS \(peakResidentMiB()) MiB   "
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    /// Ends the progress line, if one was shown.
    public static func finish() {
        guard shown else { return }
        shown = false
        _ = "\n".withCString { write(2, $0, 1) }
    }

    /// The process's peak resident set size, MiB.
    public static func peakResidentMiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) / 1024
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
