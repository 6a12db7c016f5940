import AtomikCosim
import AtomikDUT
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import Foundation
import Testing

let fixtures = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures")

/// Runs a DUT co-simulation in the library; returns its outcomes and report lines.
func cosimDUT(_ dut: DUTDescription, _ stimulus: CosimStimulus, simulators: [RTLSimulator] = [.verilator, .icarus],
              out: URL? = nil, shrink: Bool = false) throws -> (outcomes: [TransactionOutcome], report: [String]) {
    var session = DUTCosimSession(dut: dut, dutArguments: ["--dut", dut.origin], stimulus: stimulus, simulators: simulators,
                                  outputDirectory: out?.path ?? FileManager.default.temporaryDirectory
                                      .appendingPathComponent("atomik-dut-out-\(UUID())").path)
    session.shrink = shrink
    var lines: [String] = []
    let outcomes = try session.run { lines.append($0) }
    if out == nil { try? FileManager.default.removeItem(atPath: session.outputDirectory) }
    return (outcomes, lines)
}

/// Runs a command (a path, or a name found on PATH), output and errors together.
func runProcess(_ args: [String], in cwd: URL? = nil, environment: [String: String]? = nil) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: args[0].hasPrefix("/") ? args[0] : "/usr/bin/env")
    p.arguments = args[0].hasPrefix("/") ? Array(args.dropFirst()) : args
    if let cwd { p.currentDirectoryURL = cwd }
    if let environment { p.environment = environment }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, out)
}

func program(_ text: String) throws -> (path: String, cleanup: () -> Void) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-dut-\(UUID()).atk")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return (url.path, { try? FileManager.default.removeItem(at: url) })
}

