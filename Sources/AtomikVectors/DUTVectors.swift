import AtomikCore
import AtomikCosim
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikSupport
import Foundation

/// Test vectors for any described design, at the transaction level (a DUT's
/// timing is its own): the operations as the generated testbench's command
/// file, atomik-core's value for every result beat, the program, the
/// testbench and bridge that drive the DUT through its protocol and check
/// every beat, and a manifest that says how to build and run them under
/// Icarus and Verilator with nothing else of this tool's.
public enum DUTVectors {
    public static let commandsFile = "commands.txt"
    public static let expectedFile = "expected.txt"
    public static let bridgeFile = "atomik_bridge.v"
    public static let testbenchFile = "atomik_bridge_tb.v"
    public static let verilatorMainFile = "atomik_bridge_tb_main.cpp"

    /// What a run wrote.
    public struct Report: Sendable {
        public var items = 0
        public var operations = 0
        public var beats = 0
        public var files: [String] = []
    }

    /// Writes the vectors of `stimulus` for `dut` into `directory` (all files, or none on an
    /// error). `dutArguments` select the DUT again on a command line (the program's replay line).
    public static func run(_ dut: DUTDescription, stimulus: CosimStimulus, directory: String, expected: Bool,
                           dutArguments: [String]) throws -> Report {
        let next = try DUTCosimSession.stream(stimulus, dut: dut)
        let core = try AtomikTable<Word>(contexts: dut.contexts, width: dut.width)
        let commands = try AtomicOutput(path: "\(directory)/\(commandsFile)")
        let results = expected ? try AtomicOutput(path: "\(directory)/\(expectedFile)") : nil
        let program = try AtomicOutput(path: "\(directory)/\(VectorGenerator.programFile)")
        let sources: [(name: String, text: String)] = [
            (bridgeFile, DUTBridge.verilog(dut)), (testbenchFile, DUTBridge.testbench(dut)),
            (verilatorMainFile, DUTBridge.verilatorMain),
        ]
        let outputs = try sources.map { try AtomicOutput(path: "\(directory)/\($0.name)") }
        var completed = false
        defer { if !completed { ([commands, program] + (results.map { [$0] } ?? []) + outputs).forEach { $0.discard() } } }

        try program.writer.write("# atomik vectors (\(ToolVersion.string)) for the DUT \(dut.name): \(describe(stimulus))\n")
        try program.writer.write("# replay: atomik cosim \(ShellWords.join([VectorGenerator.programFile] + dutArguments)) --simulator both\n")
        var report = Report(), summary = RunSummary()
        let digits = (dut.width + 3) / 4
        while let (item, _) = try next() {
            report.items += 1
            try commands.writer.write(DUTBridge.command(item, width: dut.width))
            try program.writer.write { b in withUnsafePointer(to: item) { TextFormat.append(lines: UnsafeBufferPointer(start: $0, count: 1), to: &b) } }
            let result = try SoftwareEngine.execute(item, on: core, index: summary.operations, summary: &summary)
            guard case .op(let inst) = item else { continue }
            report.operations += 1
            guard dut.result.beats.contains(OperationKind(inst)) else { continue }
            report.beats += 1
            // A beat of an operation without a result (LOAD, ACCUM) may carry any value.
            try results?.writer.write(result.map { "1 \($0.value.hex(digits: digits))\n" } ?? "0 \(String(repeating: "0", count: digits))\n")
            if report.items & 0xFFF == 0 {
                RunProgress.update("vectors", operations: report.operations)
                if Interrupt.requested {
                    throw Interrupted("interrupted after \(report.items) items; no vector files were written "
                                      + "(they are written whole or not at all)")
                }
            }
        }
        RunProgress.finish()
        for (output, source) in zip(outputs, sources) { try output.writer.write(source.text) }
        let manifest = try AtomicOutput(path: "\(directory)/\(VectorGenerator.manifestFile)")
        defer { if !completed { manifest.discard() } }
        try manifest.writer.write(manifestJSON(dut, stimulus: stimulus, report: report, expected: expected))
        report.files = [commandsFile] + (expected ? [expectedFile] : [])
            + [VectorGenerator.programFile, bridgeFile, testbenchFile, verilatorMainFile, VectorGenerator.manifestFile]
        try VectorGenerator.commitSet([commands] + (results.map { [$0] } ?? []) + [program] + outputs, manifest: manifest,
                                      in: directory, keeping: report.files)
        completed = true
        return report
    }

