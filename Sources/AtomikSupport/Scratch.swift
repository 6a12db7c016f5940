import Foundation

/// The process's temporary files and directories, all under one directory,
/// `$TMPDIR/atomik-run-PID-UUID`: removed when the process exits, and by the
/// next run of the tool when a process ended without its own clean-up (killed,
/// or stopped by a second Ctrl-C).
public enum Scratch {
    static let prefix = "atomik-run-"

    /// Made on first use.
    public static let root: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        rootPath = strdup(dir.path)
        atexit {
            if let path = Scratch.rootPath { try? FileManager.default.removeItem(atPath: String(cString: path)) }
        }
        return dir
    }()
    nonisolated(unsafe) static var rootPath: UnsafeMutablePointer<CChar>?

    /// A new path for a file or directory called `name-UUID` + `suffix` (not created).
    public static func path(_ name: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(name)-\(UUID().uuidString)\(suffix)")
    }

    /// Removes what processes that are gone left behind.
    public static func sweepStale() {
        let tmp = FileManager.default.temporaryDirectory
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: tmp.appendingPathComponent(entry)) }
        }
    }
}
