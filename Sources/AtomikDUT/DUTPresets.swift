import AtomikProgram

/// DUT descriptions shipped with the tool, selected by name: our unit, and
/// the interfaces of the two published ATOMiK cores (`shared/ATOMIK.md`
/// section 2), whose RTL the user brings (`--rtl-dir`). File paths in a
/// preset are relative to that RTL directory.
public enum DUTPreset: String, CaseIterable, Sendable {
    /// This project's unit, rtl/atomik_unit.v (the default RTL directory is the tool's rtl/).
    case atomikUnit = "atomik-unit"
    /// ATOMiK Core v2: one context, idle is opcode 00, READ's value on data_out one cycle later.
    case corev2
    /// ATOMiK ASIC core: op_valid, one operation at a time, a result beat for every operation.
    case asic

    public var summary: String {
        switch self {
        case .atomikUnit: "this project's unit (rtl/), with its cycle-level model"
        case .corev2: "ATOMiK Core v2: atomik_core_v2, one context, no SWAP, idle = opcode 00"
        case .asic: "ATOMiK ASIC core: atomik_core_asic, SWAP without a value, one operation at a time"
        }
    }

    /// The description as YAML.
    public var text: String {
        switch self {
        case .atomikUnit:
            """
            name: atomik-unit
            rtl:
              file_list: files.f
              include_dirs: [.]
              top: atomik_unit
            parameters: {WIDTH: 64, CONTEXTS: 256, STORAGE: 0, READ_LATENCY: 1}
            width: WIDTH
            contexts: CONTEXTS
            clock: clk_i
            reset: {port: rst_ni, active: low, kind: async, cycles: 1}
            operation:
              valid: op_valid_i
              opcode: op_code_i
              address: op_addr_i
              data: op_data_i
              keep: op_keep_i
              encoding: {load: 0, accum: 1, read: 2, swap: 3, swap-keep: 3}
            acceptance: {mode: ready, ready: op_ready_o}
            result: {valid: result_valid_o, data: result_data_o, beats: [read, swap]}
            timeout: 70000
            """
        case .corev2:
            """
            name: corev2
            rtl:
              files: ["*.v"]
              top: atomik_core_v2
            parameters: {DATA_WIDTH: 64}
            width: DATA_WIDTH
            contexts: 1
            clock: clk
            reset: {port: rst_n, active: low, kind: async, cycles: 1}
            operation:
              idle: 0
              opcode: operation
              data: data_in
              encoding: {load: 1, accum: 2, read: 3}
            acceptance: every-cycle
            result: {latency: 1, data: data_out, beats: [read]}
            """
        case .asic:
            """
            name: asic
            rtl:
              files: ["*.v"]
              top: atomik_core_asic
            parameters: {ADDR_WIDTH: 8, DATA_WIDTH: 64, READ_LATENCY: 1}
            width: DATA_WIDTH
            contexts: 2**ADDR_WIDTH
            clock: clk
            reset: {port: rst_n, active: low, kind: async, cycles: 1}
            operation:
              valid: op_valid
              opcode: op_code
              address: op_addr
              data: op_data
              encoding: {load: 0, accum: 1, read: 2, swap-keep: 3}
            acceptance: one-at-a-time
            result: {valid: result_valid, data: result_data, beats: [load, accum, read, swap]}
            """
        }
    }

    /// The preset with its files in `rtlDirectory`.
    public func load(rtlDirectory: String, parameters: [(name: String, value: String)] = [],
                     defines: [(name: String, value: String?)] = []) throws(ProgramError) -> DUTDescription {
        var parser = DUTDescriptionParser(file: "preset \(rawValue)", base: rtlDirectory)
        parser.parameterOverrides = parameters
        parser.defineOverrides = defines
        var d = try parser.parse(text)
        d.origin = "preset \(rawValue)"
        return d
    }
}
