import AtomikDUT
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import AtomikSupport
import Foundation

/// One entry of a regression of a described design: a recipe, a seed, a
/// length, the simulators, and parameters of the DUT for this entry.
public struct DUTRegressionEntry: Sendable {
    public var recipe: Recipe
    public var seed: UInt64
    public var length: Int
    public var simulators: [RTLSimulator]
    /// Parameter overrides, `params=NAME:VALUE,NAME:VALUE`.
    public var parameters: [(name: String, value: String)]
    public var line: Int

    public var name: String {
        (parameters.isEmpty ? "" : parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ") + " ")
            + "\(recipe.rawValue) seed \(seed)"
    }
}

/// The result of one entry on one simulator.
public struct DUTRegressionResult: Sendable {
    public var entry: DUTRegressionEntry
    public var outcome: TransactionOutcome
    public var seconds: Double
    /// Why the entry could not run (its description, a build or a simulator failed).
    public var error: String?

    public var passed: Bool { error == nil && outcome.passed }
}

/// Regressions of a described design (`atomik cosim --dut D --regress FILE`), one entry a line:
///
///     recipe=hazard seed=3 length=5000 simulator=both params=ADDR_WIDTH:3,DATA_WIDTH:16
///
/// `seed` defaults to 1, `length` to 10000, `simulator` to both, `params` to none.
public enum DUTRegression {
    public static func parse(_ text: String, file: String) throws(ProgramError) -> [DUTRegressionEntry] {
        var entries: [DUTRegressionEntry] = []
        for line in try KeyValueLines.parse(text, file: file, keys: ["recipe", "seed", "length", "simulator", "params"]) {
            guard let (r, rw) = line.values["recipe"] else { throw line.error("missing recipe=") }
            guard let recipe = Recipe(rawValue: String(r)) else {
                throw line.error("recipe: expected one of \(Recipe.allCases.map(\.rawValue).joined(separator: ", ")), found '\(r)'", at: rw)
            }
            let seed = try line.int("seed", default: 1), length = try line.int("length", default: 10000)
            guard length >= 1, seed >= 0 else { throw line.error("length must be at least 1 and seed not negative") }
            let choice = line.values["simulator"]?.value ?? "both"
            guard let simulators = SimulatorChoice(rawValue: String(choice))?.simulators else {
                throw line.error("simulator: expected verilator, icarus or both, found '\(choice)'", at: line.values["simulator"]?.word)
            }
            var parameters: [(name: String, value: String)] = []
            if let (p, pw) = line.values["params"] {
                for pair in p.split(separator: ",") {
                    let kv = pair.split(separator: ":", maxSplits: 1)
                    guard kv.count == 2, DUTDescriptionParser.isIdentifier(String(kv[0])), !kv[1].isEmpty else {
                        throw line.error("params: expected NAME:VALUE,NAME:VALUE, found '\(pair)'", at: pw)
                    }
                    parameters.append((String(kv[0]), String(kv[1])))
                }
            }
            entries.append(DUTRegressionEntry(recipe: recipe, seed: UInt64(seed), length: length, simulators: simulators,
                                              parameters: parameters, line: line.number))
        }
        return entries
    }

    /// Runs every entry on its simulators, `jobs` entries at once; `describe` gives the DUT with an
    /// entry's parameters. The results and `progress` come in the list's order.
    public static func run(_ entries: [DUTRegressionEntry], jobs: Int = 1,
                           describe: @escaping @Sendable ([(name: String, value: String)]) throws -> DUTDescription,
                           progress: (DUTRegressionResult) -> Void = { _ in }) throws -> [DUTRegressionResult] {
        var results: [DUTRegressionResult] = []
        try Parallel.forEach(entries.count, jobs: jobs, { k in
            let e = entries[k]
            var found: [DUTRegressionResult] = []
            func record(_ s: RTLSimulator, _ outcome: TransactionOutcome?, _ error: String?, _ seconds: Double) {
                found.append(DUTRegressionResult(entry: e, outcome: outcome ?? TransactionOutcome(simulator: s), seconds: seconds, error: error))
            }
            // A description that cannot be read is every simulator's error for this entry; the others still run.
            let session: DUTCosimSession, items: [LocatedItem]
            do {
                let dut = try describe(e.parameters)
                session = DUTCosimSession(dut: dut, dutArguments: [], stimulus: .recipe(e.recipe, seed: e.seed, length: e.length),
                                          simulators: e.simulators, outputDirectory: "")
                items = try DUTCosimSession.items(session.stimulus, dut: dut)
            } catch {
                for s in e.simulators { record(s, nil, "\(error)", 0) }
                return found
            }
            try Regression.each(e.simulators, { try session.check($0, items: items, options: session.options) }, done: record)
            return found
        }, done: { _, found in
            for r in found { results.append(r); progress(r) }
        })
        return results
    }
}
