// The ATOMiK unit: CONTEXTS contexts of WIDTH bits, each a reference and an
// accumulator, a four-opcode decoder (LOAD, ACCUM, READ, SWAP) and registered
// outputs. The cycle-for-cycle twin of the Swift model in Sources/AtomikCycle;
// its register names are the model's.
//
// LANES > 1 (sram, READ_LATENCY 1): each op_* port holds LANES operations,
// lane k in bits [k*N +: N]; atomik_unit_lanes.v gives the issue rule.
//
// op_ready_o: an operation with op_valid_i is accepted at the edge when 1.
// done_o: 1 in the cycle after every accepted operation (Core v2 data_valid).
// result_valid_o / result_data_o: READ and SWAP results; data holds between them.
module atomik_unit #(
    parameter integer WIDTH        = 64,   // context width, 1..512
    parameter integer CONTEXTS     = 256,  // number of contexts, 1..65536
    parameter integer STORAGE      = 0,    // STORAGE_FF (0) or STORAGE_SRAM (1), see atomik_isa.vh
    parameter integer READ_LATENCY = 1,    // sram read latency, 1..2 (must be 1 for ff)
    parameter integer LANES        = 1,    // operations a cycle, 1..16 (above 1: sram, READ_LATENCY 1)
    parameter integer ADDR_BITS    = CONTEXTS > 1 ? $clog2(CONTEXTS) : 1  // derived: do not override
) (
    input  wire                 clk_i,
    input  wire                 rst_ni,      // asynchronous, active low
    input  wire [LANES-1:0]           op_valid_i,
    input  wire [2*LANES-1:0]         op_code_i,
    input  wire [LANES-1:0]           op_keep_i,   // SWAP: new reference = current state
    input  wire [LANES*ADDR_BITS-1:0] op_addr_i,
    input  wire [LANES*WIDTH-1:0]     op_data_i,
    output wire                 op_ready_o,
    output wire                 done_o,
    output wire                 result_valid_o,
    output wire [WIDTH-1:0]     result_data_o
);
`include "atomik_isa.vh"

    // Legal parameter ranges: an illegal one stops elaboration in every tool,
    // naming the rule, by instantiating a module that does not exist (and the
    // unit itself is then not elaborated, so that message is the first).
    localparam PARAMETERS_OK = WIDTH >= 1 && WIDTH <= 512 && CONTEXTS >= 1 && CONTEXTS <= 65536
        && (STORAGE == STORAGE_FF || STORAGE == STORAGE_SRAM)
        && READ_LATENCY >= 1 && READ_LATENCY <= 2 && !(STORAGE == STORAGE_FF && READ_LATENCY != 1)
        && LANES >= 1 && LANES <= 16 && !(LANES > 1 && (STORAGE != STORAGE_SRAM || READ_LATENCY != 1))
        && ADDR_BITS == (CONTEXTS > 1 ? $clog2(CONTEXTS) : 1);
    generate
        if (WIDTH < 1 || WIDTH > 512) begin : g_bad_width
            ERROR_atomik_unit_WIDTH_must_be_1_to_512 u_error ();
        end
        if (CONTEXTS < 1 || CONTEXTS > 65536) begin : g_bad_contexts
            ERROR_atomik_unit_CONTEXTS_must_be_1_to_65536 u_error ();
        end
        if (STORAGE != STORAGE_FF && STORAGE != STORAGE_SRAM) begin : g_bad_storage
            ERROR_atomik_unit_STORAGE_must_be_0_ff_or_1_sram u_error ();
        end
        if (READ_LATENCY < 1 || READ_LATENCY > 2 || (STORAGE == STORAGE_FF && READ_LATENCY != 1)) begin : g_bad_latency
            ERROR_atomik_unit_READ_LATENCY_must_be_1_or_2_and_1_for_ff u_error ();
        end
        if (LANES < 1 || LANES > 16 || (LANES > 1 && (STORAGE != STORAGE_SRAM || READ_LATENCY != 1))) begin : g_bad_lanes
            ERROR_atomik_unit_LANES_must_be_1_to_16_and_1_unless_sram_with_READ_LATENCY_1 u_error ();
        end
        if (ADDR_BITS != (CONTEXTS > 1 ? $clog2(CONTEXTS) : 1)) begin : g_bad_addr_bits
            ERROR_atomik_unit_ADDR_BITS_is_derived_do_not_override u_error ();
        end
    endgenerate

    // The bank writes of each edge: read by the testbench's trace and by the
    // co-simulation shim (public to Verilator), by nothing here. Lane k's
    // accumulator copy at wr_addr lane k; the reference at lane 0's address.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [LANES*ADDR_BITS-1:0] wr_addr   /* verilator public_flat_rd */;
    wire                       wr_ref_en /* verilator public_flat_rd */;
    wire [LANES-1:0]           wr_acc_en /* verilator public_flat_rd */;
    wire [WIDTH-1:0]           wr_ref    /* verilator public_flat_rd */;
    wire [LANES*WIDTH-1:0]     wr_acc    /* verilator public_flat_rd */;
    /* verilator lint_on UNUSEDSIGNAL */

    generate
        // Two plain ifs, not an if-else chain: each tool then names the instance g_ff.u_unit or g_sram.u_unit.
        if (PARAMETERS_OK && STORAGE == STORAGE_SRAM && LANES == 1) begin : g_sram
            atomik_unit_sram #(.WIDTH(WIDTH), .CONTEXTS(CONTEXTS), .ADDR_BITS(ADDR_BITS), .READ_LATENCY(READ_LATENCY)) u_unit (
                .clk_i(clk_i), .rst_ni(rst_ni), .op_valid_i(op_valid_i), .op_code_i(op_code_i), .op_keep_i(op_keep_i),
                .op_addr_i(op_addr_i), .op_data_i(op_data_i), .op_ready_o(op_ready_o), .done_o(done_o),
                .result_valid_o(result_valid_o), .result_data_o(result_data_o),
                .wr_addr_o(wr_addr), .wr_ref_en_o(wr_ref_en), .wr_ref_o(wr_ref), .wr_acc_en_o(wr_acc_en), .wr_acc_o(wr_acc)
            );
        end
        if (PARAMETERS_OK && STORAGE == STORAGE_FF && LANES == 1) begin : g_ff
            atomik_unit_ff #(.WIDTH(WIDTH), .CONTEXTS(CONTEXTS), .ADDR_BITS(ADDR_BITS)) u_unit (
                .clk_i(clk_i), .rst_ni(rst_ni), .op_valid_i(op_valid_i), .op_code_i(op_code_i), .op_keep_i(op_keep_i),
                .op_addr_i(op_addr_i), .op_data_i(op_data_i), .op_ready_o(op_ready_o), .done_o(done_o),
                .result_valid_o(result_valid_o), .result_data_o(result_data_o),
                .wr_addr_o(wr_addr), .wr_ref_en_o(wr_ref_en), .wr_ref_o(wr_ref), .wr_acc_en_o(wr_acc_en), .wr_acc_o(wr_acc)
            );
        end
        if (PARAMETERS_OK && LANES > 1) begin : g_lanes
            atomik_unit_lanes #(.WIDTH(WIDTH), .CONTEXTS(CONTEXTS), .ADDR_BITS(ADDR_BITS), .LANES(LANES)) u_unit (
                .clk_i(clk_i), .rst_ni(rst_ni), .op_valid_i(op_valid_i), .op_code_i(op_code_i), .op_keep_i(op_keep_i),
                .op_addr_i(op_addr_i), .op_data_i(op_data_i), .op_ready_o(op_ready_o), .done_o(done_o),
                .result_valid_o(result_valid_o), .result_data_o(result_data_o),
                .wr_addr_o(wr_addr), .wr_ref_en_o(wr_ref_en), .wr_ref_o(wr_ref), .wr_acc_en_o(wr_acc_en), .wr_acc_o(wr_acc)
            );
        end
    endgenerate
endmodule
