import AtomikFuzz
import Foundation
import Testing

let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fuzz/corpus")

/// A short fuzzing budget for every parser (`atomik fuzz` runs 10^6 a target):
/// no crash, no hang, and every rejection names its place.
@Suite struct Fuzzing {
    @Test(arguments: Fuzzer.Target.allCases)
    func parsersRejectBadInputWithAPlace(_ target: Fuzzer.Target) {
        let r = Fuzzer.run(target, iterations: 20_000, seed: 1, corpus: corpus)
        #expect(r.inputs == 20_000)
        #expect(r.findings.isEmpty, "\(r.findings.prefix(3))")
        #expect(r.rejected > 0)
        if target != .deltaMessage && target != .trace { #expect(r.accepted > 0) }
    }

    /// The corpus of interesting inputs found so far, replayed as regression tests.
    @Test(arguments: Fuzzer.Target.allCases)
    func corpusInputsStayHandled(_ target: Fuzzer.Target) throws {
        let inputs = Fuzzer.seeds(target, corpus: corpus)
        #expect(inputs.count >= 2, "the corpus has files for \(target.rawValue)")
        for (k, input) in inputs.enumerated() {
            for variant in 0..<32 as Range<UInt64> {
                #expect(throws: Never.self, "input \(k), variant \(variant)") { _ = try Fuzzer.parse(target, input, variant: variant) }
            }
        }
    }
}
