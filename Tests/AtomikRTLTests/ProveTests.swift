import AtomikRTL
import Foundation
import Testing

/// yosys, yosys-smtbmc and z3 are on every machine set up by scripts/setup.sh, and always under CI.
func proverInstalled() -> Bool {
    ["yosys", "yosys-smtbmc", "z3"].allSatisfy(RTLSimulator.onPath) || ProcessInfo.processInfo.environment["CI"] != nil
}

/// The number after `prefix` in `text`.
func number(after prefix: String, in text: String) -> Int? {
    guard let r = text.range(of: prefix) else { return nil }
    return Int(text[r.upperBound...].prefix { $0.isNumber })
}

@Suite(.serialized) struct Prove {
    /// Our unit at small design points: proven for every length (k-induction), both storages.
    @Test(arguments: [["--storage", "ff"], ["--storage", "sram", "--read-latency", "2"]])
    func unitIsProvenForEveryLength(_ storage: [String]) throws {
        try #require(proverInstalled(), "yosys-smtbmc and z3 are not installed")
        let r = try runAtomik(["prove", "--width", "2", "--contexts", "2"] + storage, withOutput: true)
        #expect(r.status == 0, "\(r.text)")
        #expect(r.text.contains("proven for every length (k-induction closed at k = "), "\(r.text)")
    }

    /// A mutant's counterexample is a program that `atomik cosim` replays to the same divergence, in the
    /// same cycle, on both simulators; the solver's waveform is a VCD. The RTL's path has a space in it:
    /// yosys reads it, and the printed replay command, run by a shell as printed, names it as one word.
    @Test func counterexampleReplaysOnBothSimulators() throws {
        try #require(proverInstalled() && installed(.icarus) && installed(.verilator), "the prover or the simulators are not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik prove \(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let rtl = dir.appendingPathComponent("rtl")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("rtl"), to: rtl)
        let file = rtl.appendingPathComponent("atomik_unit_sram.v")
        let text = try String(contentsOf: file, encoding: .utf8)
        let find = "wire fw1_hit = fw1_valid_q && fw1_addr_q == ex_addr_q;"
        #expect(text.contains(find))
        try text.replacingOccurrences(of: find, with: "wire fw1_hit = 1'b0;").write(to: file, atomically: true, encoding: .utf8)
        let environment = ["ATOMIK_RTL_DIR": rtl.path]

        let prove = try runAtomik(["prove", "--width", "3", "--contexts", "2", "--storage", "sram", "--out", "cex"],
                                  withOutput: true, in: dir, environment: environment)
        #expect(prove.status == 1, "\(prove.text)")
        let cycle = try #require(number(after: "COUNTEREXAMPLE in cycle ", in: prove.text), "\(prove.text)")
        let program = dir.appendingPathComponent("cex/cex.atk").path
        #expect(try String(contentsOfFile: program, encoding: .utf8).contains("accum") || (try String(contentsOfFile: program, encoding: .utf8)).contains("load"))
        let vcd = try String(contentsOf: dir.appendingPathComponent("cex/cex.vcd"), encoding: .utf8)
        #expect(vcd.contains("$enddefinitions") && vcd.contains("in_take"))
        // The printed replay command, run by bash as printed (from another directory, with atomik on the PATH).
        let line = try #require(prove.text.split(separator: "\n").first { $0.hasPrefix("replay: ") })
        let command = String(line.dropFirst("replay: ".count))
        #expect(command.hasPrefix("ATOMIK_RTL_DIR='\(rtl.path)' atomik cosim '\(program)' "), "\(line)")
        let bash = Process(), pipe = Pipe()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-c", command + " --out '\(dir.appendingPathComponent("cosim").path)'"]
        bash.currentDirectoryURL = FileManager.default.temporaryDirectory
        let path = (try atomikExecutable() as NSString).deletingLastPathComponent + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        bash.environment = ProcessInfo.processInfo.environment.merging(["PATH": path]) { $1 }
        bash.standardOutput = pipe
        bash.standardError = pipe
        try bash.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        bash.waitUntilExit()
        let replay = (status: bash.terminationStatus, text: String(decoding: output, as: UTF8.self))
        #expect(replay.status == 1, "\(replay.text)")
        for simulator in ["verilator", "icarus"] {
            #expect(number(after: "DIVERGENCE (\(simulator) vs cycle model) at cycle ", in: replay.text) == cycle, "\(replay.text)")
        }
    }

