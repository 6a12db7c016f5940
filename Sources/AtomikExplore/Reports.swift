import Foundation

/// The sweep's outputs: CSV, JSON, a Markdown table, an SVG chart of area
/// against throughput with the Pareto front marked, and one HTML report.
public enum ExploreReport {
    /// The workload the charts (one a device) and the Pareto front use.
    public static let chartWorkload = "uniform"

    static func number(_ x: Double?, _ format: String = "%.1f") -> String { x.map { String(format: format, $0) } ?? "" }

    static func deviceText(_ r: PointResult, _ d: Device) -> String {
        guard let dr = r.devices.first(where: { $0.device == d }) else { return "not run" }
        switch dr.status {
        case .ok: return number(dr.report?.fmaxMHz)
        case .doesNotFit: return "does not fit"
        case .timeout: return "timed out"
        case .failed: return "failed"
        }
    }

    public static func csv(_ results: [PointResult], devices: [Device]) -> String {
        var header = ["width", "contexts", "storage", "read_latency", "luts", "flip_flops", "carries", "block_rams"]
        let workloads = results.first?.workloads.map(\.recipe) ?? []
        for w in workloads { header += ["\(w)_cycles_per_op", "\(w)_stalls", "\(w)_checked"] }
        for d in devices {
            header += ["\(d.rawValue)_fmax_mhz", "\(d.rawValue)_status", "\(d.rawValue)_logic_cells"]
            for w in workloads { header.append("\(d.rawValue)_\(w)_mops") }
        }
        var out = header.joined(separator: ",") + "\n"
        for r in results {
            var row: [String] = ["\(r.width)", "\(r.contexts)", r.storage, "\(r.readLatency)"]
            if let s = r.synthesis {
                row += ["\(s.luts)", "\(s.flipFlops)", "\(s.carries)", "\(s.blockRAMs)"]
            } else {
                row += ["", "", "", ""]
            }
            for w in r.workloads { row += [String(format: "%.4f", w.cyclesPerOperation), "\(w.stallCycles)", "\(w.resultsChecked)"] }
            for d in devices {
                let dr: DeviceResult? = r.devices.first { $0.device == d }
                let cells: String = dr?.report.map { "\($0.logicCells)" } ?? ""
                row.append(number(dr?.report?.fmaxMHz, "%.2f"))
                row.append(dr?.status.rawValue ?? "not-run")
                row.append(cells)
                for w in workloads { row.append(number(r.operationsPerSecond(d, w).map { $0 / 1e6 }, "%.2f")) }
            }
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    public static func json(_ results: [PointResult]) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try e.encode(results), as: UTF8.self) + "\n"
    }

    public static func markdown(_ results: [PointResult], devices: [Device]) -> String {
        var head = "| point | LUT4 | FF | carry | BRAM | harness +LUT4/+FF | cycles/op (uniform, hazard) |"
        var rule = "|---|---|---|---|---|---|---|"
        for d in devices { head += " \(d.rawValue) Fmax MHz | \(d.rawValue) M ops/s |"; rule += "---|---|" }
        var out = head + "\n" + rule + "\n"
        for r in results {
            let s = r.synthesis
            func cyclesPerOperation(_ workloads: [WorkloadResult]) -> String {
                ["uniform", "hazard"].compactMap { w in workloads.first { $0.recipe == w } }
                    .map { String(format: "%.3f", $0.cyclesPerOperation) }.joined(separator: ", ")
            }
            // A described design's figures are measured on its RTL; our unit's also come from the model.
            let cpo = cyclesPerOperation(r.workloads) + (r.modelWorkloads.map { " (model \(cyclesPerOperation($0)))" } ?? "")
            var harness = "-"
            if let s, let h = r.harnessSynthesis { harness = "\(h.luts - s.luts)/\(h.flipFlops - s.flipFlops)" }
            var row = "| \(r.name) | \(s.map { "\($0.luts)" } ?? r.synthesisNote ?? "-") | \(s.map { "\($0.flipFlops)" } ?? "-") "
                + "| \(s.map { "\($0.carries)" } ?? "-") | \(s.map { "\($0.blockRAMs)" } ?? "-") | \(harness) | \(cpo) |"
            for d in devices {
                row += " \(deviceText(r, d)) | \(number(r.operationsPerSecond(d, chartWorkload).map { $0 / 1e6 })) |"
            }
            out += row + "\n"
        }
        return out
    }

    /// Points on the Pareto front of (fewer logic cells, more operations per second) on `device`.
    public static func paretoFront(_ results: [PointResult], device: Device) -> Set<String> {
        let pts = results.compactMap { r -> (String, Double, Double)? in
            guard let ops = r.operationsPerSecond(device, chartWorkload),
                  let lc = r.devices.first(where: { $0.device == device })?.report?.logicCells else { return nil }
            return (r.name, Double(lc), ops)
        }
        return Set(pts.filter { a in !pts.contains { b in b.1 <= a.1 && b.2 >= a.2 && (b.1 < a.1 || b.2 > a.2) } }.map(\.0))
    }

