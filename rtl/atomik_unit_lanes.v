// LANES > 1 (STORAGE = sram, READ_LATENCY = 1): up to LANES operations a
// cycle. Each lane has its own copy of the accumulators in a synchronous-read
// memory (atomik_sram_bank); a context's accumulator is the XOR of its word in
// every copy, and its state is the reference XOR that. This is the published
// design's per-bank accumulators, XOR-merged on READ, over a table of contexts.
//
// Issue rule (the driver packs a program into cycles in program order):
//   - a cycle carries ACCUMs in any lanes, on any contexts (two lanes may name
//     the same one: each writes its own copy), or
//   - one LOAD, READ or SWAP in lane 0 with every other lane idle: it reads
//     every copy at its address and writes them all (LOAD and SWAP clear them).
//   A non-ACCUM in lane k > 0, or beside lane 0's LOAD/READ/SWAP, is outside
//   the rule and is ignored (not executed, not counted by done_o).
// Stalls: none but the clear sweep after reset (op_ready_o low for CONTEXTS cycles).
//
// Pipeline (as atomik_unit_sram with READ_LATENCY 1): the accepting edge
// presents each copy's read address; the next edge (execute, ex_*) computes,
// writes the copies and the reference and loads result_data_q. Each copy's
// write of the last edge is forwarded (fw_acc_q) when the execute stage reads
// the same word; whether it does is compared a cycle early (fw_hit_q), when
// both addresses are known, so no comparator sits before the XOR of the copies.
module atomik_unit_lanes #(
    parameter integer WIDTH     = 64,   // 1..512
    parameter integer CONTEXTS  = 256,  // 1..65536
    parameter integer ADDR_BITS = 8,    // ceil(log2(CONTEXTS)), at least 1
    parameter integer LANES     = 2     // 2..16
) (
    input  wire                       clk_i,
    input  wire                       rst_ni,
    input  wire [LANES-1:0]           op_valid_i,
    input  wire [2*LANES-1:0]         op_code_i,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [LANES-1:0]           op_keep_i,    // lane 0's only: SWAP goes in lane 0
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [LANES*ADDR_BITS-1:0] op_addr_i,
    input  wire [LANES*WIDTH-1:0]     op_data_i,
    output wire                       op_ready_o,
    output wire                       done_o,
    output wire                       result_valid_o,
    output wire [WIDTH-1:0]           result_data_o,
    // Memory writes, observed by the testbench and the co-simulation shim:
    // copy k at wr_addr_o lane k, the reference at lane 0's address.
    output wire [LANES*ADDR_BITS-1:0] wr_addr_o,
    output wire                       wr_ref_en_o,
    output wire [WIDTH-1:0]           wr_ref_o,
    output wire [LANES-1:0]           wr_acc_en_o,
    output wire [LANES*WIDTH-1:0]     wr_acc_o
);
`include "atomik_isa.vh"
    localparam integer LAST = CONTEXTS - 1;
    localparam [ADDR_BITS-1:0] LAST_ADDR = LAST[ADDR_BITS-1:0];

    // Execute stage: which lanes hold an ACCUM, or lane 0's LOAD/READ/SWAP.
    reg [LANES-1:0]           ex_acc_q;
    reg                       ex_x_q;
    reg [1:0]                 ex_code_q;
    reg                       ex_keep_q;
    reg [LANES*ADDR_BITS-1:0] ex_addr_q;
    reg [LANES*WIDTH-1:0]     ex_data_q;
    // Forwarding: each memory's write of the last edge, and whether the execute stage reads it.
    reg [LANES-1:0]           fw_hit_q;
    reg [LANES*WIDTH-1:0]     fw_acc_q;
    reg                       fw_ref_hit_q;
    reg [WIDTH-1:0]           fw_ref_q;
    // Clear sweep after reset.
    reg                       clr_busy_q;
    reg [ADDR_BITS-1:0]       clr_addr_q;
    // Outputs.
    reg                       done_q;
    reg                       result_valid_q;
    reg [WIDTH-1:0]           result_data_q;

    // The operations offered: lane 0's LOAD/READ/SWAP alone, else the ACCUM lanes.
    wire             in_x = op_valid_i[0] && op_code_i[1:0] != OP_ACCUM;
    wire [LANES-1:0] in_acc;
    wire             accepted = (in_x || in_acc != {LANES{1'b0}}) && !clr_busy_q;
    wire [ADDR_BITS-1:0] in_addr0 = op_addr_i[ADDR_BITS-1:0];
    wire [ADDR_BITS-1:0] ex_addr0 = ex_addr_q[ADDR_BITS-1:0];

    // Reference memory: read at lane 0's address.
    wire [WIDTH-1:0] ref_rdata;
    atomik_sram_bank #(.WIDTH(WIDTH), .DEPTH(CONTEXTS), .ADDR_BITS(ADDR_BITS), .READ_LATENCY(1)) u_ref_mem (
        .clk_i(clk_i), .raddr_i(in_addr0), .rdata_o(ref_rdata),
        .we_i(wr_ref_en_o), .waddr_i(wr_addr_o[ADDR_BITS-1:0]), .wdata_i(wr_ref_o)
    );

    // The copies as the execute stage sees them, and their XOR: the accumulator.
    wire [LANES*WIDTH-1:0] acc_rdata, acc_now;
    reg  [WIDTH-1:0]       acc_xor;
    integer j;
    always @* begin
        acc_xor = {WIDTH{1'b0}};
        for (j = 0; j < LANES; j = j + 1) acc_xor = acc_xor ^ acc_now[j*WIDTH +: WIDTH];
    end
    wire [WIDTH-1:0] ex_ref = fw_ref_hit_q ? fw_ref_q : ref_rdata;

    // LOAD, READ and SWAP on the merged context.
    wire             dec_ref_we, dec_acc_we, dec_result;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [WIDTH-1:0] dec_acc;   // zero for LOAD and SWAP, which clear every copy
    /* verilator lint_on UNUSEDSIGNAL */
    wire [WIDTH-1:0] dec_ref, dec_state;
    atomik_decoder #(.WIDTH(WIDTH), .ADDR_BITS(ADDR_BITS)) u_decoder (
        .valid_i(ex_x_q), .code_i(ex_code_q), .keep_i(ex_keep_q), .data_i(ex_data_q[WIDTH-1:0]),
        .ref_i(ex_ref), .acc_i(acc_xor),
        .ref_we_o(dec_ref_we), .ref_o(dec_ref), .acc_we_o(dec_acc_we), .acc_o(dec_acc),
        .result_o(dec_result), .state_o(dec_state)
    );

    genvar k;
    generate
        for (k = 0; k < LANES; k = k + 1) begin : g_lane
            wire [1:0] code = op_code_i[2*k +: 2];
            if (k == 0) begin : g_first
                assign in_acc[k] = op_valid_i[k] && code == OP_ACCUM;
            end else begin : g_other
                assign in_acc[k] = op_valid_i[k] && code == OP_ACCUM && !in_x;
            end
            // This copy's read address for the operation offered, and its write at this edge.
            wire [ADDR_BITS-1:0] raddr = in_x ? in_addr0 : op_addr_i[k*ADDR_BITS +: ADDR_BITS];
            wire [ADDR_BITS-1:0] ex_addr = ex_x_q ? ex_addr0 : ex_addr_q[k*ADDR_BITS +: ADDR_BITS];
            assign acc_now[k*WIDTH +: WIDTH] = fw_hit_q[k] ? fw_acc_q[k*WIDTH +: WIDTH] : acc_rdata[k*WIDTH +: WIDTH];
            // An ACCUM writes its own copy; LOAD and SWAP clear every copy; the sweep clears them.
            assign wr_addr_o[k*ADDR_BITS +: ADDR_BITS] = clr_busy_q ? clr_addr_q : ex_addr;
            assign wr_acc_en_o[k] = rst_ni && (clr_busy_q || ex_acc_q[k] || dec_acc_we);
            assign wr_acc_o[k*WIDTH +: WIDTH] = clr_busy_q || ex_x_q ? {WIDTH{1'b0}}
                : acc_now[k*WIDTH +: WIDTH] ^ ex_data_q[k*WIDTH +: WIDTH];
            atomik_sram_bank #(.WIDTH(WIDTH), .DEPTH(CONTEXTS), .ADDR_BITS(ADDR_BITS), .READ_LATENCY(1)) u_acc_mem (
                .clk_i(clk_i), .raddr_i(raddr), .rdata_o(acc_rdata[k*WIDTH +: WIDTH]),
                .we_i(wr_acc_en_o[k]), .waddr_i(wr_addr_o[k*ADDR_BITS +: ADDR_BITS]), .wdata_i(wr_acc_o[k*WIDTH +: WIDTH])
            );
            always @(posedge clk_i or negedge rst_ni) begin
                if (!rst_ni) begin
                    fw_hit_q[k] <= 1'b0;
                    fw_acc_q[k*WIDTH +: WIDTH] <= {WIDTH{1'b0}};
                end else begin
                    fw_hit_q[k] <= wr_acc_en_o[k] && wr_addr_o[k*ADDR_BITS +: ADDR_BITS] == raddr;
                    fw_acc_q[k*WIDTH +: WIDTH] <= wr_acc_o[k*WIDTH +: WIDTH];
                end
            end
        end
    endgenerate

    assign wr_ref_en_o = rst_ni && (clr_busy_q || dec_ref_we);
    assign wr_ref_o    = clr_busy_q ? {WIDTH{1'b0}} : dec_ref;

    always @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            ex_acc_q <= {LANES{1'b0}}; ex_x_q <= 1'b0; ex_code_q <= 2'b0; ex_keep_q <= 1'b0;
            ex_addr_q <= {LANES*ADDR_BITS{1'b0}}; ex_data_q <= {LANES*WIDTH{1'b0}};
            fw_ref_hit_q <= 1'b0; fw_ref_q <= {WIDTH{1'b0}};
            clr_busy_q <= 1'b1; clr_addr_q <= {ADDR_BITS{1'b0}};
            done_q <= 1'b0; result_valid_q <= 1'b0; result_data_q <= {WIDTH{1'b0}};
        end else begin
            ex_acc_q <= clr_busy_q ? {LANES{1'b0}} : in_acc;
            ex_x_q <= in_x && !clr_busy_q;
            ex_code_q <= op_code_i[1:0]; ex_keep_q <= op_keep_i[0];
            ex_addr_q <= op_addr_i; ex_data_q <= op_data_i;
            fw_ref_hit_q <= wr_ref_en_o && wr_addr_o[ADDR_BITS-1:0] == in_addr0;
            fw_ref_q <= wr_ref_o;
            if (clr_busy_q) begin
                clr_busy_q <= clr_addr_q != LAST_ADDR;
                clr_addr_q <= clr_addr_q != LAST_ADDR ? clr_addr_q + 1'b1 : {ADDR_BITS{1'b0}};
            end
            done_q         <= accepted;
            result_valid_q <= dec_result;
            if (dec_result) result_data_q <= dec_state;
        end
    end

    assign op_ready_o     = rst_ni && !clr_busy_q;
    assign done_o         = done_q;
    assign result_valid_o = result_valid_q;
    assign result_data_o  = result_data_q;
endmodule
