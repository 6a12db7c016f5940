import AtomikCycle
import AtomikDUT
import Foundation

extension DUTPreset {
    /// Our unit at design point `p` as a DUT: the `atomik-unit` preset with the
    /// point's parameters, its RTL from the tool's rtl/ (or `rtl`, else $ATOMIK_RTL_DIR: a copy such as a mutant).
    public static func unit(_ p: UnitParameters, rtl: String? = nil) throws -> DUTDescription {
        try p.validate()
        // $ATOMIK_RTL_DIR names another copy of rtl/ (a mutant) for every path, as for testbench/run.sh.
        let fromEnvironment = ProcessInfo.processInfo.environment["ATOMIK_RTL_DIR"].map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let directory = try rtl ?? fromEnvironment ?? RTLSimulator.repositoryRoot().appendingPathComponent("rtl").path
        return try atomikUnit.load(rtlDirectory: directory, parameters: RTLSimulator.verilogParameters(p))
    }

    /// Our unit's RTL (its files are the same at every design point) and their hash, as replay commands carry it.
    public static func unitRTL() throws -> (directory: String, hash: String) {
        let d = try unit(UnitParameters(width: 8, contexts: 1, storage: .ff))
        return ((d.files[0] as NSString).deletingLastPathComponent, DUTBuild.rtlHash(d))
    }

    /// The design point of a description of our unit (the inverse of `unit`).
    public static func unitParameters(of d: DUTDescription) -> UnitParameters {
        let value = { (name: String) in d.parameters.first { $0.name == name }.flatMap { Int($0.value) } }
        return UnitParameters(width: d.width, contexts: d.contexts, storage: value("STORAGE") == 1 ? .sram : .ff,
                              readLatency: value("READ_LATENCY") ?? 1, lanes: value("LANES") ?? 1)
    }
}
