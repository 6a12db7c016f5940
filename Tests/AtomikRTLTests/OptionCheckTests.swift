import AtomikCycle
import AtomikDUT
import AtomikRTL
import Foundation
import Testing

/// Every numeric option of every command is checked: 0 (where it means
/// nothing), -1, a huge value and a non-number are refused with exit 2 and
/// the option's name, before any work starts; options a mode ignores are
/// refused with the reason.
@Suite struct OptionChecks {
    /// Each command's numeric options, with a context that makes the rest of the command valid.
    static let numeric: [(command: [String], option: String, zeroIsValid: Bool)] = [
        (["run", "p.atk"], "--width", false), (["run", "p.atk"], "--contexts", false),
        (["run", "p.atk", "--engine", "cycle"], "--read-latency", false),
        (["run", "p.atk", "--engine", "cycle", "--vcd", "v.vcd"], "--vcd-contexts", true),
        (["cosim", "--recipe", "uniform"], "--length", false), (["cosim", "--recipe", "uniform"], "--seed", true),
        (["cosim", "--recipe", "uniform"], "--max-mismatches", false), (["cosim", "--recipe", "uniform"], "--context", false),
        (["cosim", "--recipe", "uniform"], "--width", false), (["cosim", "--recipe", "uniform"], "--contexts", false),
        (["vectors", "--recipe", "uniform"], "--length", false), (["vectors", "--recipe", "uniform"], "--seed", true),
        (["explore"], "--freq", false), (["explore"], "--seeds", false), (["explore"], "--pnr-timeout", false),
        (["explore"], "--synth-timeout", false), (["explore"], "--length", false), (["explore"], "--jobs", false),
        (["fuzz"], "--iterations", false), (["fuzz"], "--seed", true),
        (["asm", "p.atk", "-o", "p.atkb"], "--width", false), (["disasm", "p.atk"], "--contexts", false),
    ]

    @Test func badNumbersAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-options-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "load 0, 5\nread 0\n".write(to: dir.appendingPathComponent("p.atk"), atomically: true, encoding: .utf8)
        for (command, option, zeroIsValid) in Self.numeric {
            // "1e3" is a number only for --freq, and 1000 MHz its largest: it gets "1e4".
            for value in (zeroIsValid ? [] : ["0"]) + ["-1", "100000000000000000000", option == "--freq" ? "1e4" : "1e3", "abc", "nan", "inf"] {
                let (status, text) = try runAtomik(command + [option, value], in: dir)
                #expect(status == 2, "\(command) \(option) \(value): \(text)")
                #expect(text.contains("'\(value)' is invalid for '\(option) "), "\(command) \(option) \(value): \(text)")
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left == ["p.atk"], "a refused command wrote nothing: \(left)")
    }

    /// explore's list options take numbers only within the design space: each value
    /// of a list is checked (0, negative, huge, non-numbers) before any point runs.
    @Test func exploreListsAreChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-options-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (option, value, says) in [("--widths", "8,0", "WIDTH = 0 is outside"), ("--widths", "8,-1", "WIDTH = -1 is outside"),
                                      ("--widths", "100000000000000000000", "cannot read"), ("--widths", "abc", "cannot read 'abc'"),
                                      ("--contexts", "0", "CONTEXTS = 0 is outside"), ("--contexts", "nan", "cannot read 'nan'"),
                                      ("--latencies", "3", "READ_LATENCY = 3 is outside"),
                                      ("--lanes", "2,17", "LANES = 17 is outside"), ("--lanes", "0", "LANES = 0 is outside"),
                                      ("--lanes", "x", "cannot read 'x'"),
                                      ("--storages", "dram", "cannot read 'dram'"), ("--devices", "ecp5", "cannot read 'ecp5'")] {
            let (status, text) = try runAtomik(["explore", option, value, "--storages", option == "--storages" ? value : "sram",
                                                "--no-pnr", "--out", "x"], in: dir)
            #expect(status == 2 && text.contains(says), "\(option) \(value): \(text)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "a refused command wrote nothing")
    }

