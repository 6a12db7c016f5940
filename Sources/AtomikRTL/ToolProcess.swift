import AtomikSupport
import Foundation

/// Runs an external tool (a simulator, yosys, nextpnr) with a time limit:
/// output and errors go to one log, and a tool past its limit, or running
/// when Ctrl-C or SIGTERM comes, gets SIGTERM, then SIGKILL (a child may have
/// inherited SIGTERM blocked); an interrupted run throws `Interrupted`.
/// A tool's `TMPDIR` is this process's scratch directory, so what a killed
/// tool leaves there (iverilog's `ivrl*` files) goes with it.
public enum ToolProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var timedOut: Bool

        /// Throws unless the tool finished with status 0, naming `what` it was doing and its output.
        public func check(_ what: String) throws {
            if timedOut { throw RTLError("\(what) timed out and was stopped") }
            guard status == 0 else { throw RTLError("\(what) failed (exit \(status)):\n\(output)") }
        }
    }

    /// `arguments[0]` is found on PATH (or is a path); `environment` overrides variables.
    public static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                           timeout: Duration) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.currentDirectoryURL = directory
        p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": Scratch.root.path]) { $1 }
            .merging(environment) { $1 }
        let log = Scratch.path("tool", suffix: ".log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        let pid = p.processIdentifier
        Interrupt.started(pid)
        defer { Interrupt.finished(pid) }
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        func stop() {
            // 0.3 s to stop on SIGTERM, so the run answers a signal within a second.
            p.terminate()
            for _ in 0..<15 where p.isRunning { usleep(20_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
        }
        while p.isRunning {
            if Interrupt.requested {
                stop()
                try? handle.close()
                throw Interrupted("interrupted: \(arguments[0]) was stopped")
            }
            if ContinuousClock.now > deadline {
                timedOut = true
                stop()
                break
            }
            usleep(2000)
        }
        try handle.close()
        return Outcome(status: p.terminationStatus, output: (try? String(contentsOf: log, encoding: .utf8)) ?? "",
                       timedOut: timedOut)
    }

    /// The first line a tool prints for its version flag (asked once per process:
    /// `verilator -V` starts Perl, a tenth of a second).
    public static func version(_ tool: String, flag: String) -> String {
        versionLock.lock()
        defer { versionLock.unlock() }
        if let known = versions[tool + " " + flag] { return known }
        let out = (try? run([tool, flag], in: FileManager.default.temporaryDirectory, timeout: .seconds(20)))?.output ?? ""
        let line = out.split(separator: "\n").first.map(String.init) ?? "unknown"
        versions[tool + " " + flag] = line
        return line
    }

    nonisolated(unsafe) private static var versions: [String: String] = [:]
    private static let versionLock = NSLock()
}