@Suite(.serialized) struct DUTCosimulation {
    /// The Core v2 preset on a fixture with that interface: idle as an opcode,
    /// no SWAP, the result on a data port one cycle after a READ.
    @Test(arguments: [8, 64, 100])
    func coreV2PresetPasses(_ width: Int) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTPreset.corev2.load(rtlDirectory: fixtures.appendingPathComponent("corev2").path,
                                            parameters: [("DATA_WIDTH", "\(width)")])
        for recipe in [Recipe.uniform, .reset, .idle] {
            let (outcomes, _) = try cosimDUT(dut, .recipe(recipe, seed: 5, length: 1500))
            #expect(outcomes.count == 2)
            for o in outcomes {
                #expect(o.passed, "\(recipe) on \(o.simulator): \(o.message)")
                #expect(o.beats > 100 && o.operations > 700)
            }
            #expect(outcomes[0].cycles == outcomes[1].cycles, "both simulators run the same cycles")
        }
    }

    /// The ASIC preset: one operation at a time, a beat for every operation,
    /// several cycles per READ and SWAP, operations ignored while busy.
    @Test(arguments: ["1", "2"])
    func asicPresetPasses(_ latency: String) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTPreset.asic.load(rtlDirectory: fixtures.appendingPathComponent("asic").path,
                                          parameters: [("ADDR_WIDTH", "3"), ("DATA_WIDTH", "16"), ("READ_LATENCY", latency)])
        #expect(dut.contexts == 8 && dut.width == 16)
        let (outcomes, _) = try cosimDUT(dut, .recipe(.hazard, seed: 3, length: 2000))
        for o in outcomes {
            #expect(o.passed, "\(o.simulator): \(o.message)")
            #expect(o.beats == o.operations, "every operation gives a beat")
            #expect(o.cycles > 2 * o.operations, "READ and SWAP take several cycles")
        }
        #expect(outcomes[0].cycles == outcomes[1].cycles)
    }

    /// The same core with a ready port (a define), described in a file.
    @Test func readyVariantFromAFilePasses() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("asic/asic-ready.yaml").path)
        #expect(dut.defines.map { "\($0.name)=\($0.value ?? "")" } == ["WITH_READY=1"])
        let (outcomes, _) = try cosimDUT(dut, .recipe(.uniform, seed: 8, length: 2000))
        for o in outcomes { #expect(o.passed, "\(o.simulator): \(o.message)") }
        #expect(outcomes[0].cycles == outcomes[1].cycles)
    }

    /// Our own unit through its description, at both storages.
    @Test(arguments: ["0", "1"])
    func ourUnitPassesAsADUT(_ storage: String) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTPreset.atomikUnit.load(rtlDirectory: repositoryRoot.appendingPathComponent("rtl").path,
                                                parameters: [("WIDTH", "12"), ("CONTEXTS", "8"), ("STORAGE", storage)])
        let (outcomes, _) = try cosimDUT(dut, .recipe(.reset, seed: 4, length: 3000))
        for o in outcomes { #expect(o.passed, "\(o.simulator): \(o.message)") }
    }

    /// A design that shares accumulators between contexts is caught on both
    /// simulators, and a 10 000-operation recipe shrinks to a handful.
    @Test func aliasedContextsAreFoundAndShrunk() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("aliased/aliased.yaml").path)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-aliased-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let (outcomes, report) = try cosimDUT(dut, .recipe(.uniform, seed: 3, length: 10_000), out: out, shrink: true)
        for o in outcomes {
            #expect(o.fault == .mismatch)
            #expect(o.operation?.instruction.opcode.producesResult == true)
        }
        let text = report.joined(separator: "\n")
        #expect(text.contains("atomik-core 0x"), "expected and actual values: \(text)")
        let again = out.appendingPathComponent("again")
        _ = try cosimDUT(dut, .recipe(.uniform, seed: 3, length: 10_000), simulators: [.icarus], out: again)
        #expect(try Data(contentsOf: again.appendingPathComponent("icarus-fault.vcd"))
                == Data(contentsOf: out.appendingPathComponent("icarus-fault.vcd")), "a replay's waveform is the same bytes")
        #expect(text.contains("replay: atomik cosim "))
        for sim in ["verilator", "icarus"] {
            let shrunk = try String(contentsOf: out.appendingPathComponent("\(sim)-fault-min.atk"), encoding: .utf8)
            let ops = shrunk.split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(ops.count <= 6, "\(sim) shrunk to \(ops.count) items")
            // The fault's waveform: in ns, with no date, so a replay writes the same bytes.
            let vcd = try String(contentsOf: out.appendingPathComponent("\(sim)-fault.vcd"), encoding: .utf8)
            #expect(vcd.filter { !$0.isWhitespace }.contains("$timescale1ns$end") && !vcd.contains("$date"))
            // The shrunk program still fails, on its own.
            let replay = try cosimDUT(dut, .program(path: out.appendingPathComponent("\(sim)-fault-min.atk").path))
            #expect(replay.outcomes.allSatisfy { !$0.passed })
        }
    }

    /// Protocol faults get their own messages, the same on both simulators.
    @Test(arguments: [(1, TransactionFault.hang), (2, .unexpectedBeat), (4, .notAccepted)])
    func protocolFaultsAreNamed(_ fault: Int, _ expected: TransactionFault) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("faulty/faulty.yaml").path,
                                                parameters: [("FAULT", "\(fault)")])
        let (path, cleanup) = try program("load 1, 5\naccum 1, 3\nload 2, 1\nread 1\n")
        defer { cleanup() }
        let (outcomes, _) = try cosimDUT(dut, .program(path: path))
        for o in outcomes { #expect(o.fault == expected, "\(o.simulator): \(o.message)") }
        #expect(outcomes[0].cycles == outcomes[1].cycles, "the same count on both simulators")
        #expect(outcomes[0].message == outcomes[1].message)
        if expected == .hang { #expect(outcomes[0].message.contains("operation 3 (line 4: read 1)")) }
        if expected == .notAccepted { #expect(outcomes[0].message.contains("operation 0 (line 1: load 1, 0x5)")) }
    }

    /// A port the top module lacks is an error on both simulators, naming the description.
    @Test(arguments: [RTLSimulator.verilator, .icarus])
    func missingPortIsNamed(_ simulator: RTLSimulator) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-badport-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("aliased/fx_aliased.v"), to: dir.appendingPathComponent("fx_aliased.v"))
        let text = try String(contentsOf: fixtures.appendingPathComponent("aliased/aliased.yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "data: value", with: "data: valu").write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let dut = try DUTDescriptionParser.load(path: dir.appendingPathComponent("bad.yaml").path)
        #expect {
            try cosimDUT(dut, .recipe(.uniform, seed: 1, length: 10), simulators: [simulator])
        } throws: { error in
            "\(error)".contains("valu") && "\(error)".contains("a port named in \(dut.origin) is not a port of fx_aliased")
        }
    }

    /// A parameter the top module lacks (a typo in --param) is an error on both
    /// simulators: Icarus only warns, and would have run the design without it.
    @Test(arguments: [RTLSimulator.verilator, .icarus])
    func missingParameterIsNamed(_ simulator: RTLSimulator) throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("faulty/faulty.yaml").path,
                                                parameters: [("FAULTT", "1")])
        #expect {
            try cosimDUT(dut, .recipe(.uniform, seed: 1, length: 10), simulators: [simulator])
        } throws: { error in
            "\(error)".contains("FAULTT") && "\(error)".contains("a parameter set in \(dut.origin) or by --param is not a parameter of fx_faulty")
        }
    }

    /// X on a result is a fault of its own under Icarus.
    @Test func unknownResultUnderIcarus() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTDescriptionParser.load(path: fixtures.appendingPathComponent("faulty/faulty.yaml").path,
                                                parameters: [("FAULT", "3")])
        let (path, cleanup) = try program("load 1, 0\nread 1\n")
        defer { cleanup() }
        let (outcomes, _) = try cosimDUT(dut, .program(path: path), simulators: [.icarus])
        #expect(outcomes[0].fault == .unknownResult)
    }

    /// A program with an operation the DUT lacks is refused with its line, before anything runs;
    /// a recipe generates only the operations the DUT has.
    @Test func unsupportedOperationsAreRefused() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let dut = try DUTPreset.corev2.load(rtlDirectory: fixtures.appendingPathComponent("corev2").path)
        let (path, cleanup) = try program("load 0, 1\n\nswap 0\n")
        defer { cleanup() }
        #expect {
            try cosimDUT(dut, .program(path: path))
        } throws: { error in
            "\(error)".contains(":3:1: error: swap-keep is not an operation of the DUT corev2 (it supports load, accum, read)")
        }
        let stream = try DUTCosimSession.stream(.recipe(.swapStorm, seed: 1, length: 500), dut: dut)
        var kinds = Set<OperationKind>()
        while let (item, _) = try stream() { if case .op(let i) = item { kinds.insert(OperationKind(i)) } }
        #expect(kinds.isSubset(of: [.load, .accum, .read]) && kinds.contains(.read))
    }
}

