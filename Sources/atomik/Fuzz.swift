import ArgumentParser
import AtomikFuzz
import AtomikRTL
import Foundation

extension Fuzzer.Target: ExpressibleByArgument {}

extension Atomik {
    struct Fuzz: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fuzz every input parser: random and mutated inputs; none may crash, hang or reject without saying where.",
            discussion: "Targets: \(Fuzzer.Target.allCases.map(\.rawValue).joined(separator: ", ")). Exit 1 on a finding."
        )

        @Option(parsing: .unconditional, help: "Inputs per target.", transform: Checked.integer(Checked.count))
        var iterations: Int = 1_000_000
        @Option(parsing: .unconditional, help: "Seed.", transform: Checked.seed) var seed: UInt64 = 1
        @Option(help: "Only this target.") var target: Fuzzer.Target?
        @Option(help: "Save inputs that produce a new kind of error here (a corpus directory).") var save: String?

        func run() throws {
            let targets = target.map { [$0] } ?? Fuzzer.Target.allCases
            let corpus = (try? RTLSimulator.repositoryRoot())?.appendingPathComponent("fuzz/corpus")
            if let save {
                var directory: ObjCBool = false
                if FileManager.default.fileExists(atPath: save, isDirectory: &directory), !directory.boolValue {
                    throw ValidationError("--save \(save): not a directory (it names the corpus directory to save inputs in)")
                }
                try FileManager.default.createDirectory(atPath: save, withIntermediateDirectories: true)
            }
            var findings = 0, saveFailure: String?
            for t in targets {
                let r = Fuzzer.run(t, iterations: iterations, seed: seed, corpus: corpus,
                                   save: save.map { URL(fileURLWithPath: $0) })
                let slowest = r.slowest.seconds * 1e3
                print("\(t.rawValue): \(r.inputs) inputs, \(r.accepted) accepted, \(r.rejected) rejected, "
                      + "\(r.messageKinds.count) kinds of error, slowest \(String(format: "%.2f", slowest)) ms, \(r.findings.count) findings")
                for f in r.findings.prefix(5) { print("  FINDING \(f)") }
                findings += r.findings.count
                saveFailure = saveFailure ?? r.saveFailure
            }
            if let saveFailure { throw ValidationError("--save: \(saveFailure)") }
            if findings > 0 { throw ExitCode(1) }
        }
    }
}
