import AtomikCore
import AtomikCosim
import AtomikCycle
import AtomikDUT
import AtomikExplore
import AtomikProgram
import AtomikStimulus
import Foundation

/// Feeds every input parser random and mutated inputs: none may crash or
/// hang, and every rejection must be an error that says where (file, line and
/// column, or byte offset) and what was expected.
public enum Fuzzer {
    public enum Target: String, CaseIterable, Sendable {
        case programText = "program-text"
        case programBinary = "program-binary"
        case trace
        case deltaMessage = "delta-message"
        case regressionList = "regression-list"
        case sweepPoints = "sweep-points"
        case dutDescription = "dut-description"
    }

    /// What a run of one target found.
    public struct Report: Sendable {
        public var target: Target
        public var inputs = 0
        public var accepted = 0
        public var rejected = 0
        /// Distinct error messages, numbers and quoted text left out.
        public var messageKinds = Set<String>()
        public var slowest: Duration = .zero
        /// Inputs whose rejection did not say where, or that took over a second.
        public var findings: [String] = []
        /// The first input that could not be saved (`save`), and why.
        public var saveFailure: String?
    }

    /// Parses one input; returns nil when accepted, else the error's text.
    /// Throws `FuzzFinding` when the rejection breaks the rules.
    public static func parse(_ target: Target, _ bytes: [UInt8], variant: UInt64) throws -> String? {
        let name = "fuzz.\(target.rawValue)"
        switch target {
        case .programText, .programBinary:
            let widths = [1, 8, 64, 65, 512], contexts = [1, 3, 256]
            let options = ProgramOptions(width: widths[Int(variant % 5)], contexts: contexts[Int(variant / 5 % 3)],
                                         strict: variant & 16 != 0)
            var input = bytes
            if target == .programBinary { input = BinaryFormat.magic + bytes }
            do {
                let source = try ProgramSource(reader: ByteReader(bytes: input, name: name), options: options)
                var count = 0
                while try source.next() != nil {
                    count += 1
                    if count > input.count + 1 { throw FuzzFinding("more items than input bytes") }
                }
                return nil
            } catch let e as ProgramError {
                guard let l = e.location, l.file == name, l.byteOffset != nil || (l.line >= 1 && l.column >= 1) else {
                    throw FuzzFinding("rejection without a place: \(e)")
                }
                return e.message
            }
        case .trace:
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                do { _ = try TraceRecord(line: line) } catch {
                    guard error.column >= 1, error.column <= line.count + 1 else {
                        throw FuzzFinding("rejection without a place: \(error)")
                    }
                    return error.description
                }
            }
            return nil
        case .deltaMessage:
            do {
                let m = try DeltaMessage(bytes: bytes)
                guard m.bytes == bytes else { throw FuzzFinding("message does not round-trip") }
                return nil
            } catch let e as AtomikError { return e.description }
        case .regressionList, .sweepPoints, .dutDescription:
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                switch target {
                case .regressionList: _ = try RegressionList.parse(text, file: name)
                case .sweepPoints: _ = try SweepDefinition.parse(text, file: name)
                default:
                    var parser = DUTDescriptionParser(file: name, base: "/")
                    parser.checkFiles = false
                    _ = try parser.parse(text)
                }
                return nil
            } catch {
                guard let l = error.location, l.file == name, l.line >= 1, l.column >= 1 else {
                    throw FuzzFinding("rejection without a place: \(error)")
                }
                return error.message
            }
        }
    }

    /// Seed inputs: the corpus directory's files, or built-in examples.
    public static func seeds(_ target: Target, corpus: URL?) -> [[UInt8]] {
        var out: [[UInt8]] = []
        if let dir = corpus?.appendingPathComponent(target.rawValue),
           let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            for f in files.sorted() {
                if let d = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path) { out.append(Array(d)) }
            }
        }
        let builtIn: [String] = switch target {
        case .programText: ["load 0, 0xCAFE\naccum 0, 1\nread 0\nswap 0\nswap 0, 0\nnop 3\nreset\n", "LOAD 2, 1_000 ; c\n"]
        case .programBinary: ["\u{01}\u{00}\u{01}\u{05}\u{02}\u{00}\u{03}\u{01}\u{07}\u{08}\u{03}\u{0c}\u{01}"]
        case .trace: ["7 1 1 1 0 05 00000000000000ff 1 1 0 0000000000000000 acc[05]=00000000000000ff\n"]
        case .deltaMessage: ["\u{01}\u{02}\u{03}\u{04}\u{11}\u{22}\u{33}\u{44}\u{55}\u{66}\u{77}\u{08}\u{0a}\u{0b}\u{0c}\u{0d}"]
        case .regressionList: ["width=8 contexts=4 storage=sram latency=2 recipe=hazard seed=3 length=100 simulator=icarus\n"]
        case .sweepPoints: ["width=8 contexts=4 storage=ff\nwidth=64 contexts=256 storage=sram latency=2\n"]
        case .dutDescription: DUTPreset.allCases.map(\.text)
        }
        return out + builtIn.map { Array($0.utf8) }
    }

    static let tokens: [[UInt8]] = ["0x", "_", ",", "-", "#", ";", "\n", "\r\n", "=", "[", "]", "swap", "nop", "reset",
                                    ": ", "{", "}", "- ", "  ", "**", "&a ", "*a", "!!int ", "'", "\"", "|\n",
                                    String(repeating: "9", count: 200), String(repeating: "f", count: 140), "\u{0}", "\t"]
        .map { Array($0.utf8) } + [[0xFF], [0x80, 0x80, 0x80], [0x08], [0x0C], [0x04]]

    /// A mutated copy of `input`.
    static func mutate(_ input: [UInt8], _ rng: inout StimulusRandom) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + rng.below(4)) {
            let at = b.isEmpty ? 0 : Int(rng.below(UInt64(b.count + 1)))
            switch rng.below(6) {
            case 0 where !b.isEmpty: b[min(at, b.count - 1)] ^= UInt8(1 << rng.below(8))
            case 1: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            case 2 where !b.isEmpty: b.remove(at: min(at, b.count - 1))
            case 3: b.insert(contentsOf: tokens[Int(rng.below(UInt64(tokens.count)))], at: at)
            case 4 where at < b.count:
                let n = Int(rng.below(UInt64(min(b.count - at, 16)) + 1))
                b.insert(contentsOf: b[at..<(at + n)], at: at)
            default: b = Array(b.prefix(at))
            }
        }
        return Array(b.prefix(4096))
    }

    /// Runs `iterations` inputs on `target`: half random bytes, half mutated seeds.
    public static func run(_ target: Target, iterations: Int, seed: UInt64, corpus: URL?,
                           save: URL? = nil) -> Report {
        var rng = StimulusRandom(seed: seed, name: target.rawValue)
        let seedInputs = seeds(target, corpus: corpus)
        var report = Report(target: target)
        for _ in 0..<iterations {
            let input: [UInt8]
            if rng.below(2) == 0 {
                input = (0..<Int(rng.below(64))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                input = mutate(seedInputs[Int(rng.below(UInt64(seedInputs.count)))], &rng)
            }
            let start = ContinuousClock.now
            do {
                if let message = try parse(target, input, variant: rng.next()) {
                    report.rejected += 1
                    let kind = normalize(message)
                    if report.messageKinds.insert(kind).inserted, let save {
                        let dir = save.appendingPathComponent(target.rawValue)
                        // Named by content, not by the generator: saving must not change the inputs a seed gives.
                        let file = dir.appendingPathComponent(String(format: "%016llx", FNV1a.hash(input)))
                        do {
                            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                            try Data(input).write(to: file)
                        } catch {
                            report.saveFailure = report.saveFailure ?? "cannot save '\(file.path)': \((error as NSError).localizedDescription)"
                        }
                    }
                } else {
                    report.accepted += 1
                }
            } catch {
                report.findings.append("\(error): input \(input.map { String(format: "%02x", $0) }.joined())")
            }
            let d = ContinuousClock.now - start
            if d > report.slowest { report.slowest = d }
            if d > .seconds(1) { report.findings.append("took \(d): input \(input.prefix(64).map { String(format: "%02x", $0) }.joined())") }
            report.inputs += 1
        }
        return report
    }

    /// An error message's kind: its start, with numbers and quoted text left out.
    static func normalize(_ m: String) -> String {
        var out = "", quoted = false
        for c in m.prefix(48) {
            if c == "'" { quoted.toggle(); out.append("'"); continue }
            if quoted || c.isNumber { continue }
            out.append(c)
        }
        return out
    }
}

public struct FuzzFinding: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
