import Foundation
import Testing

/// Ctrl-C stops a long run cleanly: exit 130, a message on standard error,
/// and the trace kept under its own name with a closing '# partial' line.
@Suite struct Interruption {
    @Test func ctrlCKeepsAPartialTrace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("run.trace")
        // A program far longer than the second the run gets before the signal.
        let program = dir.appendingPathComponent("long.atk")
        try Data(String(repeating: "accum 3, 0x1234\nread 3\n", count: 2_000_000).utf8).write(to: program)
        let (status, err) = try runAtomik(["run", "-", "--engine", "cycle", "--trace", trace.path], input: program,
                                          interruptAfter: 1.0)
        #expect(status == 130)
        #expect(err.contains("interrupted after"))
        let text = try String(contentsOf: trace, encoding: .utf8)
        #expect(text.hasPrefix("# atomik-trace"))
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").last!.hasPrefix("# partial: interrupted after"))
        #expect(!FileManager.default.fileExists(atPath: trace.path + ".partial"))
    }

    /// Ctrl-C during `vectors` (model on the main thread, files written by
    /// worker threads) leaves no vector file at all, not even a partial one.
    @Test func ctrlCLeavesNoVectorFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, err) = try runAtomik(["vectors", "--recipe", "uniform", "--length", "100000000", "--width", "64",
                                           "--out", dir.path], interruptAfter: 1.5)
        #expect(status == 130)
        #expect(err.contains("no vector files were written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// Ctrl-C while a simulator runs (Icarus through the DUT path): the child is
    /// stopped at once, the run exits 130, and its temporary directory is gone.
    @Test func ctrlCStopsASimulator() throws {
        try #require(installed(.icarus), "iverilog is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("long.atk")
        // About a minute of Icarus: far longer than the wait before the signal.
        try Data(String(repeating: "accum 3, 0x1234\nread 3\n", count: 400_000).utf8).write(to: program)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("atomik-dut-") })
        let start = Date()
        let (status, err) = try runAtomik(["run", program.path, "--engine", "icarus", "--width", "16", "--contexts", "4"],
                                          interruptAfter: 6.0)
        #expect(status == 130, "\(err)")
        #expect(err.contains("interrupted"))
        #expect(Date().timeIntervalSince(start) < 30, "stopped at once, not when the simulator finished")
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("atomik-dut-") })
        #expect(after.subtracting(before).isEmpty, "no temporary directory left behind")
    }
}
