import ArgumentParser
import AtomikCore
import AtomikCycle
import AtomikProgram

/// The options every command that reads a program shares. Unset options
/// take their defaults; a command that has no use for one refuses it when set.
struct DesignOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Context width W in bits (\(ProgramOptions.widthRange.lowerBound)...\(ProgramOptions.widthRange.upperBound); default 64).",
            transform: Checked.integer(ProgramOptions.widthRange))
    var width: Int?

    @Option(parsing: .unconditional, help: "Number of contexts C in the table (default 256).",
            transform: Checked.integer(1...AtomikTable<UInt64>.maxContexts))
    var contexts: Int?

    @Flag(help: "Reject values wider than W instead of masking them as atomik-core does.")
    var strict = false

    var programOptions: ProgramOptions { ProgramOptions(width: width ?? 64, contexts: contexts ?? 256, strict: strict) }

    /// Those of --width and --contexts that were given.
    var given: [(set: Bool, name: String)] { [(width != nil, "--width"), (contexts != nil, "--contexts")] }
}

/// The hardware options of the cycle model and the RTL: with `DesignOptions`
/// they make a design point.
struct HardwareOptions: ParsableArguments {
    @Option(help: "Bank storage: ff or sram (default ff).")
    var storage: Storage?

    @Option(parsing: .unconditional, help: "Read latency of sram banks: 1 or 2 (default 1).", transform: Checked.integer(1...2))
    var readLatency: Int?

    @Option(parsing: .unconditional,
            help: "Operations the unit takes a cycle, 1...16 (default 1; above 1 needs --storage sram --read-latency 1).",
            transform: Checked.integer(UnitParameters.lanesRange))
    var lanes: Int?

    /// Those of --storage, --read-latency and --lanes that were given.
    var given: [(set: Bool, name: String)] {
        [(storage != nil, "--storage"), (readLatency != nil, "--read-latency"), (lanes != nil, "--lanes")]
    }

    /// The design point, checked against the unit's legal ranges.
    func parameters(_ design: DesignOptions) throws -> UnitParameters {
        let o = design.programOptions
        let p = UnitParameters(width: o.width, contexts: o.contexts, storage: storage ?? .ff, readLatency: readLatency ?? 1,
                               lanes: lanes ?? 1)
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }

    /// A DUT's description gives its width, contexts and hardware: these options would be ignored.
    static func refuseWithDUT(_ design: DesignOptions, _ hardware: HardwareOptions) throws {
        try Checked.unused(design.given + hardware.given, "the DUT's description gives its width, contexts and hardware "
                           + "(override its parameters with --param)")
    }
}
