import AtomikDUT
import AtomikProgram
import Foundation
import Testing

func parse(_ text: String, parameters: [(name: String, value: String)] = []) throws(ProgramError) -> DUTDescription {
    var p = DUTDescriptionParser(file: "d.yaml", base: "/nowhere")
    p.checkFiles = false
    p.parameterOverrides = parameters
    return try p.parse(text)
}

let minimal = """
rtl: {files: [core.v], top: core}
parameters: {AW: 2, DW: 8}
width: DW
contexts: 2**AW
clock: clk
reset: {port: rst_n}
operation:
  valid: v
  opcode: op
  address: a
  data: d
  encoding: {load: 0, accum: 1, read: 2, swap-keep: 3}
acceptance: every-cycle
result: {valid: rv, data: rd}
"""

@Suite struct DUTDescriptions {
    @Test func minimalDescriptionAndDefaults() throws {
        let d = try parse(minimal)
        #expect(d.width == 8 && d.contexts == 4 && d.addressBits == 2)
        #expect(d.files == ["/nowhere/core.v"])
        #expect(d.reset.port == "rst_n" && d.reset.activeLow && d.reset.asynchronous && d.reset.cycles == 1)
        #expect(d.result.beats == [.read, .swapKeep])
        #expect(d.operation.opcodeBits == 2 && d.timeout == 1000)
        #expect(d.acceptance == .everyCycle)
    }

    @Test func parametersAreOverriddenAndExpressionsFollow() throws {
        let d = try parse(minimal, parameters: [("AW", "5"), ("EXTRA", "3")])
        #expect(d.contexts == 32)
        #expect(d.parameters.map(\.name) == ["AW", "DW", "EXTRA"])
    }

    @Test(arguments: [("8", 8), ("2**3", 8), ("1 << 4", 16), ("(2 + 3) * 4 - 1", 19), ("2**2**3", 256), ("DW / 2 % 3", 1)])
    func expressions(_ text: String, _ value: Int) throws {
        let d = try parse(minimal.replacingOccurrences(of: "width: DW", with: "width: \(text)"))
        #expect(d.width == value)
    }

    @Test func presetsParse() throws {
        for preset in DUTPreset.allCases {
            var p = DUTDescriptionParser(file: "preset", base: "/x")
            p.checkFiles = false
            let d = try p.parse(preset.text)
            #expect(!d.supported.isEmpty, "\(preset)")
        }
        var p = DUTDescriptionParser(file: "preset", base: "/x")
        p.checkFiles = false
        let asic = try p.parse(DUTPreset.asic.text)
        #expect(asic.contexts == 256 && asic.width == 64 && asic.supported == [.load, .accum, .read, .swapKeep])
        #expect(asic.acceptance == .oneAtATime(ready: nil))
        let v2 = try p.parse(DUTPreset.corev2.text)
        #expect(v2.operation.idle == 0 && v2.result.latency == 1 && v2.operation.address == nil)
    }

    /// Each bad description names its line and column and what was expected.
    @Test(arguments: [
        ("width: DW", "width: DW2", "3:8", "width: 'DW2' is not a parameter"),
        ("width: DW", "width: 1000", "3:8", "width = 1000 is outside 1...512"),
        ("acceptance: every-cycle", "acceptance: sometimes", "13:13", "expected every-cycle or one-at-a-time or ready"),
        ("reset: {port: rst_n}", "reset: {port: rst_n, active: middle}", "6:30", "reset.active: expected low or high"),
        ("  valid: v\n", "  valid: v\n  idle: 0\n", "8:3", "give either 'valid'"),
        ("swap-keep: 3}", "swap-keep: 1}", "12:13", "accum and swap-keep share opcode 1"),
        ("clock: clk", "clock: 9clk", "5:8", "'9clk' is not a Verilog identifier"),
        ("result: {valid: rv, data: rd}", "result: {valid: rv, latency: 2, data: rd}", "14:9", "give either 'valid'"),
        ("result: {valid: rv, data: rd}", "result: {valid: rv, data: rd, beats: [load]}", "14:38", "read returns a value"),
        ("  address: a\n", "", "8:3", "4 contexts need an 'address' port"),
        ("clock: clk", "clock: clk\nclocks: 2", "6:1", "unknown key 'clocks'"),
        ("clock: clk", "clock: [clk", "", "not valid YAML"),
    ])
    func errorsNameTheirPlace(_ old: String, _ new: String, _ place: String, _ message: String) throws {
        let text = minimal.replacingOccurrences(of: old, with: new)
        #expect(text != minimal)
        #expect {
            try parse(text)
        } throws: { error in
            let s = "\(error)"
            return s.hasPrefix("d.yaml:") && s.contains(message) && (s.contains("d.yaml:\(place):") || place.isEmpty)
        }
    }

    @Test func missingRTLFileIsNamed() {
        let p = DUTDescriptionParser(file: "d.yaml", base: "/nowhere")
        #expect {
            try p.parse(minimal)
        } throws: { "\($0)".contains("d.yaml:1:15: error: no RTL file 'core.v'") }
    }
}
