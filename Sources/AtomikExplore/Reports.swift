import Foundation
import AtomikProgram

/// The sweep's outputs: CSV, JSON, a Markdown table, an SVG chart of area
/// against throughput with the Pareto front marked, and one HTML report.
public enum ExploreReport {
    /// The workload of the main charts (ops/s and bits/s, one pair a device) and fronts.
    public static let chartWorkload = "uniform"
    /// The workloads with a front (and an ops/s chart) of their own: uniform traffic,
    /// back-to-back hazards, and the ACCUM-heavy fan-in over the whole table.
    public static let frontWorkloads = [chartWorkload, "hazard", "fan-in-table"]

    /// Those of `frontWorkloads` some result has.
    static func frontWorkloads(_ results: [PointResult]) -> [String] {
        frontWorkloads.filter { w in results.contains { $0.workloads.contains { $0.recipe == w } } }
    }

    /// Those with an ops/s chart of their own beside the uniform workload's pair.
    static func chartedWorkloads(_ results: [PointResult]) -> [String] {
        frontWorkloads(results).filter { $0 != chartWorkload }
    }

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
        var header = ["width", "contexts", "storage", "read_latency", "lanes", "luts", "flip_flops", "carries", "block_rams"]
        let workloads = results.first?.workloads.map(\.recipe) ?? []
        for w in workloads { header += ["\(w)_cycles_per_op", "\(w)_stalls", "\(w)_checked", "\(w)_rtl_mismatches"] }
        for d in devices {
            header += ["\(d.rawValue)_fmax_mhz", "\(d.rawValue)_status", "\(d.rawValue)_logic_cells"]
            for w in workloads { header.append("\(d.rawValue)_\(w)_mops") }
        }
        var out = header.joined(separator: ",") + "\n"
        for r in results {
            var row: [String] = ["\(r.width)", "\(r.contexts)", r.storage, "\(r.readLatency)", "\(r.lanes ?? 1)"]
            if let s = r.synthesis {
                row += ["\(s.luts)", "\(s.flipFlops)", "\(s.carries)", "\(s.blockRAMs)"]
            } else {
                row += ["", "", "", ""]
            }
            for w in r.workloads {
                row += [String(format: "%.4f", w.cyclesPerOperation), "\(w.stallCycles)", "\(w.resultsChecked)", w.rtlMismatches.map { "\($0)" } ?? ""]
            }
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
        var head = "| point | LUT4 | FF | carry | BRAM | harness +LUT4/+FF | cycles/op (uniform, hazard) | RTL under Verilator |"
        var rule = "|---|---|---|---|---|---|---|---|"
        let perWorkload = frontWorkloads(results)
        for d in devices {
            head += " \(d.rawValue) Fmax MHz |" + perWorkload.map { " \(d.rawValue) M ops/s \($0) |" }.joined()
            rule += "---|" + String(repeating: "---|", count: perWorkload.count)
        }
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
            // Whether every workload's replay on the RTL agreed with the model cycle for cycle (--verify-rtl).
            let replayed = r.workloads.compactMap(\.rtlMismatches)
            let rtl = replayed.isEmpty ? "-" : replayed.allSatisfy { $0 == 0 } ? "agrees, \(replayed.count) workloads"
                : "\(replayed.reduce(0, +)) cycles differ"
            var row = "| \(r.name) | \(s.map { "\($0.luts)" } ?? r.synthesisNote ?? "-") | \(s.map { "\($0.flipFlops)" } ?? "-") "
                + "| \(s.map { "\($0.carries)" } ?? "-") | \(s.map { "\($0.blockRAMs)" } ?? "-") | \(harness) | \(cpo) | \(rtl) |"
            for d in devices {
                row += " \(deviceText(r, d)) |" + perWorkload.map { " \(number(r.operationsPerSecond(d, $0).map { $0 / 1e6 })) |" }.joined()
            }
            out += row + "\n"
        }
        return out
    }

    /// What a chart and its Pareto front rank by: operations per second, or
    /// bits per second (operations/s x width: a wide point moves more data per operation).
    public enum Throughput: String, CaseIterable, Sendable {
        case operations, bits

        public var label: String { self == .operations ? "M operations/s" : "Gbit/s" }

        /// The point's throughput on `device` for `workload`, in the chart's unit.
        public func value(_ r: PointResult, _ device: Device, workload: String = chartWorkload) -> Double? {
            guard let ops = r.operationsPerSecond(device, workload) else { return nil }
            return self == .operations ? ops / 1e6 : ops * Double(r.width) / 1e9
        }
    }

    /// Logic cells after place and route on `device` (unit + harness).
    static func logicCells(_ r: PointResult, _ device: Device) -> Int? {
        r.devices.first { $0.device == device }?.report?.logicCells
    }

    /// Points on the Pareto front of (fewer logic cells, more throughput for `workload`) on `device`.
    public static func paretoFront(_ results: [PointResult], device: Device, by measure: Throughput = .operations,
                                   workload: String = chartWorkload) -> Set<String> {
        nondominated(results, device: device) { r in measure.value(r, device, workload: workload).map { [$0] } }
    }

    /// The ops/s front of each width on its own (a designer who has fixed W compares only those).
    public static func widthFronts(_ results: [PointResult], device: Device) -> Set<String> {
        Dictionary(grouping: results, by: \.width).values.reduce(into: Set<String>()) { $0.formUnion(paretoFront($1, device: device)) }
    }

    /// The capacity-aware front: fewer logic cells, more bits/s and more state held
    /// (contexts x width bits), so a point that stores more is not beaten by a smaller, faster one.
    public static func capacityFront(_ results: [PointResult], device: Device) -> Set<String> {
        nondominated(results, device: device) { r in Throughput.bits.value(r, device).map { [$0, Double(r.contexts * r.width)] } }
    }

    /// The points that no other beats: none has at most their logic cells on `device` and at least
    /// each of their `merits` (larger is better), better in one. Points without figures take no part.
    static func nondominated(_ results: [PointResult], device: Device, _ merits: (PointResult) -> [Double]?) -> Set<String> {
        let pts = results.compactMap { r -> (name: String, cells: Double, merits: [Double])? in
            guard let m = merits(r), let lc = logicCells(r, device) else { return nil }
            return (r.name, Double(lc), m)
        }
        func beats(_ b: (name: String, cells: Double, merits: [Double]), _ a: (name: String, cells: Double, merits: [Double])) -> Bool {
            b.cells <= a.cells && zip(b.merits, a.merits).allSatisfy { $0 >= $1 }
                && (b.cells < a.cells || zip(b.merits, a.merits).contains { $0 > $1 })
        }
        return Set(pts.filter { a in !pts.contains { beats($0, a) } }.map(\.name))
    }

    /// Round tick values from 0 past `maximum`: steps of 1, 2 or 5 times a power of ten, four to eight of them.
    static func ticks(_ maximum: Double) -> [Double] {
        let rough = max(maximum, 1e-9) / 5
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough }!
        return (0...Int((maximum / step).rounded(.up))).map { Double($0) * step }
    }

    static func tickText(_ v: Double) -> String {
        v == v.rounded() ? String(format: "%.0f", v) : String(format: v < 1 ? "%.2g" : "%.1f", v)
    }

    /// Area (logic cells after place and route) against throughput on `device`:
    /// each point has a tooltip; the front's points are labelled.
    public static func svg(_ results: [PointResult], device: Device, by measure: Throughput = .operations,
                           workload: String = chartWorkload) -> String {
        let pts = results.compactMap { r -> (PointResult, Double, Double)? in
            guard let t = measure.value(r, device, workload: workload), let lc = logicCells(r, device) else { return nil }
            return (r, Double(lc), t)
        }
        let front = paretoFront(results, device: device, by: measure, workload: workload)
        let w = 680.0, h = 440.0, left = 70.0, bottom = 50.0, top = 30.0, right = 120.0
        let xTicks = ticks(pts.map(\.1).max() ?? 1), yTicks = ticks(pts.map(\.2).max() ?? 1)
        let maxX = xTicks.last!, maxY = yTicks.last!
        func x(_ v: Double) -> Double { left + v / maxX * (w - left - right) }
        func y(_ v: Double) -> Double { h - bottom - v / maxY * (h - bottom - top) }
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\((w - right + left) / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(device.rawValue): logic cells against \(measure.label) (\(workload) workload)</text>\n"
        for v in xTicks {
            s += "<line x1=\"\(x(v))\" y1=\"\(top)\" x2=\"\(x(v))\" y2=\"\(h - bottom)\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(x(v))\" y=\"\(h - bottom + 15)\" text-anchor=\"middle\">\(tickText(v))</text>\n"
        }
        for v in yTicks {
            s += "<line x1=\"\(left)\" y1=\"\(y(v))\" x2=\"\(w - right)\" y2=\"\(y(v))\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" text-anchor=\"end\">\(tickText(v))</text>\n"
        }
        s += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        s += "<text x=\"\((w - right + left) / 2)\" y=\"\(h - 12)\" text-anchor=\"middle\">logic cells (unit + harness, after place and route)</text>\n"
        s += "<text x=\"16\" y=\"\(h / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(h / 2))\">\(measure.label)</text>\n"
        let frontPts = pts.filter { front.contains($0.0.name) }.sorted { $0.1 < $1.1 }
        if frontPts.count > 1 {
            s += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\" points=\""
                + frontPts.map { "\(x($0.1)),\(y($0.2))" }.joined(separator: " ") + "\"/>\n"
        }
        func colour(_ r: PointResult) -> String { r.storage == "sram" ? "#2874a6" : r.storage == "ff" ? "#229954" : "#8e44ad" }
        for (r, lc, t) in pts {
            let onFront = front.contains(r.name)
            s += "<circle cx=\"\(x(lc))\" cy=\"\(y(t))\" r=\"\(onFront ? 5 : 3.5)\" fill=\"\(colour(r))\""
                + (onFront ? " stroke=\"#c0392b\" stroke-width=\"2\"" : "")
                + "><title>\(esc(r.name)): \(Int(lc)) logic cells, \(tickText(t)) \(measure.label)\(onFront ? ", on the front" : "")</title></circle>\n"
        }
        // Labels for the front only, nudged down where they would overlap the one before.
        var lastY = -100.0
        for (r, lc, t) in frontPts.sorted(by: { $0.2 > $1.2 }) {
            var ly = y(t) - 6
            if ly - lastY < 12 { ly = lastY + 12 }
            lastY = ly
            s += "<text x=\"\(x(lc) + 8)\" y=\"\(ly)\">\(esc(r.name))</text>\n"
        }
        let legend: [(String, String, Bool)] = [("ff", "#229954", false), ("sram", "#2874a6", false), ("described design", "#8e44ad", false),
                                                ("Pareto front", "white", true)]
        for (k, (name, fill, ring)) in legend.enumerated() {
            let ly = top + 10 + Double(k) * 16
            s += "<circle cx=\"\(w - right + 14)\" cy=\"\(ly - 4)\" r=\"5\" fill=\"\(fill)\"" + (ring ? " stroke=\"#c0392b\" stroke-width=\"2\"" : "") + "/>\n"
            s += "<text x=\"\(w - right + 24)\" y=\"\(ly)\">\(name)</text>\n"
        }
        return s + "</svg>\n"
    }

    /// The HTML report: the provenance, the charts of each device (ops/s and bits/s for
    /// the uniform workload, ops/s for each other front workload), and a
    /// table that sorts by any column (click a heading; `#sort=N` or `#sort=-N` in the address sorts at load).
    public static func html(_ results: [PointResult], devices: [Device], options: String, provenance: String = "") -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ATOMiK design exploration</title>\n"
        h += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
            + "th{cursor:pointer;background:#f4f4f4}td.l,th.l{text-align:left}</style></head><body>\n"
        h += "<h1>ATOMiK design exploration</h1>\n<p>\(esc(options))</p>\n"
        if !provenance.isEmpty { h += "<p class=\"provenance\">\(esc(provenance))</p>\n" }
        let others = chartedWorkloads(results)
        for d in devices {
            for m in Throughput.allCases { h += svg(results, device: d, by: m) }
            for w in others { h += svg(results, device: d, workload: w) }
        }
        var columns = ["point", "W", "C", "storage", "latency", "LUT4", "FF", "carry", "BRAM", "cycles/op (\(chartWorkload))"]
        for d in devices {
            columns += ["\(d.rawValue) logic cells", "\(d.rawValue) Fmax MHz", "\(d.rawValue) M ops/s", "\(d.rawValue) Gbit/s",
                        "\(d.rawValue) front (ops/s)", "\(d.rawValue) front (bits/s)", "\(d.rawValue) front of its width (ops/s)",
                        "\(d.rawValue) front with capacity (bits/s, C x W)"]
                + others.flatMap { ["\(d.rawValue) M ops/s \($0)", "\(d.rawValue) front (ops/s, \($0))"] }
        }
        columns.append("notes")
        h += "<table id=\"points\"><thead><tr>" + columns.enumerated().map { k, c in
            "<th\(k == 0 || k == 3 || c == "notes" ? " class=\"l\"" : "")>\(esc(c))</th>" }.joined() + "</tr></thead><tbody>\n"
        let fronts = devices.map { d in
            Throughput.allCases.map { paretoFront(results, device: d, by: $0) } + [widthFronts(results, device: d), capacityFront(results, device: d)]
        }
        let workloadFronts = devices.map { d in others.map { paretoFront(results, device: d, workload: $0) } }
        for r in results {
            func cell(_ text: String, _ value: Double? = nil, left: Bool = false) -> String {
                "<td" + (value.map { " data-value=\"\($0)\"" } ?? "") + (left ? " class=\"l\"" : "") + ">\(esc(text))</td>"
            }
            let s = r.synthesis
            let cpo = r.workloads.first { $0.recipe == chartWorkload }?.cyclesPerOperation
            var row = cell(r.name, left: true) + cell("\(r.width)", Double(r.width)) + cell("\(r.contexts)", Double(r.contexts))
                + cell(r.storage, left: true) + cell(r.storage == "sram" ? "\(r.readLatency)" : "-", Double(r.readLatency))
            for v in [s?.luts, s?.flipFlops, s?.carries, s?.blockRAMs] { row += cell(v.map(String.init) ?? "-", v.map(Double.init)) }
            row += cell(cpo.map { String(format: "%.3f", $0) } ?? "-", cpo)
            var notes: [String] = []
            if let n = r.synthesisNote { notes.append(n) }
            for (k, d) in devices.enumerated() {
                let lc = logicCells(r, d), ops = Throughput.operations.value(r, d), bits = Throughput.bits.value(r, d)
                row += cell(lc.map(String.init) ?? "-", lc.map(Double.init)) + cell(deviceText(r, d), r.devices.first { $0.device == d }?.report?.fmaxMHz)
                    + cell(number(ops), ops) + cell(number(bits, "%.2f"), bits)
                for front in fronts[k] { row += cell(front.contains(r.name) ? "yes" : "", front.contains(r.name) ? 1 : 0) }
                for (w, front) in zip(others, workloadFronts[k]) {
                    let v = Throughput.operations.value(r, d, workload: w)
                    row += cell(number(v), v) + cell(front.contains(r.name) ? "yes" : "", front.contains(r.name) ? 1 : 0)
                }
                if let dr = r.devices.first(where: { $0.device == d }) {
                    if dr.status != .ok { notes.append("\(d.rawValue): \(deviceText(r, d))" + (dr.note.map { " (\($0))" } ?? "")) }
                } else {
                    notes.append("\(d.rawValue): not run" + (r.synthesis == nil ? " (no synthesis)" : " (place and route skipped)"))
                }
            }
            row += cell(notes.joined(separator: "; "), left: true)
            h += "<tr>\(row)</tr>\n"
        }
        h += "</tbody></table>\n"
        h += """
            <script>
            (function () {
              var table = document.getElementById('points'), body = table.tBodies[0];
              var heads = table.tHead.rows[0].cells, state = {column: -1, up: true};
              // Text columns sort by text; number columns by value, with cells that have none
              // ("not run", "-") last either way.
              function key(row, k) {
                var c = row.cells[k];
                if (heads[k].className === 'l') return c.textContent;
                var v = c.getAttribute('data-value');
                return v === null ? null : parseFloat(v);
              }
              function sort(k, up) {
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = key(a, k), y = key(b, k);
                  if (x === null || y === null) return (x === null) - (y === null);
                  var c = typeof x === 'number' ? x - y : x.localeCompare(y);
                  return up ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
                state = {column: k, up: up};
                table.setAttribute('data-sorted', (up ? '' : '-') + k);
              }
              Array.prototype.forEach.call(heads, function (th, k) {
                th.title = 'sort by ' + th.textContent;
                th.addEventListener('click', function () { sort(k, state.column === k ? !state.up : true); });
              });
              var m = /sort=(-?)(\\d+)/.exec(location.hash);
              if (m && +m[2] < heads.length) sort(+m[2], m[1] !== '-');
              document.body.setAttribute('data-ready', 'yes');
            })();
            </script>

            """
        return h + "</body></html>\n"
    }
}

