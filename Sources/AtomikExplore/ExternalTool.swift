import Foundation

/// Runs a tool with a time limit; the process is killed when it runs over.
enum ExternalTool {
    struct Outcome {
        var status: Int32
        var output: String
        var timedOut: Bool
    }

    static func run(_ arguments: [String], in directory: URL, timeout: Duration) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.currentDirectoryURL = directory
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-tool-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while p.isRunning {
            if ContinuousClock.now > deadline {
                timedOut = true
                p.terminate()
                usleep(200_000)
                if p.isRunning { kill(p.processIdentifier, SIGKILL) }
                p.waitUntilExit()
                break
            }
            usleep(20_000)
        }
        try handle.close()
        return Outcome(status: p.terminationStatus, output: (try? String(contentsOf: log, encoding: .utf8)) ?? "",
                       timedOut: timedOut)
    }

    /// The first line a tool prints for `-V` / `--version`.
    static func version(_ tool: String, flag: String) -> String {
        let out = (try? run([tool, flag], in: FileManager.default.temporaryDirectory, timeout: .seconds(20)))?.output ?? ""
        return out.split(separator: "\n").first.map(String.init) ?? "unknown"
    }
}
