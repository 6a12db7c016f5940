import AtomikRTL
import Foundation

/// What a regression reports, whichever kind it is (our unit's, a described
/// design's, the mutation check) and however it ran (at once, on many cores,
/// or as shards merged later): the first line, one record per test case, the
/// closing lines, the JUnit XML and the exit code all come from here, so a
/// merged run prints what a local one does.
public struct RegressionReport: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case unit, dut, mutation }

    /// One test case (an entry on one simulator, or a mutant) as every report needs it.
    public struct Record: Codable, Sendable {
        public enum Verdict: String, Codable, Sendable { case pass, fail, error }
        /// The test case's place in the job (its entry's, or mutant's, offset in the list).
        public var item: Int
        /// The line printed when it finishes.
        public var line: String
        /// Its row in the closing table (our unit's regressions).
        public var row: String?
        public var testCase: JUnit.Case
        public var cycles: Int
        public var mismatches: Int
        public var verdict: Verdict
    }

    public var kind: Kind
    /// The first line (the list and its size).
    public var header: String
    public var junitName: String
    /// The JUnit suite's properties, name and value.
    public var properties: [[String]]
    public var records: [Record] = []

    public init(kind: Kind, header: String, junitName: String, properties: [(name: String, value: String)] = [],
                records: [Record] = []) {
        self.kind = kind; self.header = header; self.junitName = junitName
        self.properties = properties.map { [$0.name, $0.value] }
        self.records = records
    }

    /// The lines after the records': the table (our unit's regressions) and the verdict.
    public var closing: String {
        switch kind {
        case .mutation:
            return "mutation score: \(records.filter { $0.verdict == .pass }.count)/\(records.count)\n"
        case .unit, .dut:
            let cycles = records.map(\.cycles).reduce(0, +), mismatches = records.map(\.mismatches).reduce(0, +)
            let errors = records.filter { $0.verdict == .error }.count
            var text = ""
            if kind == .unit {
                func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
                text += pad("entry", 44) + pad("simulator", 11) + pad("cycles", 10) + pad("mismatches", 12) + pad("seconds", 9) + "result\n"
                for r in records { text += (r.row ?? "") + "\n" }
            }
            return text + "\(cycles) cycles, \(mismatches) mismatches" + (errors > 0 ? ", \(errors) entries could not run" : "") + "\n"
        }
    }

    /// 2 when a test case could not run, 1 when one failed (a mutant survived), else 0.
    public var exitCode: Int32 {
        if records.contains(where: { $0.verdict == .error }) { return 2 }
        return records.contains { $0.verdict == .fail } ? 1 : 0
    }

    public func junit(timestamp: Date = Date()) -> String {
        JUnit.xml(records.map(\.testCase), name: junitName, properties: properties.map { ($0[0], $0[1]) }, timestamp: timestamp)
    }
}

extension RegressionResult {
    /// This result as a report record; `rtlHash` goes into its replay command.
    public func record(item: Int, rtlHash: String?) -> RegressionReport.Record {
        let e = entry, o = outcome
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
        let verdict: RegressionReport.Record.Verdict = error != nil ? .error : o.passed ? .pass : .fail
        let line = error.map { "  ERROR \(e.name) on \(o.simulator.rawValue): \($0)" }
            ?? "  \(o.passed ? "pass" : "FAIL") \(e.name) on \(o.simulator.rawValue): \(o.cycles) cycles, \(o.mismatches) mismatches"
        let row = pad(e.name, 44) + pad(o.simulator.rawValue, 11) + pad("\(o.cycles)", 10) + pad("\(o.mismatches)", 12)
            + pad(String(format: "%.2f", seconds), 9) + (verdict == .error ? "ERROR" : verdict == .pass ? "pass" : "FAIL")
        let replay = "atomik cosim " + (CosimStimulus.recipe(e.recipe, seed: e.seed, length: e.length).arguments + e.parameters.arguments
            + (rtlHash.map { ["--rtl-hash", $0] } ?? []) + ["--simulator", o.simulator.rawValue]).joined(separator: " ")
        let testCase = JUnit.Case(
            simulator: o.simulator.rawValue, name: e.name, seconds: seconds,
            failure: o.passed ? nil : (o.divergence?.description ?? o.coreMismatch ?? "mismatch"), error: error,
            details: "\(o.mismatches) mismatches in \(o.cycles) cycles\nreplay: \(replay)",
            failureType: o.divergence != nil ? "divergence" : "model mismatch",
            systemOut: o.sideBySide.isEmpty ? nil
                : "the last cycles up to the divergence, the model's line above the RTL's:\n"
                + o.sideBySide.map { "model \($0.model)\(CosimSession.operation(inTraceLine: $0.model))\nrtl   \($0.rtl)" }
                    .joined(separator: "\n"))
        return .init(item: item, line: line, row: row, testCase: testCase, cycles: o.cycles, mismatches: o.mismatches, verdict: verdict)
    }
}

extension DUTRegressionResult {
    /// This result as a report record; `dutArguments` select the DUT in its replay command.
    public func record(item: Int, dutArguments: [String]) -> RegressionReport.Record {
        let e = entry, o = outcome
        let verdict: RegressionReport.Record.Verdict = error != nil ? .error : o.passed ? .pass : .fail
        let line = error.map { "  ERROR \(e.name) on \(o.simulator.rawValue): \($0)" }
            ?? ("  \(o.passed ? "pass" : "FAIL") \(e.name) on \(o.simulator.rawValue): \(o.cycles) cycles, \(o.operations) operations"
                + (o.passed ? "" : ": \(o.message)"))
        let replay = "atomik cosim " + (CosimStimulus.recipe(e.recipe, seed: e.seed, length: e.length).arguments + dutArguments
            + e.parameters.flatMap { ["--param", "\($0.name)=\($0.value)"] } + ["--simulator", o.simulator.rawValue])
            .joined(separator: " ")
        let testCase = JUnit.Case(
            simulator: o.simulator.rawValue, name: e.name, seconds: seconds, failure: o.passed ? nil : o.message, error: error,
            details: "\(o.mismatches) mismatches in \(o.cycles) cycles\nreplay: \(replay)",
            failureType: o.fault?.rawValue ?? "mismatch",
            systemOut: o.recent.isEmpty ? nil
                : "the last operations taken up to the fault:\n" + o.recent.map(\.summary).joined(separator: "\n"))
        return .init(item: item, line: line, row: nil, testCase: testCase, cycles: o.cycles, mismatches: o.mismatches, verdict: verdict)
    }
}

extension MutationCheck.Result {
    /// This mutant's fate as a report record: killed passes, survived fails.
    public func record(item: Int) -> RegressionReport.Record {
        let testCase = JUnit.Case(simulator: "mutation", name: mutant, seconds: seconds,
                                  failure: killed ? nil : "survived: no entry of the regression found this fault", error: nil,
                                  details: "the regression passed on the mutated RTL", failureType: "survived",
                                  systemOut: killedBy.map { "killed by \($0)" })
        return .init(item: item, line: "  \(killed ? "killed  " : "SURVIVED") \(mutant)" + (killedBy.map { " (by \($0))" } ?? ""),
                     row: nil, testCase: testCase, cycles: 0, mismatches: 0, verdict: killed ? .pass : .fail)
    }
}
