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
