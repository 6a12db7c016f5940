import AtomikCore
import AtomikCycle
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import AtomikSupport
import Foundation

/// One regression entry: a design point, a recipe, a seed, a length and the simulators.
public struct RegressionEntry: Hashable, Sendable {
    public var parameters: UnitParameters
    public var recipe: Recipe
    public var seed: UInt64
    public var length: Int
    public var simulators: [RTLSimulator]
    /// Line of the regression list it came from.
    public var line: Int

    public var name: String {
        "\(parameters.storage.rawValue) W\(parameters.width) C\(parameters.contexts)"
            + (parameters.storage == .sram ? " L\(parameters.readLatency)" : "") + (parameters.lanes > 1 ? " K\(parameters.lanes)" : "")
            + " \(recipe.rawValue) seed \(seed)"
    }
}

/// A regression list, declared as data: one entry a line, `key=value` words,
///
///     # comment
///     width=64 contexts=256 storage=sram latency=1 lanes=4 recipe=hazard seed=7 length=20000 simulator=both
///
/// `latency` and `lanes` default to 1, `seed` to 1, `length` to 10000, `simulator` to both.
public enum RegressionList {
    public static func parse(_ text: String, file: String) throws(ProgramError) -> [RegressionEntry] {
        let keys = ["width", "contexts", "storage", "latency", "lanes", "recipe", "seed", "length", "simulator"]
        var entries: [RegressionEntry] = []
        for line in try KeyValueLines.parse(text, file: file, keys: keys) {
            let width = try line.int("width"), contexts = try line.int("contexts"), latency = try line.int("latency", default: 1)
            guard let (s, sw) = line.values["storage"] else { throw line.error("missing storage=") }
            guard let storage = Storage(rawValue: String(s)) else {
                throw line.error("storage: expected ff or sram, found '\(s)'", at: sw)
            }
            guard let (r, rw) = line.values["recipe"] else { throw line.error("missing recipe=") }
            guard let recipe = Recipe(rawValue: String(r)) else {
                throw line.error("recipe: expected one of \(Recipe.allCases.map(\.rawValue).joined(separator: ", ")), found '\(r)'", at: rw)
            }
            let seed = try line.int("seed", default: 1), length = try line.int("length", default: 10000)
            let choice = line.values["simulator"]?.value ?? "both"
            guard let simulators = SimulatorChoice(rawValue: String(choice))?.simulators else {
                throw line.error("simulator: expected verilator, icarus or both, found '\(choice)'", at: line.values["simulator"]?.word)
            }
            let p = UnitParameters(width: width, contexts: contexts, storage: storage, readLatency: latency,
                                   lanes: try line.int("lanes", default: 1))
            do { try p.validate() } catch { throw line.error(error.description) }
            guard length >= 1, seed >= 0 else { throw line.error("length must be at least 1 and seed not negative") }
            entries.append(RegressionEntry(parameters: p, recipe: recipe, seed: UInt64(seed), length: length,
                                           simulators: simulators, line: line.number))
        }
        return entries
    }
}

/// The result of one entry on one simulator.
public struct RegressionResult: Sendable {
    public var entry: RegressionEntry
    public var outcome: CosimOutcome
    public var seconds: Double
    /// Why the entry could not run (a simulator or build failed); its outcome is then empty.
    public var error: String?

    public init(entry: RegressionEntry, outcome: CosimOutcome, seconds: Double, error: String? = nil) {
        self.entry = entry; self.outcome = outcome; self.seconds = seconds; self.error = error
    }

    public var passed: Bool { error == nil && outcome.passed }
}

public enum Regression {
    /// Runs every entry on its simulators (against `rtl`, or rtl/ when nil), `jobs`
    /// entries at once; the results and `progress` come in the list's order.
    public static func run(_ entries: [RegressionEntry], rtl: String? = nil, jobs: Int = 1,
                           progress: (RegressionResult) -> Void = { _ in }) throws -> [RegressionResult] {
        var results: [RegressionResult] = []
        try Parallel.forEach(entries.count, jobs: jobs, { k in
            let e = entries[k]
            var options = CosimOptions(parameters: e.parameters)
            options.rtlDirectory = rtl
            let session = CosimSession(options: options, stimulus: .recipe(e.recipe, seed: e.seed, length: e.length),
                                       simulators: e.simulators, outputDirectory: "")
            let items = try session.stimulus.items(e.parameters)
            var found: [RegressionResult] = []
            try each(e.simulators, { try session.check($0, items: items, options: options) }) { s, outcome, error, seconds in
                found.append(RegressionResult(entry: e, outcome: outcome ?? CosimOutcome(simulator: s), seconds: seconds, error: error))
            }
            return found
        }, done: { _, found in
            for r in found { results.append(r); progress(r) }
        })
        return results
    }

