import AtomikCycle
import AtomikProgram

/// The design points of a sweep: the cross product of value lists, or a
/// data file with one point a line (`width=32 contexts=16 storage=sram latency=1 lanes=4`).
public enum SweepDefinition {
    /// Every combination; `ff` points take read latency 1 only, and only
    /// `sram` points at read latency 1 take more than one lane.
    public static func cross(widths: [Int], contexts: [Int], storages: [Storage], latencies: [Int],
                             lanes: [Int] = [1]) -> [UnitParameters] {
        var points: [UnitParameters] = []
        for s in storages {
            for c in contexts {
                for w in widths {
                    for l in (s == .ff ? [1] : latencies) {
                        for k in lanes where k == 1 || (s == .sram && l == 1) {
                            points.append(UnitParameters(width: w, contexts: c, storage: s, readLatency: l, lanes: k))
                        }
                    }
                }
            }
        }
        return points
    }

    /// Parses a points file; errors name the line and column.
    public static func parse(_ text: String, file: String) throws(ProgramError) -> [UnitParameters] {
        var points: [UnitParameters] = []
        for line in try KeyValueLines.parse(text, file: file, keys: ["width", "contexts", "storage", "latency", "lanes"]) {
            guard let (s, sw) = line.values["storage"] else { throw line.error("missing storage=") }
            guard let storage = Storage(rawValue: String(s)) else {
                throw line.error("storage: expected ff or sram, found '\(s)'", at: sw)
            }
            let p = UnitParameters(width: try line.int("width"), contexts: try line.int("contexts"), storage: storage,
                                   readLatency: try line.int("latency", default: 1), lanes: try line.int("lanes", default: 1))
            do { try p.validate() } catch { throw line.error(error.description) }
            points.append(p)
        }
        return points
    }
}
