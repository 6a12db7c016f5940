import AtomikCycle
import AtomikDUT

extension DUTPreset {
    /// Our unit at design point `p` as a DUT: the `atomik-unit` preset with the
    /// point's parameters, its RTL from the tool's rtl/ (or `rtl`, a copy such as a mutant).
    public static func unit(_ p: UnitParameters, rtl: String? = nil) throws -> DUTDescription {
        try p.validate()
        return try atomikUnit.load(rtlDirectory: rtl ?? RTLSimulator.repositoryRoot().appendingPathComponent("rtl").path,
                                   parameters: RTLSimulator.verilogParameters(p))
    }

    /// The design point of a description of our unit (the inverse of `unit`).
    public static func unitParameters(of d: DUTDescription) -> UnitParameters {
        let value = { (name: String) in d.parameters.first { $0.name == name }.flatMap { Int($0.value) } }
        return UnitParameters(width: d.width, contexts: d.contexts, storage: value("STORAGE") == 1 ? .sram : .ff,
                              readLatency: value("READ_LATENCY") ?? 1)
    }
}
