import AtomikRTL
import AtomikSupport
import Foundation

/// A deliberate fault in the RTL: text replacements in one file of rtl/.
public struct Mutant: Sendable {
    public var name: String
    public var file: String
    /// Each `find` must occur exactly once in the file.
    public var replacements: [(find: String, replace: String)]
}

/// The mutation check: every fault must be found by the regression.
public enum MutationCheck {
    public static let mutants: [Mutant] = [
        Mutant(name: "decoder: LOAD leaves the accumulator", file: "atomik_decoder.v", replacements: [
            ("OP_LOAD:  begin ref_we_o = 1'b1; ref_o = data_i; acc_we_o = 1'b1;",
             "OP_LOAD:  begin ref_we_o = 1'b1; ref_o = data_i; acc_we_o = 1'b0;")]),
        Mutant(name: "decoder: ACCUM and READ opcodes swapped", file: "atomik_decoder.v", replacements: [
            ("OP_ACCUM: begin", "OP_READ: begin"), ("OP_READ:  begin result_o", "OP_ACCUM:  begin result_o")]),
        Mutant(name: "decoder: ACCUM ORs instead of XORs", file: "atomik_decoder.v", replacements: [
            ("acc_o = acc_i ^ data_i;", "acc_o = acc_i | data_i;")]),
        Mutant(name: "decoder: SWAP ignores keep", file: "atomik_decoder.v", replacements: [
            ("ref_o = keep_i ? state_o : data_i;", "ref_o = data_i;")]),
        Mutant(name: "decoder: SWAP leaves the accumulator", file: "atomik_decoder.v", replacements: [
            ("                    acc_we_o = 1'b1; acc_o = {WIDTH{1'b0}};", "                    acc_we_o = 1'b0; acc_o = {WIDTH{1'b0}};")]),
        Mutant(name: "decoder: state is the reference only", file: "atomik_decoder.v", replacements: [
            ("assign state_o = ref_i ^ acc_i;", "assign state_o = ref_i;")]),
        Mutant(name: "sram: no forward from the last write", file: "atomik_unit_sram.v", replacements: [
            ("wire fw1_hit = fw1_valid_q && fw1_addr_q == ex_addr_q;", "wire fw1_hit = 1'b0;")]),
        Mutant(name: "sram: no forward from the write before", file: "atomik_unit_sram.v", replacements: [
            ("wire fw2_hit = READ_LATENCY == 2 && fw2_valid_q && fw2_addr_q == ex_addr_q;", "wire fw2_hit = 1'b0;")]),
        Mutant(name: "sram: older forward wins", file: "atomik_unit_sram.v", replacements: [
            ("ex_ref = fw1_hit ? fw1_ref_q : fw2_hit ? fw2_ref_q : ref_rdata;",
             "ex_ref = fw2_hit ? fw2_ref_q : fw1_hit ? fw1_ref_q : ref_rdata;"),
            ("ex_acc = fw1_hit ? fw1_acc_q : fw2_hit ? fw2_acc_q : acc_rdata;",
             "ex_acc = fw2_hit ? fw2_acc_q : fw1_hit ? fw1_acc_q : acc_rdata;")]),
        Mutant(name: "sram: clear sweep stops one context early", file: "atomik_unit_sram.v", replacements: [
            ("clr_busy_q <= clr_addr_q != LAST_ADDR;", "clr_busy_q <= clr_addr_q + 1'b1 != LAST_ADDR;")]),
        Mutant(name: "sram: ready during the clear sweep", file: "atomik_unit_sram.v", replacements: [
            ("assign op_ready_o     = rst_ni && !clr_busy_q;", "assign op_ready_o     = rst_ni;")]),
        Mutant(name: "ff: off-by-one context address on write", file: "atomik_unit_ff.v", replacements: [
            ("end else if (op_addr_i == ADDR) begin", "end else if (op_addr_i + 1'b1 == ADDR) begin")]),
        Mutant(name: "ff: result valid stuck at 1", file: "atomik_unit_ff.v", replacements: [
            ("result_valid_q <= dec_result;", "result_valid_q <= 1'b1;")]),
        Mutant(name: "ff: reset does not clear the reference bank", file: "atomik_unit_ff.v", replacements: [
            ("                    ref_q <= {WIDTH{1'b0}};", "                    ref_q <= ref_q;")]),
        Mutant(name: "ff: done stays 1 after an idle cycle", file: "atomik_unit_ff.v", replacements: [
            ("done_q         <= op_valid_i;", "done_q         <= 1'b1;")]),
        Mutant(name: "ff: result register does not hold", file: "atomik_unit_ff.v", replacements: [
            ("if (dec_result) result_data_q <= dec_state;", "result_data_q <= dec_state;")]),
        // Faults only multi-lane issue reveals: atomik_unit_lanes.v is the unit only at LANES > 1.
        Mutant(name: "lanes: the merge leaves out the last copy", file: "atomik_unit_lanes.v", replacements: [
            ("for (j = 0; j < LANES; j = j + 1) acc_xor", "for (j = 0; j < LANES - 1; j = j + 1) acc_xor")]),
        Mutant(name: "lanes: no copy forwards its last write", file: "atomik_unit_lanes.v", replacements: [
            ("assign acc_now[k*WIDTH +: WIDTH] = fw_hit_q[k] ?", "assign acc_now[k*WIDTH +: WIDTH] = 1'b0 ?")]),
        Mutant(name: "lanes: every copy forwards lane 0's write", file: "atomik_unit_lanes.v", replacements: [
            ("fw_acc_q[k*WIDTH +: WIDTH] <= wr_acc_o[k*WIDTH +: WIDTH];", "fw_acc_q[k*WIDTH +: WIDTH] <= wr_acc_o[WIDTH-1:0];")]),
        Mutant(name: "lanes: LOAD and SWAP clear copy 0 only", file: "atomik_unit_lanes.v", replacements: [
            ("(clr_busy_q || ex_acc_q[k] || dec_acc_we)", "(clr_busy_q || ex_acc_q[k] || (k == 0 && dec_acc_we))")]),
        Mutant(name: "lanes: LOAD, READ and SWAP read each copy at its own lane's address", file: "atomik_unit_lanes.v",
               replacements: [("wire [ADDR_BITS-1:0] raddr = in_x ? in_addr0 :", "wire [ADDR_BITS-1:0] raddr =")]),
    ]

