import Foundation
import Testing

/// Long runs are bounded in cycles as well as items: a program whose idle
/// cycles alone are too many for Icarus is refused at once, on every path
/// that runs it (run, cosim of our unit, cosim of a DUT), naming the streaming way.
@Suite struct IcarusBounds {
    @Test func idleCyclesCountTowardsTheLimit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-bounds-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("p.atk")
        try "load 0, 1\nnop 100000000\nread 0\n".write(to: program, atomically: true, encoding: .utf8)
        let corev2 = ["--dut", "corev2", "--rtl-dir", repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/corev2").path]
        for (arguments, alternative) in [
            (["run", program.path, "--engine", "icarus", "--width", "8", "--contexts", "2"], "--engine verilator"),
            (["run", program.path, "--engine", "icarus"] + corev2, "--engine verilator"),
            (["cosim", program.path, "--simulator", "icarus", "--width", "8", "--contexts", "2"], "--simulator verilator"),
            (["cosim", program.path, "--simulator", "both"] + corev2, "--simulator verilator"),
        ] {
            let start = Date()
            let (status, text) = try runAtomik(arguments, in: dir)
            #expect(status == 2, "\(arguments): \(text)")
            #expect(text.contains("100000002 cycles") && text.contains("use \(alternative), which streams"), "\(arguments): \(text)")
            #expect(Date().timeIntervalSince(start) < 30, "refused before any simulator ran")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.atk"])
    }
}

/// The streaming alternative the refusal names does stream: Verilator runs an
/// idle stretch past Icarus's cycle limit, holds no stimulus in memory (its
/// peak RSS, read from the kernel, stays far below the 640 bytes a cycle that
/// holding it would cost) and writes nothing into the temporary directory.
@Suite struct VerilatorStreams {
    @Test func idleCyclesPastTheIcarusLimitStream() throws {
        try #require(installed(.verilator), "verilator is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-bounds-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("p.atk")
        // Built first, so the figure below is the run's, not the compiler's (a child's peak counts).
        try "read 0\n".write(to: program, atomically: true, encoding: .utf8)
        #expect(try runAtomik(["run", program.path, "--engine", "verilator", "--width", "8", "--contexts", "2"]).status == 0)
        try "load 0, 5\nnop 25000000\nread 0\n".write(to: program, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "peak-kib=%M", try atomikExecutable(), "run", program.path, "--engine", "verilator", "--width", "8", "--contexts", "2"]
        p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": dir.path]) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(log)")
        #expect(text == "1 read 0 0x05\n")
        let peak = try #require(log.split(separator: "\n").last { $0.hasPrefix("peak-kib=") }.flatMap { Int($0.dropFirst(9)) }, "\(log)")
        #expect(peak < 200 * 1024, "peak RSS \(peak) KiB for 25 000 002 cycles")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.atk"], "nothing left in TMPDIR")
    }
}
