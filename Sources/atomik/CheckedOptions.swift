import ArgumentParser
import Foundation

/// The one place numeric options are read: every numeric option of every
/// command parses its value with one of these (a range per kind of
/// quantity), declared with `parsing: .unconditional` so that `-1` is a
/// value refused for its range, not taken for an option name.
enum Checked {
    /// Items of a recipe or workload.
    static let items = 1...1_000_000_000_000
    /// Counts such as mismatches, inputs per fuzz target.
    static let count = 1...1_000_000_000_000
    /// Seconds a tool may run.
    static let seconds = 1...86_400

    /// An integer in `range`.
    static func integer(_ range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let v = Int(text) else { throw ValidationError("expected a whole number in \(range.lowerBound)...\(range.upperBound)") }
            guard range.contains(v) else { throw ValidationError("\(v) is outside \(range.lowerBound)...\(range.upperBound)") }
            return v
        }
    }

    /// A seed: a whole number in 0...2^64-1.
    static func seed(_ text: String) throws -> UInt64 {
        guard let v = UInt64(text) else { throw ValidationError("expected a whole number in 0...\(UInt64.max)") }
        return v
    }

    /// A frequency in MHz: finite, above 0 and at most 1000.
    static func megahertz(_ text: String) throws -> Double {
        guard let v = Double(text), v.isFinite, v > 0, v <= 1000 else {
            throw ValidationError("expected a frequency in MHz above 0 and at most 1000")
        }
        return v
    }

    /// `$ATOMIK_SEED`, if set: a malformed one is refused, not ignored.
    static func environmentSeed() throws -> UInt64? {
        guard let text = ProcessInfo.processInfo.environment["ATOMIK_SEED"] else { return nil }
        guard let v = UInt64(text) else {
            throw ValidationError("ATOMIK_SEED='\(text)' is not a seed: expected a whole number in 0...\(UInt64.max)")
        }
        return v
    }

    /// Refuses the options in `given` that are set, saying why they mean nothing here.
    static func unused(_ given: [(set: Bool, name: String)], _ reason: String) throws {
        let set = given.filter(\.set).map(\.name)
        guard !set.isEmpty else { return }
        throw ValidationError("\(set.joined(separator: ", ")) \(set.count == 1 ? "has" : "have") no effect here: \(reason)")
    }
}
