import AtomikCore
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation
import Testing

// Cross-checks of the Swift software core against the real atomik-core 0.4.0,
// through scripts/atomik_reference.py.
//
// The interpreter: $ATOMIK_PYTHON, else <repo>/.venv/bin/python (what
// scripts/setup.sh creates), else python3 on PATH. Without a usable one
// (no interpreter, or atomik-core 0.4.0 not importable) the suite is skipped
// with the reason, except under CI (env CI set), where it fails.

/// Finding and running the Python reference.
enum ReferencePython {
    static let repoRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let script = repoRoot + "/scripts/atomik_reference.py"
    static let expectedVersion = "0.4.0"

    static let isCI: Bool = {
        guard let v = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false", "no"].contains(v.lowercased())
    }()

    enum Status: Sendable {
        case ready(python: String)
        case unavailable(String)
    }

    static let status: Status = probe()

    /// Whether the cross-check tests run: always when the reference is ready;
    /// under CI also when it is not, so that they fail instead of vanishing.
    static var enabled: Bool {
        if case .ready = status { return true }
        return isCI
    }

    static var skipComment: Comment {
        switch status {
        case .ready(let p): Comment(rawValue: "reference: \(p)")
        case .unavailable(let why): Comment(rawValue: why)
        }
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// The interpreter; throws (failing the test) when there is none usable.
    static func python() throws -> String {
        switch status {
        case .ready(let p): return p
        case .unavailable(let why): throw Unavailable(description: "CI is set and the Python reference is unavailable: \(why)")
        }
    }

    static func findPython() -> (path: String, origin: String)? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["ATOMIK_PYTHON"], !p.isEmpty { return (p, "ATOMIK_PYTHON") }
        let venv = repoRoot + "/.venv/bin/python"
        if FileManager.default.isExecutableFile(atPath: venv) { return (venv, ".venv") }
        for dir in (env["PATH"] ?? "").split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return (candidate, "PATH") }
        }
        return nil
    }

    static func probe() -> Status {
        let setup = "run the README set-up (scripts/setup.sh creates .venv with atomik-core==\(expectedVersion)) or set ATOMIK_PYTHON"
        guard let (python, origin) = findPython() else {
            return .unavailable("no Python interpreter found ($ATOMIK_PYTHON, .venv/bin/python, python3 on PATH); \(setup)")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .unavailable("\(python) (from \(origin)) is not an executable file; \(setup)")
        }
        let check = "import atomik_core; print(atomik_core.__version__)"
        guard let out = try? runProcess(python, ["-c", check]) else {
            return .unavailable("cannot run \(python); \(setup)")
        }
        guard out.status == 0 else {
            return .unavailable("\(python) (from \(origin)) cannot import atomik_core; \(setup)")
        }
        let version = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard version == expectedVersion else {
            return .unavailable("\(python) has atomik-core \(version), expected \(expectedVersion); \(setup)")
        }
        return .ready(python: python)
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a process with `stdin` as its input; output goes through files, so
    /// no pipe can fill up and block.
    static func runProcess(_ executable: String, _ arguments: [String], stdin: String = "") throws -> Output {
        let dir = try TemporaryDirectory("atomik-py")
        let inPath = try dir.write("stdin", stdin)
        let outPath = try dir.write("stdout", "")
        let errPath = try dir.write("stderr", "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let input = FileHandle(forReadingAtPath: inPath)!
        let output = FileHandle(forWritingAtPath: outPath)!
        let error = FileHandle(forWritingAtPath: errPath)!
        defer { try? input.close(); try? output.close(); try? error.close() }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: try dir.read("stdout"), stderr: try dir.read("stderr"))
    }

    /// Runs the reference script.
    static func run(_ arguments: [String], stdin: String = "") throws -> Output {
        try runProcess(try python(), [script] + arguments, stdin: stdin)
    }
}

