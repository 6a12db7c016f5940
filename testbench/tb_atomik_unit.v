`timescale 1ns/1ns
// The testbench of atomik_unit, for Icarus Verilog and Verilator alike:
// delay-free and cycle-based (under Icarus only the clock below has a delay;
// under Verilator testbench/tb_main.cpp toggles clk).
//
// Plusargs:
//   +vectors=FILE   stimulus, $readmemh: one line per cycle, {rst_n, op_valid,
//                   instruction word} with the word's fields as in atomik_isa.vh;
//                   with LANES > 1, each lane k > 0's {op_valid, word} above,
//                   lane 1 lowest (Sources/AtomikCycle/VectorWriter.swift)
//   +cycles=N       number of cycles (lines) to run, at most DEPTH
//   +trace=FILE     per-cycle trace, in the format of the Swift cycle model
//   +expected=FILE  optional expected outputs, $readmemh: one line per cycle,
//                   {op_ready, done, result_valid, result_data}; checked here
//   +vcd=FILE       optional waveform (Icarus; Verilator is built without tracing),
//   +vcd_from=N     from cycle N on (default 0), +vcd_to=M up to cycle M
//   +vcd_words=N    memory words dumped per sram bank (default 64), as \mem[k]
// The run counts only if it prints the line
//   ATOMIK-TB FINISHED cycles=N checked=K mismatches=M
module tb_atomik_unit #(
    parameter integer WIDTH        = 64,     // as atomik_unit
    parameter integer CONTEXTS     = 256,    // as atomik_unit
    parameter integer STORAGE      = 0,      // as atomik_unit
    parameter integer READ_LATENCY = 1,      // as atomik_unit
    parameter integer LANES        = 1,      // as atomik_unit
    parameter integer DEPTH        = 65536   // capacity of the vector memories, in cycles
) (
`ifdef VERILATOR
    input wire clk
`endif
);
`ifndef VERILATOR
    // Rising edges at 10, 20, 30 ns: the edge that ends cycle n at 10(n+1), as
    // the cycle model's waveform draws it, so the two line up in a viewer.
    reg clk = 1'b0;
    initial begin
        #10 clk = 1'b1;
        forever #5 clk = ~clk;
    end