    /// Runs `check` on each simulator in turn and hands `done` its outcome and time; a tool that
    /// fails is that run's error (`outcome` nil) and the others still run; an interrupt stops them all.
    static func each<Outcome>(_ simulators: [RTLSimulator], _ check: (RTLSimulator) throws -> Outcome,
                              done: (RTLSimulator, Outcome?, String?, Double) -> Void) throws {
        for s in simulators {
            let start = ContinuousClock.now
            do {
                let outcome = try check(s)
                done(s, outcome, nil, (ContinuousClock.now - start).seconds)
            } catch let stop as Interrupted {
                throw stop
            } catch {
                done(s, nil, "\(error)", (ContinuousClock.now - start).seconds)
            }
        }
    }
}

/// JUnit XML, one writer for every regression.
public enum JUnit {
    /// One test case: an entry on one simulator; `failure` the first fault, `error` why it could not run.
    public struct Case: Codable, Sendable {
        public var simulator: String
        public var name: String
        public var seconds: Double
        public var failure: String?
        public var error: String?
        public var details: String
        /// What kind of failure (`divergence`, `mismatch`, `no result`, ...), for the `type` attribute.
        public var failureType = "mismatch"
        /// The trace window of a failure (the last cycles or operations before it), for `<system-out>`.
        public var systemOut: String?
    }

    /// The suite's properties: the tool, the simulators that ran (their versions), and the RTL
    /// it checked with the hash replay commands check (`DUTBuild.rtlHash`). Each test case's
    /// name holds its design point and seed, and its replay command all of its options.
    public static func properties(rtl: String, hash: String, simulators: [RTLSimulator]) -> [(name: String, value: String)] {
        [("tool", ToolVersion.string)]
            + RTLSimulator.allCases.filter(simulators.contains).map { ($0.rawValue, ToolProcess.version($0.tool.command, flag: "-V")) }
            + [("rtl", rtl), ("rtl-hash", hash)]
    }

    public static func xml(_ cases: [Case], name: String, properties: [(name: String, value: String)] = [],
                           timestamp: Date = Date()) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let errors = cases.filter { $0.error != nil }.count
        let failures = cases.filter { $0.error == nil && $0.failure != nil }.count
        let total = cases.map(\.seconds).reduce(0, +)
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let stamp = ISO8601DateFormatter.string(from: timestamp, timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate])
        x += "<testsuite name=\"\(esc(name))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" "
            + "time=\"\(String(format: "%.3f", total))\" timestamp=\"\(stamp)\" hostname=\"\(esc(ProcessInfo.processInfo.hostName))\">\n"
        if !properties.isEmpty {
            x += "  <properties>\n"
            for p in properties { x += "    <property name=\"\(esc(p.name))\" value=\"\(esc(p.value))\"/>\n" }
            x += "  </properties>\n"
        }
        for c in cases {
            x += "  <testcase classname=\"\(esc(name)).\(c.simulator)\" name=\"\(esc(c.name))\" time=\"\(String(format: "%.3f", c.seconds))\""
            if let error = c.error {
                let first = error.split(separator: "\n").first.map(String.init) ?? error
                x += ">\n    <error message=\"\(esc(first))\" type=\"tool\">\(esc(error))</error>\n  </testcase>\n"
                continue
            }
            guard let failure = c.failure else { x += "/>\n"; continue }
            x += ">\n    <failure message=\"\(esc(failure))\" type=\"\(esc(c.failureType))\">\(esc(c.details))</failure>\n"
            if let out = c.systemOut { x += "    <system-out>\(esc(out))</system-out>\n" }
            x += "  </testcase>\n"
        }
        return x + "</testsuite>\n"
    }
}
