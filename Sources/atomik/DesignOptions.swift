import ArgumentParser
import AtomikCore
import AtomikCycle
import AtomikProgram

/// The options every command that reads a program shares.
struct DesignOptions: ParsableArguments {
    @Option(help: "Context width W in bits (\(ProgramOptions.widthRange.lowerBound)...\(ProgramOptions.widthRange.upperBound)).")
    var width: Int = 64

    @Option(help: "Number of contexts C in the table.")
    var contexts: Int = 256

    @Flag(help: "Reject values wider than W instead of masking them as atomik-core does.")
    var strict = false

    func validate() throws {
        guard ProgramOptions.widthRange.contains(width) else {
            throw ValidationError("--width \(width) is outside \(ProgramOptions.widthRange.lowerBound)...\(ProgramOptions.widthRange.upperBound)")
        }
        let maxContexts = AtomikTable<UInt64>.maxContexts
        guard (1...maxContexts).contains(contexts) else {
            throw ValidationError("--contexts \(contexts) is outside 1...\(maxContexts)")
        }
    }

    var programOptions: ProgramOptions { ProgramOptions(width: width, contexts: contexts, strict: strict) }
}

/// The hardware options of the cycle model and the RTL: with `DesignOptions`
/// they make a design point.
struct HardwareOptions: ParsableArguments {
    @Option(help: "Bank storage: ff or sram.")
    var storage: Storage = .ff

    @Option(help: "Read latency of sram banks: 1 or 2.")
    var readLatency: Int = 1

    /// The design point, checked against the unit's legal ranges.
    func parameters(_ design: DesignOptions) throws -> UnitParameters {
        let p = UnitParameters(width: design.width, contexts: design.contexts, storage: storage, readLatency: readLatency)
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }
}