    /// Writes a copy of `rtl` with the mutant applied into a new temporary directory.
    public static func apply(_ m: Mutant, rtl: URL) throws -> URL {
        let dir = Scratch.path("mutant")
        try FileManager.default.copyItem(at: rtl, to: dir)
        let file = dir.appendingPathComponent(m.file)
        var text = try String(contentsOf: file, encoding: .utf8)
        for (find, replace) in m.replacements {
            let count = text.components(separatedBy: find).count - 1
            guard count == 1 else {
                try? FileManager.default.removeItem(at: dir)
                throw RTLError("mutant '\(m.name)': '\(find)' occurs \(count) times in \(m.file), expected once")
            }
            text = text.replacingOccurrences(of: find, with: replace)
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        return dir
    }

    /// One mutant's fate.
    public struct Result: Sendable {
        public var mutant: String
        public var killed: Bool
        /// The first regression entry that found it.
        public var killedBy: String?
        /// How long its regression ran.
        public var seconds = 0.0
    }

    /// Runs `entries` against each of `mutants`, `jobs` mutants at once; a mutant is
    /// killed when any entry diverges. The results and `progress` come in the mutants' order.
    public static func run(_ entries: [RegressionEntry], mutants: [Mutant] = mutants, jobs: Int = 1,
                           progress: (Result) -> Void = { _ in }) throws -> [Result] {
        let rtl = try RTLSimulator.repositoryRoot().appendingPathComponent("rtl")
        var results: [Result] = []
        try Parallel.forEach(mutants.count, jobs: jobs, { k in
            let m = mutants[k]
            let dir = try apply(m, rtl: rtl)
            defer { try? FileManager.default.removeItem(at: dir) }
            var result = Result(mutant: m.name, killed: false)
            let start = ContinuousClock.now
            for e in entries {
                let found: [RegressionResult]
                do {
                    found = try Regression.run([e], rtl: dir.path)
                } catch let stop as Interrupted {
                    throw stop
                } catch {
                    result.killed = true; result.killedBy = "\(e.name): \(error)"; break
                }
                if let f = found.first(where: { !$0.passed }) {
                    // A mutant that no longer builds or finishes is found too.
                    result.killed = true
                    result.killedBy = "\(f.entry.name) on \(f.outcome.simulator.rawValue)" + (f.error.map { ": \($0)" } ?? "")
                    break
                }
            }
            result.seconds = (ContinuousClock.now - start).seconds
            return result
        }, done: { _, result in
            results.append(result)
            progress(result)
        })
        return results
    }
}
