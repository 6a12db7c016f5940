import Foundation
import Testing

/// scripts/install.sh puts a self-contained `atomik` and its files under a
/// prefix; the installed copy co-simulates a DUT from an unrelated directory,
/// with the paths of its report relative to that directory.
@Suite struct Install {
    @Test func installedCopyCosimulatesFromElsewhere() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-install-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("prefix"), work = dir.appendingPathComponent("user-repo")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("aliased"), to: work.appendingPathComponent("aliased"))
        let (status, log) = try runProcess(["bash", repositoryRoot.appendingPathComponent("scripts/install.sh").path, prefix.path], in: dir)
        try #require(status == 0, "install failed:\n\(log)")
        // No toolchain on PATH, no checkout above: only the prefix.
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.appendingPathComponent("home").path]
        let atomik = prefix.appendingPathComponent("bin/atomik").path
        let (code, out) = try runProcess([atomik, "cosim", "--recipe", "uniform", "--seed", "3", "--length", "3000",
                                   "--dut", "aliased/aliased.yaml", "--simulator", "both", "--out", "faults"], in: work, environment: env)
        #expect(code == 1, "the aliasing design fails:\n\(out)")
        #expect(out.contains("MISMATCH (verilator vs atomik-core)") && out.contains("MISMATCH (icarus vs atomik-core)"), "\(out)")
        #expect(out.contains("saved to faults/verilator-fault-min.atk"))
        #expect(out.contains("--dut \(work.path)/aliased/aliased.yaml"), "the replay names the description absolutely")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("faults/icarus-fault.vcd").path))
        // The replay command reproduces from elsewhere, and refuses once the RTL has changed.
        let replay = try #require(out.split(separator: "\n").first { $0.hasPrefix("replay: atomik cosim ") && $0.contains("verilator") })
        let words = replay.dropFirst("replay: atomik ".count).split(separator: " ").map(String.init)
        #expect(words.contains("--rtl-hash"), "\(replay)")
        let (again, againOut) = try runProcess([atomik] + words, in: dir, environment: env)
        #expect(again == 1 && againOut.contains("MISMATCH (verilator vs atomik-core)"), "\(againOut)")
        let rtl = work.appendingPathComponent("aliased/fx_aliased.v")
        try (try String(contentsOf: rtl, encoding: .utf8) + "// edited\n").write(to: rtl, atomically: true, encoding: .utf8)
        let (changed, changedOut) = try runProcess([atomik] + words, in: dir, environment: env)
        #expect(changed == 2 && changedOut.contains("it is not the RTL this replay command was recorded with"), "\(changedOut)")
        // Our unit's cycle-level co-simulation finds its testbench in PREFIX/share/atomik.
        let (unit, unitOut) = try runProcess([atomik, "cosim", "--recipe", "hazard", "--length", "500", "--width", "8", "--contexts", "4",
                                       "--simulator", "both"], in: work, environment: env)
        #expect(unit == 0, "\(unitOut)")
    }
}
