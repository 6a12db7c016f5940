import AtomikCycle
import AtomikProgram

/// The design points of a sweep: the cross product of value lists, or a
/// data file with one point a line (`width=32 contexts=16 storage=sram latency=1`).
public enum SweepDefinition {
    /// Every combination; `ff` points take read latency 1 only.
    public static func cross(widths: [Int], contexts: [Int], storages: [Storage], latencies: [Int]) -> [UnitParameters] {
        var points: [UnitParameters] = []
        for s in storages {
            for c in contexts {
                for w in widths {
                    for l in (s == .ff ? [1] : latencies) {
                        points.append(UnitParameters(width: w, contexts: c, storage: s, readLatency: l))
                    }
                }
            }
        }
        return points
    }

    /// Parses a points file; errors name the line and column.
    public static func parse(_ text: String, file: String) throws(ProgramError) -> [UnitParameters] {
        var points: [UnitParameters] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            func fail(_ message: String, _ word: Substring? = nil) -> ProgramError {
                let column = word.map { raw.distance(from: raw.startIndex, to: $0.startIndex) + 1 } ?? 1
                return ProgramError(message, at: SourceLocation(file: file, line: n + 1, column: column))
            }
            var p = UnitParameters(width: 0, contexts: 0)
            var seen = Set<Substring>()
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let kv = word.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { throw fail("expected key=value, found '\(word)'", word) }
                seen.insert(kv[0])
                switch kv[0] {
                case "width", "contexts", "latency":
                    guard let v = Int(kv[1]) else { throw fail("\(kv[0]): expected a decimal number, found '\(kv[1])'", word) }
                    if kv[0] == "width" { p.width = v } else if kv[0] == "contexts" { p.contexts = v } else { p.readLatency = v }
                case "storage":
                    guard let s = Storage(rawValue: String(kv[1])) else { throw fail("storage: expected ff or sram, found '\(kv[1])'", word) }
                    p.storage = s
                default:
                    throw fail("unknown key '\(kv[0])': expected width, contexts, storage or latency", word)
                }
            }
            for key in ["width", "contexts", "storage"] where !seen.contains(Substring(key)) { throw fail("missing \(key)=") }
            do { try p.validate() } catch { throw fail(error.description) }
            points.append(p)
        }
        return points
    }
}
