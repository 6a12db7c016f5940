import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import Foundation
import Testing

/// The built `atomik` executable, beside the test bundle.
func atomikExecutable() throws -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("atomik").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    throw RTLError("the atomik executable is not built: run `swift build` first")
}

/// Runs the atomik tool with `arguments`, standard input from `input`, and
/// SIGINT after `interruptAfter` seconds, in `directory` (default: this one), with `environment` added. Returns the exit status and what
/// it wrote: standard error, and standard output too when `withOutput`
/// (else standard output is thrown away).
func runAtomik(_ arguments: [String], input: URL? = nil, interruptAfter: TimeInterval? = nil,
               withOutput: Bool = false, in directory: URL? = nil,
               environment: [String: String] = [:]) throws -> (status: Int32, text: String) {
    let r = try signalAtomik(arguments, input: input, after: interruptAfter, withOutput: withOutput, in: directory, environment: environment)
    return (r.status, r.text)
}

/// Runs the tool as `runAtomik` does and, `after` seconds, sends it `signal`;
/// `answered` is the time from the signal to the process's exit.
func signalAtomik(_ arguments: [String], input: URL? = nil, after: TimeInterval?, signal: Int32 = SIGINT,
                  withOutput: Bool = false, in directory: URL? = nil,
                  environment: [String: String] = [:]) throws -> (status: Int32, text: String, answered: TimeInterval) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try atomikExecutable())
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = directory }
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    if let input { p.standardInput = try FileHandle(forReadingFrom: input) }
    let pipe = Pipe()
    p.standardOutput = withOutput ? pipe : FileHandle.nullDevice
    p.standardError = pipe
    try p.run()
    var signalled = Date()
    if let after {
        Thread.sleep(forTimeInterval: after)
        signalled = Date()
        kill(p.processIdentifier, signal)
    }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text, Date().timeIntervalSince(signalled))
}

@Suite(.serialized) struct FourEngines {
    /// A program on standard input is read more than once by cosim (each
    /// simulator, a divergence report): both simulators see all of it.
    @Test func cosimReadsStandardInputForEverySimulator() throws {
        try #require(installed(.icarus) && installed(.verilator), "simulators are not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-stdin-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("p.atk")
        try RandomProgram(width: 16, contexts: 4, count: 200, seed: 5).map { TextFormat.format($0) + "\n" }.joined()
            .write(to: program, atomically: true, encoding: .utf8)
        let (status, text) = try runAtomik(["cosim", "-", "--width", "16", "--contexts", "4", "--storage", "sram",
                                            "--simulator", "both"], input: program, withOutput: true)
        #expect(status == 0, "\(text)")
        let cycles = text.split(separator: "\n").filter { $0.hasPrefix("verilator:") || $0.hasPrefix("icarus:") }
            .map { $0.split(separator: " ")[1] }
        #expect(cycles.count == 2 && cycles[0] == cycles[1] && Int(cycles[0])! > 200, "\(text)")
    }

    @Test func badInputExitsWithTwoAndNamesThePlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-bad-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("bad.atk")
        try "load 0, 1\nacum 0, 2\n".write(to: program, atomically: true, encoding: .utf8)
        for engine in ["software", "cycle", "icarus", "verilator"] {
            let bad = try shell([try atomikExecutable(), "run", program.path, "--engine", engine])
            #expect(bad.status == 2)
            #expect(bad.output.contains("\(program.path):2:1: error: unknown mnemonic 'acum'"), "\(bad.output)")
        }
    }
}
