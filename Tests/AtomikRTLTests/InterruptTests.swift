import Foundation
import Testing

/// How soon these tests require a run to exit after a signal. Runs answer in well under a
/// second (vectors: 0.02-0.32 s on an idle machine here, README says how); the margin keeps a loaded CI machine from
/// failing a run that answered.
let signalAnswerBound: TimeInterval = 2

/// Ctrl-C stops a long run cleanly: exit 130, a message on standard error,
/// and the trace kept under its own name with a closing '# partial' line.
@Suite struct Interruption {
    @Test func ctrlCKeepsAPartialTrace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("run.trace")
        // A program far longer than the second the run gets before the signal.
        let program = dir.appendingPathComponent("long.atk")
        try Data(String(repeating: "accum 3, 0x1234\nread 3\n", count: 2_000_000).utf8).write(to: program)
        let (status, err, answered) = try signalAtomik(["run", "-", "--engine", "cycle", "--trace", trace.path], input: program,
                                                       after: 1.0)
        #expect(status == 130)
        #expect(answered < signalAnswerBound, "answered within the bound: \(answered) s")
        #expect(err.contains("interrupted after"))
        let text = try String(contentsOf: trace, encoding: .utf8)
        #expect(text.hasPrefix("# atomik-trace"))
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").last!.hasPrefix("# partial: interrupted after"))
        #expect(!FileManager.default.fileExists(atPath: trace.path + ".partial"))
    }

    /// Ctrl-C during `vectors` (model on the main thread, files written by
    /// worker threads) leaves no vector file at all, not even a partial one.
    @Test(arguments: [SIGINT, SIGTERM])
    func ctrlCLeavesNoVectorFiles(_ signal: Int32) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, err, answered) = try signalAtomik(["vectors", "--recipe", "uniform", "--length", "100000000", "--width", "64",
                                                        "--out", dir.path], after: 1.5, signal: signal)
        #expect(status == 130)
        #expect(answered < signalAnswerBound, "answered within the bound: \(answered) s")
        #expect(err.contains("no vector files were written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// Ctrl-C while a simulator runs (Icarus through the DUT path): the child is
    /// stopped at once, the run exits 130, and its temporary directory is gone.
    @Test(arguments: [SIGINT, SIGTERM])
    func ctrlCStopsASimulator(_ signal: Int32) throws {
        try #require(installed(.icarus), "iverilog is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("long.atk")
        // About a minute of Icarus: far longer than the wait before the signal.
        try Data(String(repeating: "accum 3, 0x1234\nread 3\n", count: 400_000).utf8).write(to: program)
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let (status, err, answered) = try signalAtomik(["run", program.path, "--engine", "icarus", "--width", "16", "--contexts", "4"],
                                                       after: 6.0, signal: signal, environment: ["TMPDIR": tmp.path])
        #expect(status == 130, "\(err)")
        #expect(err.contains("interrupted"))
        #expect(answered < signalAnswerBound, "stopped within the bound, not when the simulator finished: \(answered) s")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "no temporary file left behind")
    }

    /// A run blocked reading a FIFO (its writer idle) answers SIGTERM at once:
    /// exit 130, the results of what it read printed.
    @Test(arguments: ["software", "cycle"])
    func aBlockedReadAnswersASignal(_ engine: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try atomikExecutable())
        p.arguments = ["run", fifo, "--engine", engine, "--width", "8", "--contexts", "2"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // The writer opens, writes two items and stays open: the reader blocks for more.
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        writer.write(Data("load 0, 7\nread 0\n".utf8))
        Thread.sleep(forTimeInterval: 1.0)
        let start = Date()
        kill(p.processIdentifier, SIGTERM)
        while p.isRunning && Date().timeIntervalSince(start) < 5 { usleep(20_000) }
        let answered = Date().timeIntervalSince(start)
        try writer.close()   // a run that ignored the signal ends here, at end of input, rather than hang the test
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(answered < signalAnswerBound, "answered within the bound, not when the writer closed: \(answered) s")
        #expect(p.terminationStatus == 130)
        #expect(output.contains("1 read 0 0x07"), "\(output)")
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("interrupted"), "\(message)")
    }

    /// One idle item of 10^8 cycles (traced, so minutes of work) answers Ctrl-C within its run.
    @Test func aLongIdleAnswersCtrlC() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("idle.atk")
        try "load 0, 1\nnop 100000000\nread 0\n".write(to: program, atomically: true, encoding: .utf8)
        let (status, err, answered) = try signalAtomik(["run", program.path, "--engine", "cycle", "--trace", dir.appendingPathComponent("t").path],
                                                       after: 1.0)
        #expect(status == 130, "\(err)")
        #expect(answered < signalAnswerBound, "stopped within the idle item, within the bound: \(answered) s")
        #expect(err.contains("the trace ends with a '# partial' line"), "\(err)")
    }

    /// Ctrl-C while explore waits on yosys stops yosys at once; a second
    /// Ctrl-C, at once, ends the process and kills yosys with it (a fake yosys
    /// that would sleep a minute records its process id).
    @Test(arguments: [1, 2])
    func ctrlCDuringSynthesisStopsYosys(_ signals: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-int-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("yosys.pid").path
        let yosys = dir.appendingPathComponent("yosys")
        // Its SIGTERM ignored, as a busy tool may: only SIGKILL stops it. Like iverilog, it
        // leaves a file in $TMPDIR that only it would have removed.
        try ("#!/bin/bash\n[ \"$1\" = -V ] && { echo 'Yosys 0.0 (a fake)'; exit 0; }\ntrap '' TERM\n: > \"${TMPDIR:-/tmp}/yosys-$$\"\n"
             + "echo $$ > '\(pidFile)'\nexec sleep 60\n")
            .write(to: yosys, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: yosys.path)
        let points = dir.appendingPathComponent("points.txt")
        try "width=8 contexts=1 storage=ff\n".write(to: points, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try atomikExecutable())
        p.arguments = ["explore", "--points", points.path, "--jobs", "1", "--length", "200", "--out", dir.appendingPathComponent("x").path]
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["PATH": dir.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
             "XDG_CACHE_HOME": dir.appendingPathComponent("cache").path, "TMPDIR": tmp.path]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var waited = 0
        while !FileManager.default.fileExists(atPath: pidFile) && waited < 600 { usleep(50_000); waited += 1 }
        usleep(200_000)
        let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let start = Date()
        for _ in 0..<signals { kill(p.processIdentifier, SIGINT); usleep(100_000) }
        while p.isRunning && Date().timeIntervalSince(start) < 20 { usleep(50_000) }
        #expect(!p.isRunning && p.terminationStatus == 130)
        #expect(Date().timeIntervalSince(start) < signalAnswerBound, "stopped within the bound, not after yosys's minute")
        usleep(200_000)
        // Gone, or a zombie waiting for init to reap it (its parent exited).
        func alive(_ pid: Int32) -> Bool {
            guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
        }
        #expect(!alive(pid), "yosys (\(pid)) is gone")
        if alive(pid) { kill(pid, SIGKILL) }
        // Its temporary files: removed on the way out after one Ctrl-C; after two (no clean-up
        // at all), by the next run of the tool.
        if signals == 2 { _ = try runAtomik(["run", points.path, "--width", "8"], environment: ["TMPDIR": tmp.path]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "no temporary file left behind")
    }

    /// Ctrl-C or SIGTERM during a long lockstep co-simulation (of our unit, of a DUT):
    /// exit 130 within the bound.
    @Test(arguments: [(SIGINT, false), (SIGTERM, false), (SIGTERM, true)])
    func ctrlCStopsACosimulation(_ signal: Int32, dut: Bool) throws {
        try #require(installed(.verilator), "verilator is not installed")
        let design = dut ? ["--dut", "corev2", "--rtl-dir", repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/corev2").path]
                         : ["--width", "8", "--contexts", "2"]
        // Built first, so the signal comes in the lockstep, not in the model's build.
        #expect(try runAtomik(["cosim", "--recipe", "uniform", "--length", "10", "--simulator", "verilator"] + design).status == 0)
        let (status, err, answered) = try signalAtomik(["cosim", "--recipe", "uniform", "--seed", "1", "--length", "100000000",
                                                        "--simulator", "verilator"] + design, after: 2.0, signal: signal)
        #expect(status == 130, "\(err)")
        #expect(err.contains("interrupted"), "\(err)")
        #expect(answered < signalAnswerBound, "stopped within the bound: \(answered) s")
    }
}
