import ArgumentParser
import AtomikCore
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