    @Test func optionsAModeIgnoresAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-options-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "load 0, 5\nread 0\n".write(to: dir.appendingPathComponent("p.atk"), atomically: true, encoding: .utf8)
        let corev2 = ["--dut", "corev2", "--rtl-dir", repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/corev2").path]
        for (arguments, reason) in [
            (["run", "p.atk", "--read-latency", "2"], "--read-latency has no effect here: the software engine has no hardware"),
            (["run", "p.atk", "--storage", "sram"], "--storage has no effect here: the software engine has no hardware"),
            (["run", "p.atk", "--lanes", "2"], "--lanes has no effect here: the software engine has no hardware"),
            (["run", "p.atk", "--engine", "cycle", "--lanes", "2"], "LANES = 2 needs STORAGE = sram with READ_LATENCY = 1"),
            (["cosim", "--recipe", "uniform", "--storage", "sram", "--read-latency", "2", "--lanes", "4"],
             "LANES = 4 needs STORAGE = sram with READ_LATENCY = 1"),
            (["cosim", "--regress", "r.txt", "--lanes", "2"], "--lanes has no effect here"),
            (["prove", "--storage", "sram", "--lanes", "2"], "LANES above 1 is checked by co-simulation, not proven"),
            (["explore", "--dut", "atomik-unit", "--point", "STORAGE=1,LANES=4", "--no-pnr"],
             "LANES=4: the DUT path offers one operation a cycle"),
            (["prove", "--dut", "atomik-unit", "--param", "STORAGE=1", "--param", "LANES=4"], "LANES above 1 is checked by co-simulation"),
            (["run", "p.atk", "--engine", "cycle", "--vcd-contexts", "4"], "--vcd-contexts shapes the waveform: give --vcd or --fst too"),
            (["run", "p.atk", "--engine", "icarus", "--width", "8"] + corev2, "--width has no effect here: the DUT's description"),
            (["cosim", "--recipe", "uniform", "--junit", "j.xml"], "--junit writes a regression's results: it needs --regress"),
            (["cosim", "p.atk", "--seed", "3"], "--seed has no effect here: a seed and a length shape a recipe"),
            (["cosim", "p.atk", "--length", "3"], "--length has no effect here"),
            (["cosim", "--regress", "r.txt", "--simulator", "both"], "--simulator has no effect here: a regression's entries"),
            (["cosim", "--regress", "r.txt", "--storage", "sram"], "--storage has no effect here"),
            (["cosim", "--recipe", "uniform", "--contexts", "4"] + corev2, "--contexts has no effect here: the DUT's description"),
            (["vectors", "--until-coverage", "--seed", "3"], "--seed has no effect here"),
            (["vectors", "p.atk", "--length", "3"], "--length has no effect here"),
            (["vectors", "p.atk", "--width", "8"] + corev2, "--width has no effect here"),
            (["explore", "--shard", "1/x/2"], "--shard: expected I/N"),
            (["explore", "--shard", "3/2"], "--shard: expected I/N"),
        ] {
            let (status, text) = try runAtomik(arguments, in: dir)
            #expect(status == 2, "\(arguments): \(text)")
            #expect(text.contains(reason), "\(arguments): \(text)")
        }
        // A malformed $ATOMIK_SEED is refused, not replaced by the clock.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try atomikExecutable())
        p.arguments = ["cosim", "--recipe", "uniform", "--length", "10"]
        p.environment = ProcessInfo.processInfo.environment.merging(["ATOMIK_SEED": "12x"]) { $1 }
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2 && text.contains("ATOMIK_SEED='12x' is not a seed"), "\(text)")
    }

    /// Our unit's replay commands carry --rtl-hash: the right hash runs, another RTL's is refused.
    @Test func ourUnitsReplayChecksItsRTL() throws {
        try #require(installed(.verilator), "verilator is not installed")
        let p = UnitParameters(width: 8, contexts: 2, storage: .ff)
        let hash = DUTBuild.rtlHash(try DUTPreset.unit(p))
        let base = ["cosim", "--recipe", "uniform", "--seed", "1", "--length", "50", "--width", "8", "--contexts", "2"]
        #expect(try runAtomik(base + ["--rtl-hash", hash]).status == 0)
        let (status, text) = try runAtomik(base + ["--rtl-hash", "0123456789abcdef"])
        #expect(status == 2 && text.contains("is not the RTL this replay command was recorded with"), "\(text)")
        #expect(try runAtomik(["run", "x.atk", "--rtl-hash", hash]).text.contains("give --dut too"))
    }
}
