import Foundation
import Testing

/// An output directory holds one run's complete set: what an earlier run
/// wrote and this one does not is removed, and the manifest (or
/// results.json) is renamed into place last.
@Suite struct OutputSets {
    func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-sets-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func files(_ dir: URL) throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) }

    @Test func vectorRunsLeaveOnlyTheirOwnSet() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("v")
        let mine = out.appendingPathComponent("notes.txt")
        #expect(try runAtomik(["vectors", "--recipe", "uniform", "--length", "50", "--width", "8", "--contexts", "2", "--out", out.path]).status == 0)
        try "the user's own file".write(to: mine, atomically: true, encoding: .utf8)
        #expect(try files(out) == ["stimulus.hex", "expected.hex", "program.atk", "manifest.json", "notes.txt"])
        #expect(try runAtomik(["vectors", "--recipe", "uniform", "--length", "50", "--width", "8", "--contexts", "2", "--no-expected",
                               "--out", out.path]).status == 0)
        #expect(try files(out) == ["stimulus.hex", "program.atk", "manifest.json", "notes.txt"], "no stale expected.hex")
        let corev2 = ["--dut", "corev2", "--rtl-dir", repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/corev2").path]
        #expect(try runAtomik(["vectors", "--recipe", "uniform", "--length", "50", "--out", out.path] + corev2).status == 0)
        #expect(try files(out) == ["commands.txt", "expected.txt", "program.atk", "atomik_bridge.v", "atomik_bridge_tb.v",
                                   "atomik_bridge_tb_main.cpp", "manifest.json", "notes.txt"], "no stale stimulus.hex")
    }

    /// A divergence report replaces an earlier one in --out: a run that shrinks nothing
    /// leaves no shrunk program of the run before beside its own files.
    @Test func divergenceReportsAreOneSet() throws {
        try #require(installed(.verilator), "verilator is not installed")
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixture = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/aliased/aliased.yaml").path
        let out = dir.appendingPathComponent("r")
        let base = ["cosim", "--recipe", "uniform", "--seed", "1", "--length", "300", "--dut", fixture, "--simulator", "verilator",
                    "--out", out.path]
        #expect(try runAtomik(base).status == 1)
        #expect(try files(out).contains("verilator-fault-min.atk"))
        #expect(try runAtomik(base + ["--no-shrink"]).status == 1)
        let after = try files(out)
        #expect(!after.contains("verilator-fault-min.atk") && after.contains("verilator-fault-program.atk"), "no stale shrunk program: \(after)")
    }

    @Test func explorationReportsAreOneSet() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/yosys") || ProcessInfo.processInfo.environment["CI"] != nil, "yosys is not installed")
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let points = dir.appendingPathComponent("points.txt")
        try "width=8 contexts=1 storage=ff\n".write(to: points, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("x")
        let base = ["explore", "--points", points.path, "--no-pnr", "--jobs", "1", "--length", "200", "--out", out.path]
        #expect(try runAtomik(base + ["--devices", "hx8k,up5k"]).status == 0)
        #expect(try files(out).isSuperset(of: ["chart-up5k.svg", "chart-up5k-bits.svg", "chart-up5k-hazard.svg", "chart-up5k-fan-in-table.svg"]))
        #expect(try runAtomik(base + ["--devices", "hx8k"]).status == 0)
        #expect(try files(out) == ["results.csv", "results.json", "results.md", "chart-hx8k.svg", "chart-hx8k-bits.svg",
                                   "chart-hx8k-hazard.svg", "chart-hx8k-fan-in-table.svg", "report.html"])
    }
}
