import AtomikCycle
import AtomikDUT

extension DUTPreset {
    /// Our unit at design point `p` as a DUT: the `atomik-unit` preset with the
    /// point's parameters, its RTL from the tool's rtl/ (or `rtl`, a copy such as a mutant).
    public static func unit(_ p: UnitParameters, rtl: String? = nil) throws -> DUTDescription {
        try p.validate()
        return try atomikUnit.load(rtlDirectory: rtl ?? RTLSimulator.repositoryRoot().appendingPathComponent("rtl").path,
                                   parameters: RTLSimulator.parameterArguments(p, depth: 1).dropLast().map { word in
                                       let kv = word.split(separator: "=", maxSplits: 1)
                                       return (String(kv[0]), String(kv[1]))
                                   })
    }
}