    /// A described design's protocol faults are counterexamples; the correct design is proven to the depth.
    @Test func dutProtocolFaults() throws {
        try #require(proverInstalled(), "yosys-smtbmc and z3 are not installed")
        let dut = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/faulty/faulty.yaml").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-prove-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        func prove(_ fault: Int) throws -> (status: Int32, text: String) {
            try runAtomik(["prove", "--dut", dut, "--param", "W=2", "--param", "FAULT=\(fault)", "--depth", "10", "--bound", "6",
                           "--out", dir.path], withOutput: true)
        }
        let good = try prove(0)
        #expect(good.status == 0 && good.text.contains("proven to 10 cycles"), "\(good.text)")
        // A READ without its beat (the next beat is taken for the READ's, or none comes) and a LOAD with a beat (one
        // with nothing owed, or one taken for the READ offered with it) may each be found either way.
        for (fault, message) in [(1, "COUNTEREXAMPLE"), (2, "COUNTEREXAMPLE"),
                                 (4, "an operation offered for 6 cycles was not taken")] {
            let r = try prove(fault)
            #expect(r.status == 1 && r.text.contains("COUNTEREXAMPLE") && r.text.contains(message), "FAULT=\(fault): \(r.text)")
            // The DUT's replay command finds the fault too.
            if installed(.verilator) {
                let line = try #require(r.text.split(separator: "\n").first(where: { $0.hasPrefix("replay: atomik ") }), "\(r.text)")
                let words = line.dropFirst("replay: atomik ".count).split(separator: " ").map(String.init)
                let replay = try runAtomik(words.dropLast(2) + ["--simulator", "verilator", "--out", dir.appendingPathComponent("cosim").path],
                                           withOutput: true)
                #expect(replay.status == 1, "FAULT=\(fault): \(replay.text)")
            }
        }
    }

    /// The other interface shapes: Core v2's (one context, an idle opcode, a fixed latency) and the ASIC core's
    /// (one operation at a time, a beat for every operation) are proven; a Core v2 whose READ drops the accumulator is not.
    @Test func otherInterfaceShapes() throws {
        try #require(proverInstalled(), "yosys-smtbmc and z3 are not installed")
        let fixtures = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-prove-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corev2 = try runAtomik(["prove", "--dut", "corev2", "--rtl-dir", fixtures.appendingPathComponent("corev2").path,
                                    "--param", "DATA_WIDTH=3", "--depth", "10"], withOutput: true)
        #expect(corev2.status == 0 && corev2.text.contains("proven to 10 cycles"), "\(corev2.text)")
        let asic = try runAtomik(["prove", "--dut", "asic", "--rtl-dir", fixtures.appendingPathComponent("asic").path,
                                  "--param", "DATA_WIDTH=2", "--param", "ADDR_WIDTH=1", "--depth", "10"], withOutput: true)
        #expect(asic.status == 0 && asic.text.contains("proven to 10 cycles"), "\(asic.text)")
        // The same Core v2 with a fault: a counterexample (the harness is not vacuous).
        let broken = dir.appendingPathComponent("corev2")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        let source = try String(contentsOf: fixtures.appendingPathComponent("corev2/atomik_core_v2.v"), encoding: .utf8)
        let find = "2'b11: data_out <= initial_state ^ accumulator;"
        #expect(source.contains(find))
        try source.replacingOccurrences(of: find, with: "2'b11: data_out <= initial_state;")
            .write(to: broken.appendingPathComponent("atomik_core_v2.v"), atomically: true, encoding: .utf8)
        let r = try runAtomik(["prove", "--dut", "corev2", "--rtl-dir", broken.path, "--param", "DATA_WIDTH=3", "--depth", "10",
                               "--out", dir.appendingPathComponent("cex").path], withOutput: true)
        #expect(r.status == 1 && r.text.contains("a result differs from atomik-core's"), "\(r.text)")
        for file in ["cex.atk", "cex.vcd", "harness.v", "atomik_bridge.v", "harness.ys"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cex/\(file)").path), "\(file)")
        }
    }

    /// Without the solver: a message that names the package, exit 2, before anything is written.
    @Test func missingSolverIsNamed() throws {
        try #require(proverInstalled(), "yosys-smtbmc is not installed")
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-nosolver-\(UUID())")
        defer { try? FileManager.default.removeItem(at: bin) }
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for tool in ["yosys", "yosys-smtbmc", "python3"] {
            try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent(tool).path, withDestinationPath: "/usr/bin/\(tool)")
        }
        let r = try runAtomik(["prove", "--width", "2", "--contexts", "1", "--out", bin.appendingPathComponent("out").path],
                              withOutput: true, environment: ["PATH": bin.path])
        #expect(r.status == 2 && r.text.contains("z3 is not installed") && r.text.contains("apt-get install z3"), "\(r.text)")
        #expect(!FileManager.default.fileExists(atPath: bin.appendingPathComponent("out").path))
    }

    @Test func badOptionsAreRefused() throws {
        for arguments in [["--depth", "10", "--induction", "12"], ["--table", "--width", "4"], ["--mutate", "--table"],
                          ["--depth", "0"], ["--bound", "1"], ["--dut", "corev2", "--width", "8"], ["--rtl-dir", "x"],
                          ["--induction", "30"], ["--table", "--out", "x"], ["--jobs", "2"], ["--width", "4", "--depth", "2"]] {
            let r = try runAtomik(["prove"] + arguments, withOutput: true)
            #expect(r.status == 2, "\(arguments): \(r.text)")
        }
        // A define that is not one word in a yosys script is refused, by name, before yosys runs.
        try #require(proverInstalled(), "yosys-smtbmc and z3 are not installed")
        let corev2 = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/corev2").path
        for define in ["NOTE=a b", "NOTE=\"x\"", "NOTE=1;2"] {
            let r = try runAtomik(["prove", "--dut", "corev2", "--rtl-dir", corev2, "--define", define, "--param", "DATA_WIDTH=3",
                                   "--depth", "6", "--out", FileManager.default.temporaryDirectory.appendingPathComponent("atomik-prove-\(UUID())").path],
                                  withOutput: true)
            #expect(r.status == 2 && r.text.contains("yosys cannot take the define \(define)"), "\(define): \(r.text)")
        }
    }
}
