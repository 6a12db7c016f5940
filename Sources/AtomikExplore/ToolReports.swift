import Foundation

/// Cell counts read from yosys `stat -json` (synth_ice40).
public struct SynthesisReport: Codable, Hashable, Sendable {
    public var luts: Int
    public var flipFlops: Int
    public var carries: Int
    public var blockRAMs: Int
    public var cells: Int

    /// Parses the JSON that `stat -json` writes.
    public init(statJSON data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let design = root["design"] as? [String: Any],
              let byType = design["num_cells_by_type"] as? [String: Int],
              let cells = design["num_cells"] as? Int else {
            throw ExploreError("yosys stat JSON without design.num_cells_by_type")
        }
        luts = byType["SB_LUT4", default: 0]
        flipFlops = byType.filter { $0.key.hasPrefix("SB_DFF") }.values.reduce(0, +)
        carries = byType["SB_CARRY", default: 0]
        blockRAMs = byType["SB_RAM40_4K", default: 0]
        self.cells = cells
    }
}

/// Fmax and utilisation read from nextpnr's `--report` JSON.
public struct PlaceRouteReport: Codable, Hashable, Sendable {
    /// The clock's achieved frequency, MHz.
    public var fmaxMHz: Double
    /// Logic cells used and available.
    public var logicCells: Int
    public var logicCellsAvailable: Int
    public var blockRAMs: Int

    public init(reportJSON data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let fmax = root["fmax"] as? [String: Any],
              let utilization = root["utilization"] as? [String: Any] else {
            throw ExploreError("nextpnr report JSON without fmax and utilization")
        }
        let achieved = fmax.values.compactMap { ($0 as? [String: Any])?["achieved"] as? Double }
        guard let f = achieved.min() else { throw ExploreError("nextpnr report names no clock") }
        fmaxMHz = f
        func used(_ k: String) -> (Int, Int) {
            let u = utilization[k] as? [String: Any]
            return (u?["used"] as? Int ?? 0, u?["available"] as? Int ?? 0)
        }
        (logicCells, logicCellsAvailable) = used("ICESTORM_LC")
        blockRAMs = used("ICESTORM_RAM").0
    }
}

public struct ExploreError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
