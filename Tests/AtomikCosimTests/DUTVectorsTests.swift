import AtomikCosim
import AtomikCycle
import AtomikDUT
import AtomikRTL
import AtomikVectors
import Foundation
import Testing

/// A consumer that knows nothing of the tool: it reads manifest.json, runs
/// each simulator's commands in the vector directory, and prints the
/// testbench's last line per simulator.
let manifestConsumer = """
import json, subprocess, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
for sim, commands in sorted(m["run"].items()):
    out = ""
    for c in commands:
        r = subprocess.run(c, cwd=d, capture_output=True, text=True)
        out = r.stdout + r.stderr
        if r.returncode != 0:
            print(sim, "FAILED", c[0], r.returncode, out[-2000:])
            break
    else:
        print(sim, [l for l in out.splitlines() if l.startswith("ATOMIK-TB FINISHED")][-1])
"""

/// `atomik vectors --dut`: the DUT's vectors are checked by the generated
/// testbench, built and run from the manifest alone, under both simulators.
@Suite(.serialized) struct DUTVectorFiles {
    static let cases: [(name: String, load: @Sendable () throws -> DUTDescription, failing: Bool)] = [
        ("corev2", { try DUTPreset.corev2.load(rtlDirectory: fixtures.appendingPathComponent("corev2").path,
                                                parameters: [("DATA_WIDTH", "24")]) }, false),
        ("asic", { try DUTPreset.asic.load(rtlDirectory: fixtures.appendingPathComponent("asic").path,
                                            parameters: [("ADDR_WIDTH", "3"), ("DATA_WIDTH", "40"), ("READ_LATENCY", "2")]) }, false),
        ("asic-ready", { try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("asic/asic-ready.yaml").path) }, false),
        ("atomik-unit", { try DUTPreset.unit(UnitParameters(width: 70, contexts: 8, storage: .sram, readLatency: 2)) }, false),
        ("aliased", { try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("aliased/aliased.yaml").path) }, true),
    ]

    @Test(arguments: cases.indices)
    func testbenchFromTheManifestChecksEveryBeat(_ k: Int) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let (name, load, failing) = Self.cases[k]
        let dut = try load()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-dut-vectors-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try DUTVectors.run(dut, stimulus: .recipe(.reset, seed: 3, length: 3000), directory: dir.path,
                                        expected: true, dutArguments: ["--dut", dut.origin])
        #expect(report.beats > 100 && report.operations > 2000)
        let script = dir.appendingPathComponent("consume.py")
        try manifestConsumer.write(to: script, atomically: true, encoding: .utf8)
        let (status, output) = try runProcess(["python3", script.path, dir.path])
        #expect(status == 0, "\(output)")
        for sim in ["icarus", "verilator"] {
            let line = try #require(output.split(separator: "\n").first { $0.hasPrefix(sim + " ATOMIK-TB FINISHED") },
                                    "\(name) under \(sim): \(output)")
            #expect(line.contains(" beats=\(report.beats) "), "\(name) under \(sim): \(line)")
            #expect(line.hasSuffix(" mismatches=0") != failing, "\(name) under \(sim): \(line)")
        }
    }

    /// A beat too few or too many, or a wrong value, is a mismatch of the testbench's own.
    @Test func editedExpectationsFail() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTPreset.corev2.load(rtlDirectory: fixtures.appendingPathComponent("corev2").path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-dut-vectors-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try DUTVectors.run(dut, stimulus: .recipe(.uniform, seed: 1, length: 200), directory: dir.path, expected: true,
                               dutArguments: [])
        let expected = dir.appendingPathComponent(DUTVectors.expectedFile)
        let lines = try String(contentsOf: expected, encoding: .utf8).split(separator: "\n").map(String.init)
        let script = dir.appendingPathComponent("consume.py")
        try manifestConsumer.write(to: script, atomically: true, encoding: .utf8)
        let wrongValue = ["1 " + String(repeating: "f", count: 15) + "e"] + lines.dropFirst()
        for edited in [Array(lines.dropLast()), lines + [lines[0]], wrongValue] {
            try (edited.joined(separator: "\n") + "\n").write(to: expected, atomically: true, encoding: .utf8)
            let (_, output) = try runProcess(["python3", script.path, dir.path])
            let finished = output.split(separator: "\n").filter { $0.contains("ATOMIK-TB FINISHED") }
            #expect(finished.count == 2 && finished.allSatisfy { !$0.hasSuffix(" mismatches=0") }, "\(output)")
        }
    }
}
