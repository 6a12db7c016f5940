import AtomikCycle
import AtomikISA
import AtomikRTL
import Foundation
import Testing

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs a command in the repository; returns exit status and its output (standard error too unless told not).
func shell(_ arguments: [String], environment: [String: String]? = nil,
           standardErrorToo: Bool = true) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    p.currentDirectoryURL = repositoryRoot
    if let environment { p.environment = environment }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = standardErrorToo ? pipe : FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

func rtlSources() throws -> [String] {
    try String(contentsOf: repositoryRoot.appendingPathComponent("rtl/files.f"), encoding: .utf8)
        .split(separator: "\n").map { "rtl/\($0)" }
}

func verilatorFlags(_ p: UnitParameters) -> [String] {
    RTLSimulator.parameterArguments(p, depth: 1).dropLast().map { "-G" + $0 }
}

@Suite struct GeneratedHeader {
    /// The checked-in header is exactly what `atomik gen-header` writes.
    @Test func checkedInHeaderIsUpToDate() throws {
        let onDisk = try String(contentsOf: repositoryRoot.appendingPathComponent("rtl/\(VerilogHeader.fileName)"), encoding: .utf8)
        let generated = VerilogHeader.text(storageKinds: Storage.allCases.map(\.rawValue))
        #expect(onDisk == generated, "rtl/\(VerilogHeader.fileName) is stale: run `atomik gen-header`")
    }

    @Test func opcodesAreDistinctAndFieldsTile() {
        #expect(Set(Opcode.allCases.map(\.rawValue)).count == Opcode.allCases.count)
        for (w, c) in [(1, 1), (64, 256), (130, 3), (512, 65536)] {
            let f = InstructionFormat(width: w, contexts: c)
            var next = 0
            for field in f.fields { #expect(field.lsb == next); next = field.msb + 1 }
            #expect(next == f.wordBits)
        }
    }
}

@Suite(.serialized) struct RTLLint {
    @Test(arguments: rtlPoints.filter { $0.simulator == .verilator }.map(\.parameters)
            + [UnitParameters(width: 1, contexts: 3, storage: .sram, readLatency: 2),
               UnitParameters(width: 512, contexts: 2, storage: .ff)])
    func verilatorLintIsClean(_ p: UnitParameters) throws {
        try #require(installed(.verilator), "verilator is not installed")
        let r = try shell(["verilator", "--lint-only", "-Wall", "-Irtl", "--top-module", "atomik_unit"]
                          + verilatorFlags(p) + (try rtlSources()))
        #expect(r.status == 0 && r.output.isEmpty, "\(p): \(r.output)")
    }

    /// An illegal parameter stops elaboration in both simulators with a message naming the rule.
    @Test(arguments: [("WIDTH", "513", "WIDTH_must_be_1_to_512"), ("CONTEXTS", "65537", "CONTEXTS_must_be_1_to_65536"),
                      ("STORAGE", "2", "STORAGE_must_be_0_ff_or_1_sram"), ("READ_LATENCY", "3", "READ_LATENCY_must_be")])
    func illegalParametersStopElaboration(_ name: String, _ value: String, _ rule: String) throws {
        try #require(installed(.verilator) && installed(.icarus), "simulators are not installed")
        let v = try shell(["verilator", "--lint-only", "-Irtl", "--top-module", "atomik_unit", "-GSTORAGE=1", "-G\(name)=\(value)"]
                          + (try rtlSources()))
        #expect(v.status != 0 && v.output.contains(rule), "\(v.output)")
        let i = try shell(["iverilog", "-g2005", "-Irtl", "-s", "atomik_unit", "-o", "/dev/null", "-Patomik_unit.STORAGE=1",
                           "-Patomik_unit.\(name)=\(value)"] + (try rtlSources()))
        #expect(i.status != 0 && i.output.contains(rule), "\(i.output)")
    }
}

@Suite struct Synthesis {
    /// yosys synth_ice40: sram banks become block RAM, ff banks flip-flops.
    @Test(arguments: [Storage.ff, .sram])
    func banksMapToTheRightCells(_ storage: Storage) throws {
        try #require(ProcessInfo.processInfo.environment["CI"] != nil
                     || FileManager.default.isExecutableFile(atPath: "/usr/bin/yosys"), "yosys is not installed")
        let stat = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-stat-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: stat) }
        let storageIndex = Storage.allCases.firstIndex(of: storage)!
        let script = "read_verilog -Irtl \((try rtlSources()).joined(separator: " ")); "
            + "chparam -set WIDTH 16 -set CONTEXTS 16 -set STORAGE \(storageIndex) atomik_unit; "
            + "synth_ice40 -top atomik_unit; tee -q -o \(stat.path) stat -json"
        let r = try shell(["yosys", "-q", "-p", script])
        #expect(r.status == 0, "\(r.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: stat)) as! [String: Any]
        let cells = ((json["design"] as! [String: Any])["num_cells_by_type"] as! [String: Int])
        let flops = cells.filter { $0.key.hasPrefix("SB_DFF") }.values.reduce(0, +)
        if storage == .sram {
            #expect(cells["SB_RAM40_4K", default: 0] > 0, "\(cells)")
            #expect(flops < 16 * 16, "\(cells)")
        } else {
            #expect(cells["SB_RAM40_4K", default: 0] == 0, "\(cells)")
            #expect(flops >= 2 * 16 * 16, "\(cells)")
        }
    }
}

@Suite struct MissingSimulator {
    /// Without the simulator on PATH the error names the Debian package to install.
    @Test(arguments: RTLSimulator.allCases)
    func saysWhichPackageToInstall(_ s: RTLSimulator) throws {
        // A PATH with only what the script needs before it looks for the simulator.
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-path-\(UUID())")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bin) }
        for tool in ["bash", "dirname"] {
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path,
                                                       withDestinationPath: "/usr/bin/\(tool)")
        }
        let r = try shell(["testbench/run.sh", s.rawValue, "--", "+cycles=1"], environment: ["PATH": bin.path])
        #expect(r.status == 2)
        #expect(r.output.contains("apt-get install \(s.tool.package)"), "\(r.output)")
    }
}