extension ExploreReport {
    /// Writes the report set into `out`: results.csv, results.md, the charts of
    /// each device, report.html and results.json. The set is written whole or not
    /// at all: every file is staged, an earlier run's results.json (the mark of a
    /// complete set) is removed, then all are renamed into place, results.json
    /// last; charts of devices not in `devices` are removed. `options` and
    /// `provenance` head the HTML report.
    public static func write(_ results: [PointResult], devices: [Device], options: String, provenance: String, to out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var staged: [AtomicOutput] = []
        func stage(_ name: String, _ text: String) throws {
            let f = try AtomicOutput(path: "\(out)/\(name)")
            staged.append(f)
            try f.writer.write(text)
        }
        try stage("results.csv", csv(results, devices: devices))
        try stage("results.md", markdown(results, devices: devices))
        var charts: Set<String> = []
        func chart(_ d: Device, _ suffix: String, _ text: String) throws {
            charts.insert("chart-\(d.rawValue)\(suffix).svg")
            try stage("chart-\(d.rawValue)\(suffix).svg", text)
        }
        for d in devices {
            try chart(d, "", svg(results, device: d, by: .operations))
            try chart(d, "-bits", svg(results, device: d, by: .bits))
            for w in chartedWorkloads(results) { try chart(d, "-\(w)", svg(results, device: d, workload: w)) }
        }
        try stage("report.html", html(results, devices: devices, options: options, provenance: provenance))
        try stage("results.json", try json(results))
        unlink("\(out)/results.json")
        for f in staged { try f.commit() }
        // An earlier run's charts that this one did not write.
        for d in Device.allCases {
            for suffix in ["", "-bits"] + frontWorkloads.filter({ $0 != chartWorkload }).map({ "-\($0)" })
            where !charts.contains("chart-\(d.rawValue)\(suffix).svg") {
                unlink("\(out)/chart-\(d.rawValue)\(suffix).svg")
            }
        }
    }

    /// What the report's options line says of a sweep.
    public static func optionsText(devices: [Device], frequencyMHz: Double, seeds: Int, length: Int) -> String {
        "devices \(devices.map(\.rawValue).joined(separator: ",")), target \(frequencyMHz) MHz, best of \(seeds) seeds; workloads of \(length) items"
    }
}