/// The first line where two outputs differ, or nil when they are equal.
func firstDifference(_ swift: String, _ python: String) -> String? {
    guard swift != python else { return nil }
    let a = swift.split(separator: "\n", omittingEmptySubsequences: false)
    let b = python.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) {
        let x = i < a.count ? String(a[i]) : "<end of output>"
        let y = i < b.count ? String(b[i]) : "<end of output>"
        if x != y { return "line \(i + 1): swift '\(x)' vs atomik-core '\(y)' (\(a.count) vs \(b.count) lines)" }
    }
    return "outputs differ in bytes only (line endings?)"
}

func hex(_ bytes: some Sequence<UInt8>) -> String {
    var s = ""
    for b in bytes {
        s.append(hexDigit(b >> 4))
        s.append(hexDigit(b & 15))
    }
    return s
}

private func hexDigit(_ n: UInt8) -> Character { Character(Unicode.Scalar(n < 10 ? 48 + n : 87 + n)) }

@Suite("Cross-check with atomik-core 0.4.0", .enabled(if: ReferencePython.enabled, ReferencePython.skipComment))
struct ReferenceCrossCheckTests {
    /// One program run by both sides.
    struct Job {
        var name: String
        var width: Int
        var contexts: Int
        var text: String
    }

    /// Runs every job on the Swift engine (in process) and, in one Python
    /// start-up, on atomik-core; expects byte-identical outputs with --final.
    static func crossCheck(_ jobs: [Job]) throws {
        let dir = try TemporaryDirectory("atomik-xcheck")
        var batch = ""
        var swiftOutputs: [String] = []
        for (i, job) in jobs.enumerated() {
            let program = try dir.write("p\(i).txt", job.text)
            let options = ProgramOptions(width: job.width, contexts: job.contexts, strict: false)
            swiftOutputs.append(try runEngine(program, options: options, final: true, in: dir))
            batch += "--width \(job.width) --contexts \(job.contexts) --final \(program) \(dir.file("p\(i).py.out"))\n"
        }
        let result = try ReferencePython.run(["batch"], stdin: batch)
        let statuses = result.stdout.split(separator: "\n").map(String.init)
        try #require(result.status == 0 && statuses.count == jobs.count && statuses.allSatisfy { $0 == "ok" },
                     "reference batch failed (status \(result.status)): \(result.stdout.prefix(2000)) \(result.stderr.prefix(2000))")
        for (i, job) in jobs.enumerated() {
            let python = try dir.read("p\(i).py.out")
            let swift = swiftOutputs[i]
            #expect(!swift.isEmpty, "\(job.name): empty output")
            if let diff = firstDifference(swift, python) {
                Issue.record("\(job.name) (width \(job.width), contexts \(job.contexts)): \(diff)")
            }
        }
    }

    static let widths = [1, 7, 8, 13, 32, 63, 64, 65, 128, 200, 512]

    @Test("random streams (over-wide, zero, all-ones values, both SWAP kinds) give the same output byte for byte")
    func randomStreams() throws {
        var jobs: [Job] = []
        for width in Self.widths {
            for contexts in [4, 17] {
                for seed: UInt64 in [1, 2] {
                    var items = Array(RandomProgram(width: width, contexts: contexts, count: 3000,
                                                    seed: seed &* 1000 &+ UInt64(width * 31 + contexts)))
                    if seed == 2 { items = withResets(items, seed: UInt64(width)) }
                    jobs.append(Job(name: "random seed \(seed)", width: width, contexts: contexts, text: canonicalText(items)))
                }
            }
        }
        try Self.crossCheck(jobs)
    }

    static let handWritten = [
        "# over-wide and negative literals, masked by both sides (non-strict)",
        "LOAD 0, 0x" + String(repeating: "f0", count: 75) + "   ; 600 bits",
        "accum 1, -1",
        "Read 0",
        "read 1",
        "\tswap 2, -0x8000_0000_0000_0001\t# negative, over 64 bits",
        "accum 2, " + String(repeating: "9", count: 160) + "  ; a 532-bit decimal",
        "read 2",
        "load 3, -" + "0x1" + String(repeating: "0", count: 130) + "1 ; -(2^524 + 1)",
        "read 3",
        "swap 3",
        "swap 3, 0",
        "nop 2",
        "accum 0, 0X" + String(repeating: "A5", count: 80),
        "accum 0, -0",
        "accum 0, 0",
        "SWAP 0",
        "read 0",
        "load 1, 12_345_678_901_234_567_890_123_456_789",
        "accum 1, -12_345_678_901_234_567_890_123_456_789",
        "read 1",
        "reset",
        "read 1",
        "load 2, 0x1" + String(repeating: "0", count: 127) + "  ; 2^508",
        "accum 3, 0x" + String(repeating: "ff", count: 64),
        "accum 3, 1",
        "swap 2, -2",
        "read 2",
        "",
    ].joined(separator: "\r\n")

    @Test("a hand-written program with over-wide and negative literals, CRLF and comments")
    func handWrittenProgram() throws {
        let widths = [1, 2, 7, 8, 13, 32, 63, 64, 65, 127, 128, 200, 511, 512]
        try Self.crossCheck(widths.map { Job(name: "hand-written", width: $0, contexts: 4, text: Self.handWritten) })
    }

    // MARK: - DeltaMessage

    @Test("DeltaMessage encodes to the same 16 bytes, and over-wide fields fail on both sides")
    func messageEncoding() throws {
        var rng = StimulusRandom(seed: 7, name: "messages")
        var cases: [(addr: Int, delta: Word, seq: Int)] = [
            (0x0102_0304, Word(0x1122_3344_5566_7788), 0x0A0B_0C0D),
            (0, .zero, 0),
            (Int(UInt32.max), Word(.max), Int(UInt32.max)),
            (1, Word(1), 1),
            (1 << 32, .zero, 0),
            (0, .zero, 1 << 32),
            (0, Word.mask(width: 65), 0),
            (0, Word(limbs: SIMD8(0, 1, 0, 0, 0, 0, 0, 0)), 0),
            (0, Word.mask(width: 512), 0),
            (-1, .zero, 0),
            (0, .zero, -1),
            (Int.max, .zero, 0),
        ]
        for _ in 0..<30 {
            cases.append((Int(rng.below(1 << 32)), Word(rng.next()), Int(rng.below(1 << 32))))
        }
        var input = ""
        var expected: [String] = []
        for c in cases {
            input += "encode \(c.addr) \(c.delta) \(c.seq)\n"
            if let m = try? DeltaMessage(addr: c.addr, delta: c.delta, seq: c.seq) {
                #expect(m.bytes.count == DeltaMessage.wireSize)
                expected.append(hex(m.bytes))
            } else {
                expected.append("error")
            }
        }
        #expect(expected[0] == "0102030411223344556677880a0b0c0d")
        #expect(expected.filter { $0 == "error" }.count == 8)
        let out = try ReferencePython.run(["message"], stdin: input)
        try #require(out.status == 0, "\(out.stderr)")
        let got = out.stdout.split(separator: "\n").map(String.init)
        #expect(got.count == cases.count)
        for (i, (want, have)) in zip(expected, got).enumerated() where want != have {
            Issue.record("encode \(cases[i]): swift \(want), atomik-core \(have)")
        }
    }

    @Test("DeltaMessage decodes the same fields, and every length but 16 fails on both sides")
    func messageDecoding() throws {
        var rng = StimulusRandom(seed: 8, name: "messages")
        var buffers: [[UInt8]] = [
            [0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x0A, 0x0B, 0x0C, 0x0D],
            [UInt8](repeating: 0, count: 16),
            [UInt8](repeating: 0xFF, count: 16),
            [], [0], [UInt8](repeating: 1, count: 15), [UInt8](repeating: 2, count: 17), [UInt8](repeating: 3, count: 32),
        ]
        for _ in 0..<20 { buffers.append((0..<16).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
        var input = ""
        var expected: [String] = []
        for b in buffers {
            input += "decode \(b.isEmpty ? "-" : hex(b))\n"
            if let m = try? DeltaMessage(bytes: b) {
                expected.append("\(m.addr) \(m.delta) \(m.seq)")
                #expect(m.bytes == b, "decode then encode gives the bytes back")
            } else {
                #expect(b.count != 16)
                expected.append("error")
            }
        }
        #expect(expected[0] == "\(0x0102_0304) \(0x1122_3344_5566_7788) \(0x0A0B_0C0D)")
        #expect(expected.filter { $0 == "error" }.count == 5)
        let out = try ReferencePython.run(["message"], stdin: input)
        try #require(out.status == 0, "\(out.stderr)")
        let got = out.stdout.split(separator: "\n").map(String.init)
        #expect(got.count == buffers.count)
        for (i, (want, have)) in zip(expected, got).enumerated() where want != have {
            Issue.record("decode \(hex(buffers[i])): swift \(want), atomik-core \(have)")
        }
    }

    // MARK: - Fingerprint

    @Test("Fingerprint values agree for widths 8...512 on buffers of 0...70 bytes and a few longer ones")
    func fingerprints() throws {
        var rng = StimulusRandom(seed: 9, name: "fingerprints")
        let widths = [8, 16, 24, 32, 64, 128, 512]
        var buffers: [[UInt8]] = (0...70).map { n in (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        for n in [100, 127, 128, 129, 255, 1000, 4096] {
            buffers.append((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        for n in [1, 8, 63, 64, 65] { buffers.append([UInt8](repeating: 0xFF, count: n)) }
        var input = ""
        var expected: [String] = []
        var labels: [String] = []
        for w in widths {
            for b in buffers {
                input += "\(w) \(b.isEmpty ? "-" : hex(b))\n"
                expected.append(try Fingerprint.reduce(b, width: w).hex())
                labels.append("width \(w), \(b.count) bytes")
            }
        }
        #expect(expected[labels.firstIndex(of: "width 8, 0 bytes")!] == "0")
        let out = try ReferencePython.run(["fingerprint"], stdin: input)
        try #require(out.status == 0, "\(out.stderr)")
        let got = out.stdout.split(separator: "\n").map(String.init)
        #expect(got.count == expected.count)
        var mismatches = 0
        for (i, (want, have)) in zip(expected, got).enumerated() where want != have {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(labels[i]): swift \(want), atomik-core \(have)") }
        }
        #expect(mismatches == 0)
    }

    @Test("the reference script's bench subcommand reports a rate")
    func benchSmoke() throws {
        let dir = try TemporaryDirectory()
        let items = Array(RandomProgram(width: 64, contexts: 256, count: 500, seed: 3))
        let program = try dir.write("b.txt", canonicalText(items))
        let out = try ReferencePython.run(["bench", "--ops", "2000", program])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("ops_per_s="))
    }

    @Test("the reference script rejects bad programs with status 2")
    func scriptErrors() throws {
        let dir = try TemporaryDirectory()
        for (name, text) in [("addr", "read 9\n"), ("mnemonic", "frob 1\n"), ("number", "load 1, 12a\n")] {
            let program = try dir.write("\(name).txt", text)
            let out = try ReferencePython.run(["run", "--width", "8", "--contexts", "4", program])
            #expect(out.status == 2, "\(name): \(out.stdout) \(out.stderr)")
            #expect(out.stderr.contains("error"), "\(name)")
        }
    }
}

@Suite("Fingerprint widths (Swift side)")
struct FingerprintWidthTests {
    /// atomik-core accepts these (and loops forever below 8); the Swift core
    /// rejects every width that is not a multiple of 8 in 8...512.
    @Test("widths that are not a multiple of 8 in 8...512 are rejected", arguments: [0, 1, 4, 7, 9, 12, 31, 63, 65, 100, 511, 513, 520, 1024, -8])
    func rejected(width: Int) {
        #expect(throws: AtomikError.fingerprintWidth(width)) { _ = try Fingerprint(width: width) }
        #expect(throws: AtomikError.fingerprintWidth(width)) { _ = try Fingerprint.reduce([1, 2, 3] as [UInt8], width: width) }
    }

    @Test("every multiple of 8 in 8...512 is accepted")
    func accepted() throws {
        for w in stride(from: 8, through: 512, by: 8) {
            _ = try Fingerprint(width: w)
            #expect(try Fingerprint.reduce([UInt8](repeating: 0xFF, count: w / 8), width: w) == Word.mask(width: w))
        }
    }
}
