import AtomikCycle
import AtomikRTL
import AtomikVectors
import Foundation
import Testing

/// Writes a testbench from manifest.json alone (knowing nothing of the tool),
/// builds it under Icarus and Verilator with the commands a user would type,
/// runs it, and prints one line per simulator: `SIM checked=N mismatches=M`.
let testbenchFromManifest = #"""
import json, os, subprocess, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
rtl, ports, files = m["rtl"], m["ports"], {f["path"]: f for f in m["files"]}
stim = next(f for f in m["files"] if f["path"].startswith("stimulus"))
exp = next(f for f in m["files"] if f["path"].startswith("expected"))
n = m["cycles"]
# The RTL is the one the vectors were made for: every file's hash, by the rule the manifest states.
assert "FNV-1a" in rtl["hash_rule"], rtl["hash_rule"]
def fnv(paths):
    h = 0xcbf29ce484222325
    for p in sorted(paths, key=os.path.basename):
        for x in os.path.basename(p).encode() + b"\n" + open(p, "rb").read() + b"\n":
            h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "x")
headers = [os.path.join(i, f) for i in rtl["include_directories"] for f in os.listdir(i) if f.endswith((".vh", ".svh", ".v", ".sv"))]
everything = sorted(set(rtl["files"]) | set(headers))
for p in everything:
    assert fnv([p]) == rtl["file_hashes"][os.path.basename(p)], p
assert fnv(everything) == rtl["rtl_hash"], "rtl_hash"
print("hashes ok")
params = ", ".join(f".{k}({v})" for k, v in sorted(rtl["parameters"].items()))
clk, rst = ports["clock"]["name"], ports["reset"]["name"]
v = ["module tb (", "`ifdef VERILATOR", "  input wire clk", "`endif", ");", "`ifndef VERILATOR",
     "  reg clk = 1'b0;", "  always #5 clk = ~clk;", "`endif",
     f"  reg [{stim['bits']-1}:0] s_mem [0:{n-1}];", f"  reg [{exp['bits']-1}:0] e_mem [0:{n-1}];",
     "  integer k = 0, mismatches = 0;", f"  wire [{stim['bits']-1}:0] s = s_mem[k];", f"  wire [{exp['bits']-1}:0] e = e_mem[k];"]
conn = [f".{clk}(clk)"]
# Each field is bits [port_lsb +: width] of its port (lanes share a port); a wire a port, sliced.
for fs, prefix in [(stim["fields"], "in"), (exp["fields"], "out")]:
    widths = {}
    for f in fs:
        widths[f["port"]] = max(widths.get(f["port"], 0), f["port_lsb"] + f["width"])
    for port, pw in widths.items():
        v.append(f"  wire [{pw-1}:0] {prefix}_{port};")
        conn.append(f".{port}({prefix}_{port})")
for f in stim["fields"]:
    v.append(f"  assign in_{f['port']}[{f['port_lsb']} +: {f['width']}] = s[{f['lsb']} +: {f['width']}];")
v.append(f"  {rtl['top']} #({params}) dut ({', '.join(conn)});")
v.append(f"  initial begin $readmemh(\"{stim['path']}\", s_mem); $readmemh(\"{exp['path']}\", e_mem); end")
v.append("  always @(posedge clk) begin")
for f in exp["fields"]:
    v.append(f"    if (out_{f['port']}[{f['port_lsb']} +: {f['width']}] !== e[{f['lsb']} +: {f['width']}]) begin mismatches = mismatches + 1;"
             f" if (mismatches < 5) $display(\"MISMATCH cycle %0d {f['name']}\", k); end")
v += [f"    if (k == {n-1}) begin $display(\"checked=%0d mismatches=%0d\", k + 1, mismatches); $finish; end",
      "    k <= k + 1;", "  end", "endmodule", ""]
open(os.path.join(d, "tb.v"), "w").write("\n".join(v))
open(os.path.join(d, "main.cpp"), "w").write(
    '#include "Vtb.h"\n#include "verilated.h"\nint main(int argc, char** argv) {\n'
    '  VerilatedContext c; c.commandArgs(argc, argv); Vtb t{&c}; t.clk = 0; t.eval();\n'
    '  while (!c.gotFinish()) { t.clk = 1; t.eval(); t.clk = 0; t.eval(); }\n  t.final(); return 0;\n}\n')
inc = [f"-I{i}" for i in rtl["include_directories"]]
for sim, build, run in [
    ("icarus", ["iverilog", "-g2012", "-s", "tb", "-o", "tb.vvp"] + inc + ["tb.v"] + rtl["files"], ["vvp", "-n", "tb.vvp"]),
    ("verilator", ["verilator", "--cc", "--exe", "--build", "-j", "0", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                   "--top-module", "tb", "-Mdir", "obj"] + inc + ["tb.v", "main.cpp"] + rtl["files"], ["obj/Vtb"]),
]:
    b = subprocess.run(build, cwd=d, capture_output=True, text=True)
    if b.returncode != 0:
        print(sim, "BUILD FAILED", (b.stdout + b.stderr)[-1500:]); continue
    r = subprocess.run(run, cwd=d, capture_output=True, text=True)
    lines = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith("checked=")]
    print(sim, lines[-1] if lines else "NO RESULT " + (r.stdout + r.stderr)[-800:])
"""#

/// A vector manifest is enough to write a testbench: one generated from it
/// alone checks the vectors with 0 mismatches under both simulators.
@Suite(.serialized) struct ManifestTestbench {
    @Test(arguments: [UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 2),
                      UnitParameters(width: 8, contexts: 1, storage: .ff),
                      UnitParameters(width: 130, contexts: 16, storage: .sram, readLatency: 1),
                      UnitParameters(width: 40, contexts: 8, storage: .sram, lanes: 5)])
    func aTestbenchFromTheManifestAloneAgrees(_ p: UnitParameters) throws {
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        try #require(ci || (RTLSimulator.icarus.isInstalled && RTLSimulator.verilator.isInstalled), "simulators are not installed")
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        var job = VectorJob(parameters: p, directory: dir)
        job.recipe = .reset; job.length = 600; job.untilCoverage = true
        let report = try VectorGenerator.run(job)
        let script = "\(dir)/consume.py"
        try testbenchFromManifest.write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, dir]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for sim in ["icarus", "verilator"] {
            #expect(output.contains("\(sim) checked=\(report.cycles) mismatches=0"), "\(p): \(output)")
            #expect(output.hasPrefix("hashes ok\n"), "\(p): \(output)")
        }
    }
}