`endif

    localparam integer ADDR_BITS = CONTEXTS > 1 ? $clog2(CONTEXTS) : 1;
`include "atomik_isa.vh"
    localparam integer STIM_BITS = INSTR_BITS + 2 + (LANES - 1) * (INSTR_BITS + 1);
    localparam integer EXP_BITS  = WIDTH + 3;

    reg [STIM_BITS-1:0] stim [0:DEPTH-1];
    reg [EXP_BITS-1:0]  expected [0:DEPTH-1];
    reg [8*1024-1:0]    vectors_file, expected_file, trace_file, vcd_file;
    integer cycles, cycle, trace_fd, mismatches, checking, vcd_from, vcd_to, j;

    wire [STIM_BITS-1:0] s        = stim[cycle];
    wire                 rst_ni   = s[INSTR_BITS + 1];
    wire                 op_valid = s[INSTR_BITS];
    wire [1:0]           op_code  = s[FIELD_OPCODE_LSB +: OPCODE_BITS];
    wire                 op_keep  = s[FIELD_KEEP_LSB];
    wire [ADDR_BITS-1:0] op_addr  = s[FIELD_ADDR_LSB +: ADDR_BITS];
    wire [WIDTH-1:0]     op_data  = s[FIELD_DATA_LSB +: WIDTH];
    wire                 op_ready, done, result_valid;
    wire [WIDTH-1:0]     result_data;
    // Every lane's fields, lane 0 lowest, as atomik_unit's ports take them.
    wire [LANES-1:0]           lane_valid;
    wire [2*LANES-1:0]         lane_code;
    wire [LANES-1:0]           lane_keep;
    wire [LANES*ADDR_BITS-1:0] lane_addr;
    wire [LANES*WIDTH-1:0]     lane_data;
    genvar k;
    generate
        for (k = 0; k < LANES; k = k + 1) begin : g_lane
            // Lane 0's word at bit 0 and its op_valid above it (rst_n above that); lane k > 0's above rst_n.
            localparam integer BASE = k == 0 ? 0 : INSTR_BITS + 2 + (k - 1) * (INSTR_BITS + 1);
            assign lane_valid[k] = s[BASE + INSTR_BITS];
            assign lane_code[2*k +: 2] = s[BASE + FIELD_OPCODE_LSB +: OPCODE_BITS];
            assign lane_keep[k] = s[BASE + FIELD_KEEP_LSB];
            assign lane_addr[k*ADDR_BITS +: ADDR_BITS] = s[BASE + FIELD_ADDR_LSB +: ADDR_BITS];
            assign lane_data[k*WIDTH +: WIDTH] = s[BASE + FIELD_DATA_LSB +: WIDTH];
        end
    endgenerate

    atomik_unit #(.WIDTH(WIDTH), .CONTEXTS(CONTEXTS), .STORAGE(STORAGE), .READ_LATENCY(READ_LATENCY), .LANES(LANES)) dut (
        .clk_i(clk), .rst_ni(rst_ni), .op_valid_i(lane_valid), .op_code_i(lane_code), .op_keep_i(lane_keep),
        .op_addr_i(lane_addr), .op_data_i(lane_data), .op_ready_o(op_ready), .done_o(done),
        .result_valid_o(result_valid), .result_data_o(result_data)
    );

    initial begin
        cycle = 0;
        mismatches = 0;
        if (!$value$plusargs("vectors=%s", vectors_file) || !$value$plusargs("cycles=%d", cycles)
            || !$value$plusargs("trace=%s", trace_file)) begin
            $display("ATOMIK-TB ERROR: usage: +vectors=FILE +cycles=N +trace=FILE [+expected=FILE]");
            $finish;
        end
        if (cycles < 1 || cycles > DEPTH) begin
            $display("ATOMIK-TB ERROR: +cycles=%0d outside 1..DEPTH (%0d)", cycles, DEPTH);
            $finish;
        end
        $readmemh(vectors_file, stim, 0, cycles - 1);
        checking = $value$plusargs("expected=%s", expected_file);
        if (checking != 0) $readmemh(expected_file, expected, 0, cycles - 1);
        trace_fd = $fopen(trace_file, "w");
        if (trace_fd == 0) begin
            $display("ATOMIK-TB ERROR: cannot write %0s", trace_file);
            $finish;
        end
        if (LANES > 1)
            $fwrite(trace_fd, "# atomik-trace 1 WIDTH=%0d CONTEXTS=%0d STORAGE=sram READ_LATENCY=%0d LANES=%0d\n",
                    WIDTH, CONTEXTS, READ_LATENCY, LANES);
        else if (STORAGE == STORAGE_SRAM)
            $fwrite(trace_fd, "# atomik-trace 1 WIDTH=%0d CONTEXTS=%0d STORAGE=sram READ_LATENCY=%0d\n",
                    WIDTH, CONTEXTS, READ_LATENCY);
        else
            $fwrite(trace_fd, "# atomik-trace 1 WIDTH=%0d CONTEXTS=%0d STORAGE=ff\n", WIDTH, CONTEXTS);
        $fwrite(trace_fd, "# cycle rst_n op_valid op_code op_keep op_addr op_data op_ready done result_valid result_data");
        if (LANES > 1) $fwrite(trace_fd, " lane1..lane%0d", LANES - 1);
        $fwrite(trace_fd, " writes\n");
`ifndef VERILATOR
        vcd_from = -1;
        if ($value$plusargs("vcd=%s", vcd_file)) begin
            if (!$value$plusargs("vcd_from=%d", vcd_from)) vcd_from = 0;
            if (!$value$plusargs("vcd_to=%d", vcd_to)) vcd_to = -1;
            $dumpfile(vcd_file);
            $dumpvars(0, dut);   // the unit only: not the testbench's file-name registers
            if (vcd_from > 0) $dumpoff;
        end
`endif
    end