@Suite(.serialized) struct DUTRegressions {
    /// regress/dut-asic.txt passes on the ASIC-interface fixture at every parameter set it names.
    @Test func asicRegressionPasses() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("regress/dut-asic.txt"), encoding: .utf8)
        let entries = try DUTRegression.parse(text, file: "dut-asic.txt")
        #expect(entries.count == 4 && entries[0].parameters.map(\.name) == ["ADDR_WIDTH", "DATA_WIDTH", "READ_LATENCY"])
        let dir = fixtures.appendingPathComponent("asic").path
        let results = try DUTRegression.run(entries) { try DUTPreset.asic.load(rtlDirectory: dir, parameters: $0) }
        #expect(results.count == 7)
        for r in results { #expect(r.outcome.passed, "\(r.entry.name) on \(r.outcome.simulator): \(r.outcome.message)") }
        let xml = junitXML(results, dutArguments: ["--dut", "asic"])
        #expect(xml.contains("tests=\"7\" failures=\"0\""))
    }

    /// A failing entry becomes a JUnit failure with the fault and a replay command carrying its parameters.
    @Test func failuresReachJUnit() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        let entries = try DUTRegression.parse("recipe=uniform seed=3 length=2000 simulator=verilator params=LOG_C:2\n", file: "r.txt")
        let path = fixtures.appendingPathComponent("aliased/aliased.yaml").path
        let results = try DUTRegression.run(entries) { try DUTDescriptionParser.load(path: path, parameters: $0) }
        #expect(results.count == 1 && !results[0].outcome.passed)
        let xml = junitXML(results, dutArguments: ["--dut", path])
        #expect(xml.contains("failures=\"1\"") && xml.contains("<failure message=\"operation "))
        #expect(xml.contains("--param LOG_C=2 --simulator verilator"))
        // The trace window, read back by an XML parser that knows nothing of ours.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-junit-\(UUID()).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let (status, out) = try runProcess(["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            case = ET.parse(sys.argv[1]).getroot().find('testcase')
            text = case.find('system-out').text
            assert text.startswith('the last operations taken up to the fault:'), text
            assert 'taken in cycle' in text and 'atomik-core 0x' in text and 'DUT 0x' in text, text
            print('ok')
            """, file.path])
        #expect(status == 0 && out.contains("ok"), "\(out)")
    }

    /// An entry that cannot run (here its parameters make a bad description) is an
    /// error in the results and in JUnit; the entries after it still run.
    @Test func anEntryThatCannotRunIsAnError() throws {
        try #require(simulatorsInstalled(), "simulators are not installed")
        // The second entry's RTL does not compile (a copy of the description beside broken Verilog).
        let text = "recipe=uniform length=500 simulator=verilator params=W:0\nrecipe=uniform length=500 simulator=both params=W:9\n"
            + "recipe=hazard length=500 simulator=both\n"
        let entries = try DUTRegression.parse(text, file: "r.txt")
        let path = fixtures.appendingPathComponent("faulty/faulty.yaml").path
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-broken-\(UUID())")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: broken) }
        try FileManager.default.copyItem(atPath: path, toPath: broken.appendingPathComponent("faulty.yaml").path)
        try "module fx_faulty(input clk; endmodule\n".write(to: broken.appendingPathComponent("fx_faulty.v"), atomically: true, encoding: .utf8)
        let results = try DUTRegression.run(entries) { parameters in
            let brokenEntry = parameters.contains { $0.name == "W" && $0.value == "9" }
            return try DUTDescriptionParser.load(path: brokenEntry ? broken.appendingPathComponent("faulty.yaml").path : path,
                                                 parameters: parameters)
        }
        #expect(results.count == 5)
        #expect(results[0].error?.contains("width = 0 is outside 1...512") == true, "\(results[0])")
        #expect(results[1...2].allSatisfy { $0.error?.contains("failed (exit") == true }, "\(results[1...2].map(\.error))")
        #expect(results[3].passed && results[4].passed)
        let xml = junitXML(results, dutArguments: ["--dut", path],
                           properties: JUnit.properties(rtl: path, hash: "0123", simulators: results.map(\.outcome.simulator)))
        #expect(xml.contains("tests=\"5\" failures=\"0\" errors=\"3\""))
        #expect(xml.contains("<error message=\"") && xml.contains("width = 0 is outside"))
        // What Jenkins, GitLab and the Ant schema read, checked by Python's XML parser.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-junit-\(UUID()).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let (status, out) = try runProcess(["python3", "-c", """
            import sys, xml.etree.ElementTree as ET
            s = ET.parse(sys.argv[1]).getroot()
            assert s.tag == 'testsuite' and s.get('errors') == '3' and s.get('tests') == '5', s.attrib
            assert s.get('hostname') and len(s.get('timestamp')) == 19, s.attrib
            props = {p.get('name'): p.get('value') for p in s.find('properties')}
            assert set(props) == {'tool', 'verilator', 'icarus', 'rtl', 'rtl-hash'}, props
            assert props['verilator'].startswith('Verilator ') and props['icarus'].startswith('Icarus Verilog'), props
            cases = s.findall('testcase')
            assert [c.find('error').get('type') for c in cases[:3]] == ['tool'] * 3 and cases[3].find('error') is None
            print('ok')
            """, file.path])
        #expect(status == 0 && out.contains("ok"), "\(out)")
    }

    @Test(arguments: [("recipe=nope", "r.txt:1:1: error: recipe: expected one of"),
                      ("recipe=uniform params=A", "r.txt:1:16: error: params: expected NAME:VALUE"),
                      ("seed=1", "r.txt:1:1: error: missing recipe=")])
    func badListsNameTheirPlace(_ text: String, _ message: String) {
        #expect { try DUTRegression.parse(text, file: "r.txt") } throws: { "\($0)".hasPrefix(message) }
    }
}

/// A described design's regression's JUnit XML, as the tool writes it.
func junitXML(_ results: [DUTRegressionResult], dutArguments: [String], properties: [(name: String, value: String)] = []) -> String {
    RegressionReport(kind: .dut, header: "", junitName: "t", properties: properties,
                     records: results.enumerated().map { $1.record(item: $0, dutArguments: dutArguments) }).junit()
}