    /// Area (logic cells after place and route) against throughput on `device`.
    public static func svg(_ results: [PointResult], device: Device) -> String {
        let pts = results.compactMap { r -> (PointResult, Double, Double)? in
            guard let ops = r.operationsPerSecond(device, chartWorkload),
                  let lc = r.devices.first(where: { $0.device == device })?.report?.logicCells else { return nil }
            return (r, Double(lc), ops / 1e6)
        }
        let front = paretoFront(results, device: device)
        let w = 640.0, h = 420.0, left = 70.0, bottom = 50.0, top = 30.0, right = 20.0
        let maxX = max(pts.map(\.1).max() ?? 1, 1) * 1.1, maxY = max(pts.map(\.2).max() ?? 1, 1) * 1.1
        func x(_ v: Double) -> Double { left + v / maxX * (w - left - right) }
        func y(_ v: Double) -> Double { h - bottom - v / maxY * (h - bottom - top) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(w / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">ATOMiK unit on \(device.rawValue): area against throughput (\(chartWorkload) workload)</text>\n"
        s += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        for k in 0...4 {
            let vx = maxX * Double(k) / 4, vy = maxY * Double(k) / 4
            s += "<text x=\"\(x(vx))\" y=\"\(h - bottom + 15)\" text-anchor=\"middle\">\(Int(vx))</text>\n"
            s += "<text x=\"\(left - 6)\" y=\"\(y(vy) + 4)\" text-anchor=\"end\">\(String(format: "%.0f", vy))</text>\n"
        }
        s += "<text x=\"\(w / 2)\" y=\"\(h - 12)\" text-anchor=\"middle\">logic cells (unit + harness, after place and route)</text>\n"
        s += "<text x=\"16\" y=\"\(h / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(h / 2))\">M operations/s</text>\n"
        let frontPts = pts.filter { front.contains($0.0.name) }.sorted { $0.1 < $1.1 }
        if frontPts.count > 1 {
            s += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\" points=\""
                + frontPts.map { "\(x($0.1)),\(y($0.2))" }.joined(separator: " ") + "\"/>\n"
        }
        for (r, lc, ops) in pts {
            let onFront = front.contains(r.name)
            s += "<circle cx=\"\(x(lc))\" cy=\"\(y(ops))\" r=\"\(onFront ? 5 : 3.5)\" fill=\"\(r.storage == "sram" ? "#2874a6" : "#229954")\""
                + (onFront ? " stroke=\"#c0392b\" stroke-width=\"2\"" : "") + "/>\n"
            s += "<text x=\"\(x(lc) + 7)\" y=\"\(y(ops) - 5)\">\(r.name)</text>\n"
        }
        s += "<text x=\"\(w - right - 4)\" y=\"\(top + 12)\" text-anchor=\"end\" fill=\"#229954\">ff</text>\n"
        s += "<text x=\"\(w - right - 4)\" y=\"\(top + 26)\" text-anchor=\"end\" fill=\"#2874a6\">sram</text>\n"
        s += "<text x=\"\(w - right - 4)\" y=\"\(top + 40)\" text-anchor=\"end\" fill=\"#c0392b\">Pareto front</text>\n"
        return s + "</svg>\n"
    }

    public static func html(_ results: [PointResult], devices: [Device], options: String) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        var h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ATOMiK design exploration</title>\n"
        h += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}</style></head><body>\n"
        h += "<h1>ATOMiK design exploration</h1>\n<p>\(esc(options))</p>\n"
        for d in devices { h += svg(results, device: d) }
        h += "<table><tr><th>point</th><th>LUT4</th><th>FF</th><th>carry</th><th>BRAM</th>"
        for d in devices { h += "<th>\(d.rawValue) Fmax MHz</th><th>\(d.rawValue) M ops/s</th>" }
        h += "</tr>\n"
        for r in results {
            let s = r.synthesis
            h += "<tr><td>\(r.name)</td><td>\(s.map { "\($0.luts)" } ?? "-")</td><td>\(s.map { "\($0.flipFlops)" } ?? "-")</td>"
                + "<td>\(s.map { "\($0.carries)" } ?? "-")</td><td>\(s.map { "\($0.blockRAMs)" } ?? "-")</td>"
            for d in devices {
                h += "<td>\(deviceText(r, d))</td><td>\(number(r.operationsPerSecond(d, chartWorkload).map { $0 / 1e6 }))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</table>\n</body></html>\n"
    }
}