`ifndef VERILATOR
    // Icarus dumps memory words only when named one by one (as \mem[k]); at #0,
    // after the block above has opened the dump, before time moves.
    genvar copy;
    generate
        if (STORAGE == STORAGE_SRAM && LANES == 1) begin : g_dump_memories
            integer k, words;
            initial begin
                #0;
                if (vcd_from >= 0) begin
                    if (!$value$plusargs("vcd_words=%d", words)) words = 64;
                    for (k = 0; k < CONTEXTS && k < words; k = k + 1) begin
                        $dumpvars(0, dut.g_sram.u_unit.u_ref_mem.mem[k]);
                        $dumpvars(0, dut.g_sram.u_unit.u_acc_mem.mem[k]);
                    end
                end
            end
        end
        if (STORAGE == STORAGE_SRAM && LANES > 1) begin : g_dump_lane_memories
            integer r, ref_words;
            initial begin
                #0;
                if (vcd_from >= 0) begin
                    if (!$value$plusargs("vcd_words=%d", ref_words)) ref_words = 64;
                    for (r = 0; r < CONTEXTS && r < ref_words; r = r + 1) $dumpvars(0, dut.g_lanes.u_unit.u_ref_mem.mem[r]);
                end
            end
            for (copy = 0; copy < LANES; copy = copy + 1) begin : g_copy
                integer c, copy_words;
                initial begin
                    #0;
                    if (vcd_from >= 0) begin
                        if (!$value$plusargs("vcd_words=%d", copy_words)) copy_words = 64;
                        for (c = 0; c < CONTEXTS && c < copy_words; c = c + 1) $dumpvars(0, dut.g_lanes.u_unit.g_lane[copy].u_acc_mem.mem[c]);
                    end
                end
            end
        end
    endgenerate
`endif

    // Line n: the inputs and outputs during cycle n and the bank writes of the
    // edge that ends it, read before that edge's non-blocking updates.
    always @(posedge clk) begin
`ifndef VERILATOR
        if (vcd_from > 0 && cycle == vcd_from - 1) $dumpon;
        if (vcd_from >= 0 && cycle == vcd_to) $dumpoff;
`endif
        if (cycle < cycles) begin
            $fwrite(trace_fd, "%0d %h %h %h %h %h %h %h %h %h %h", cycle, rst_ni, op_valid, op_code, op_keep,
                    op_addr, op_data, op_ready, done, result_valid, result_data);
            for (j = 1; j < LANES; j = j + 1)
                $fwrite(trace_fd, " lane%0d=%h:%h:%h:%h:%h", j, lane_valid[j], lane_code[2*j +: 2], lane_keep[j],
                        lane_addr[j*ADDR_BITS +: ADDR_BITS], lane_data[j*WIDTH +: WIDTH]);
            if (!dut.wr_ref_en && dut.wr_acc_en == {LANES{1'b0}}) $fwrite(trace_fd, " -");
            if (dut.wr_ref_en) $fwrite(trace_fd, " ref[%h]=%h", dut.wr_addr[ADDR_BITS-1:0], dut.wr_ref);
            if (dut.wr_acc_en[0]) $fwrite(trace_fd, " acc[%h]=%h", dut.wr_addr[ADDR_BITS-1:0], dut.wr_acc[WIDTH-1:0]);
            for (j = 1; j < LANES; j = j + 1)
                if (dut.wr_acc_en[j])
                    $fwrite(trace_fd, " acc%0d[%h]=%h", j, dut.wr_addr[j*ADDR_BITS +: ADDR_BITS], dut.wr_acc[j*WIDTH +: WIDTH]);
            $fwrite(trace_fd, "\n");
            if (checking != 0 && {op_ready, done, result_valid, result_data} !== expected[cycle]) begin
                mismatches = mismatches + 1;
                if (mismatches <= 10)
                    $display("ATOMIK-TB MISMATCH cycle %0d: expected ready,done,valid,data %h got %h", cycle,
                             expected[cycle], {op_ready, done, result_valid, result_data});
            end
        end
        if (cycle == cycles - 1) begin
            $fclose(trace_fd);
            $display("ATOMIK-TB FINISHED cycles=%0d checked=%0d mismatches=%0d", cycles,
                     checking != 0 ? cycles : 0, mismatches);
            $finish;
        end
        cycle <= cycle + 1;
    end
endmodule