    static func describe(_ stimulus: CosimStimulus) -> String {
        switch stimulus {
        case .program(let path, _): "program \(path)"
        case .recipe(let r, let seed, let length): "recipe \(r.rawValue) seed \(seed) length \(length)"
        }
    }

    /// The manifest: the DUT and its RTL (with a hash of the files), the files and their line formats,
    /// and the commands that build and run the self-checking testbench from this directory.
    static func manifestJSON(_ d: DUTDescription, stimulus: CosimStimulus, report: Report, expected: Bool) throws -> String {
        let flags = DUTBuild.flags(d)
        let plusargs = ["+commands=\(commandsFile)"] + (expected ? ["+expected=\(expectedFile)"] : [])
        var source: [String: Any] = [:]
        switch stimulus {
        case .program(let path, _): source["program"] = URL(fileURLWithPath: path).standardizedFileURL.path
        case .recipe(let r, let seed, let length): source = ["recipe": r.rawValue, "seed": seed, "length": length]
        }
        let kinds = OperationKind.allCases.filter { d.supported.contains($0) }
        let json: [String: Any] = [
            "tool": ToolVersion.string,
            "dut": [
                "name": d.name, "description": d.origin, "top": d.top, "width": d.width, "contexts": d.contexts,
                "parameters": Dictionary(d.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                "defines": Dictionary(d.defines.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 }),
                "rtl_files": d.files, "include_directories": d.includeDirectories, "rtl_hash": DUTBuild.rtlHash(d), "hash_rule": DUTBuild.hashRule,
                "operations": kinds.map(\.rawValue), "result_beats": OperationKind.allCases.filter { d.result.beats.contains($0) }.map(\.rawValue),
            ],
            "stimulus_source": source,
            "items": report.items, "operations": report.operations, "result_beats": report.beats,
            "files": [
                ["path": commandsFile, "format": "text", "line": "KIND CODE ADDR DATA in hex, one item a line",
                 "kind": ["0": "an operation, offered until the DUT takes it", "1": "DATA idle cycles",
                          "2": "a reset, held max(DATA, the description's reset cycles) cycles once every result is in"],
                 "code": Dictionary(kinds.map { (String(DUTBridge.code($0)), $0.rawValue) }, uniquingKeysWith: { $1 })],
            ] + (expected ? [
                ["path": expectedFile, "format": "text",
                 "line": "CHECK VALUE in hex, one a result beat in order; CHECK 0: the beat's value is not checked (LOAD, ACCUM)"],
            ] : []) + [
                ["path": VectorGenerator.programFile, "format": "atomik program text"],
                ["path": bridgeFile, "format": "Verilog", "module": "atomik_bridge", "role": "drives \(d.top) through its protocol"],
                ["path": testbenchFile, "format": "Verilog", "module": "atomik_bridge_tb",
                 "role": "reads the commands, checks every result beat, prints ATOMIK-TB FINISHED cycles=N beats=B mismatches=M"],
                ["path": verilatorMainFile, "format": "C++", "role": "the testbench's clock under Verilator"],
            ],
            "run": [
                "icarus": [
                    ["iverilog", "-g2012", "-s", "atomik_bridge_tb", "-o", "atomik_vectors.vvp"] + flags
                        + [testbenchFile, bridgeFile] + d.files,
                    ["vvp", "-n", "atomik_vectors.vvp"] + plusargs,
                ],
                "verilator": [
                    ["verilator", "--cc", "--exe", "--build", "-j", "0", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                     "--top-module", "atomik_bridge_tb", "-Mdir", "atomik_vectors_obj"] + flags
                        + [testbenchFile, bridgeFile, verilatorMainFile] + d.files,
                    ["atomik_vectors_obj/Vatomik_bridge_tb"] + plusargs,
                ],
            ],
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
