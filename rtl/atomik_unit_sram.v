// STORAGE = sram: both banks in synchronous-read memories (atomik_sram_bank).
// Every operation is a read-modify-write through one pipeline: the accepting
// edge presents its address to both memories; READ_LATENCY edges later the
// execute stage (ex_*) has the data, computes the new reference, accumulator
// and result, writes the banks and loads result_data_q.
//
// Hazards: the last READ_LATENCY writes stay in forwarding registers (fw1_*:
// written at the last edge, fw2_*: the one before) and override the memory
// data on an address match, newest first: no stall on back-to-back operations.
// Reset: the memories are not reset; after rst_ni rises a sweep (clr_*) writes
// zero to every context, one per cycle, with op_ready_o low.
module atomik_unit_sram #(
    parameter integer WIDTH        = 64,   // 1..512
    parameter integer CONTEXTS     = 256,  // 1..65536
    parameter integer ADDR_BITS    = 8,    // ceil(log2(CONTEXTS)), at least 1
    parameter integer READ_LATENCY = 1     // 1..2
) (
    input  wire                 clk_i,
    input  wire                 rst_ni,
    input  wire                 op_valid_i,
    input  wire [1:0]           op_code_i,
    input  wire                 op_keep_i,
    input  wire [ADDR_BITS-1:0] op_addr_i,
    input  wire [WIDTH-1:0]     op_data_i,
    output wire                 op_ready_o,
    output wire                 done_o,
    output wire                 result_valid_o,
    output wire [WIDTH-1:0]     result_data_o,
    // Bank write port, observed by the testbench's trace.
    output wire [ADDR_BITS-1:0] wr_addr_o,
    output wire                 wr_ref_en_o,
    output wire [WIDTH-1:0]     wr_ref_o,
    output wire                 wr_acc_en_o,
    output wire [WIDTH-1:0]     wr_acc_o
);
    localparam integer LAST = CONTEXTS - 1;
    localparam [ADDR_BITS-1:0] LAST_ADDR = LAST[ADDR_BITS-1:0];

    // Pipeline stages: rd_* waits for the memory's output register (latency 2).
    reg                 rd_valid_q, ex_valid_q;
    reg [1:0]           rd_code_q,  ex_code_q;
    reg                 rd_keep_q,  ex_keep_q;
    reg [ADDR_BITS-1:0] rd_addr_q,  ex_addr_q;
    reg [WIDTH-1:0]     rd_data_q,  ex_data_q;
    // Forwarding registers: the last two writes.
    reg                 fw1_valid_q, fw2_valid_q;
    reg [ADDR_BITS-1:0] fw1_addr_q,  fw2_addr_q;
    reg [WIDTH-1:0]     fw1_ref_q,   fw2_ref_q;
    reg [WIDTH-1:0]     fw1_acc_q,   fw2_acc_q;
    // Clear sweep after reset.
    reg                 clr_busy_q;
    reg [ADDR_BITS-1:0] clr_addr_q;
    // Outputs.
    reg                 done_q;
    reg                 result_valid_q;
    reg [WIDTH-1:0]     result_data_q;

    wire accepted = op_valid_i && !clr_busy_q;

    // Memories: read at the op port's address, written by the execute stage or the sweep.
    wire [WIDTH-1:0] ref_rdata, acc_rdata;
    atomik_sram_bank #(.WIDTH(WIDTH), .DEPTH(CONTEXTS), .ADDR_BITS(ADDR_BITS), .READ_LATENCY(READ_LATENCY)) u_ref_mem (
        .clk_i(clk_i), .raddr_i(op_addr_i), .rdata_o(ref_rdata),
        .we_i(wr_ref_en_o), .waddr_i(wr_addr_o), .wdata_i(wr_ref_o)
    );
    atomik_sram_bank #(.WIDTH(WIDTH), .DEPTH(CONTEXTS), .ADDR_BITS(ADDR_BITS), .READ_LATENCY(READ_LATENCY)) u_acc_mem (
        .clk_i(clk_i), .raddr_i(op_addr_i), .rdata_o(acc_rdata),
        .we_i(wr_acc_en_o), .waddr_i(wr_addr_o), .wdata_i(wr_acc_o)
    );

    // Execute stage: memory data, overridden by the newest matching write.
    wire fw1_hit = fw1_valid_q && fw1_addr_q == ex_addr_q;
    wire fw2_hit = READ_LATENCY == 2 && fw2_valid_q && fw2_addr_q == ex_addr_q;
    wire [WIDTH-1:0] ex_ref = fw1_hit ? fw1_ref_q : fw2_hit ? fw2_ref_q : ref_rdata;
    wire [WIDTH-1:0] ex_acc = fw1_hit ? fw1_acc_q : fw2_hit ? fw2_acc_q : acc_rdata;

    wire             dec_ref_we, dec_acc_we, dec_result;
    wire [WIDTH-1:0] dec_ref, dec_acc, dec_state;
    atomik_decoder #(.WIDTH(WIDTH), .ADDR_BITS(ADDR_BITS)) u_decoder (
        .valid_i(ex_valid_q), .code_i(ex_code_q), .keep_i(ex_keep_q), .data_i(ex_data_q),
        .ref_i(ex_ref), .acc_i(ex_acc),
        .ref_we_o(dec_ref_we), .ref_o(dec_ref), .acc_we_o(dec_acc_we), .acc_o(dec_acc),
        .result_o(dec_result), .state_o(dec_state)
    );

    // Write port: the sweep has it while it runs; nothing is written in reset.
    assign wr_addr_o   = clr_busy_q ? clr_addr_q : ex_addr_q;
    assign wr_ref_en_o = rst_ni && (clr_busy_q || dec_ref_we);
    assign wr_acc_en_o = rst_ni && (clr_busy_q || dec_acc_we);
    assign wr_ref_o    = clr_busy_q ? {WIDTH{1'b0}} : dec_ref;
    assign wr_acc_o    = clr_busy_q ? {WIDTH{1'b0}} : dec_acc;

    always @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            rd_valid_q <= 1'b0; rd_code_q <= 2'b0; rd_keep_q <= 1'b0;
            rd_addr_q <= {ADDR_BITS{1'b0}}; rd_data_q <= {WIDTH{1'b0}};
            ex_valid_q <= 1'b0; ex_code_q <= 2'b0; ex_keep_q <= 1'b0;
            ex_addr_q <= {ADDR_BITS{1'b0}}; ex_data_q <= {WIDTH{1'b0}};
            fw1_valid_q <= 1'b0; fw1_addr_q <= {ADDR_BITS{1'b0}}; fw1_ref_q <= {WIDTH{1'b0}}; fw1_acc_q <= {WIDTH{1'b0}};
            fw2_valid_q <= 1'b0; fw2_addr_q <= {ADDR_BITS{1'b0}}; fw2_ref_q <= {WIDTH{1'b0}}; fw2_acc_q <= {WIDTH{1'b0}};
            clr_busy_q <= 1'b1; clr_addr_q <= {ADDR_BITS{1'b0}};
            done_q <= 1'b0; result_valid_q <= 1'b0; result_data_q <= {WIDTH{1'b0}};
        end else begin
            if (READ_LATENCY == 2) begin
                rd_valid_q <= accepted; rd_code_q <= op_code_i; rd_keep_q <= op_keep_i;
                rd_addr_q <= op_addr_i; rd_data_q <= op_data_i;
                ex_valid_q <= rd_valid_q; ex_code_q <= rd_code_q; ex_keep_q <= rd_keep_q;
                ex_addr_q <= rd_addr_q; ex_data_q <= rd_data_q;
            end else begin
                ex_valid_q <= accepted; ex_code_q <= op_code_i; ex_keep_q <= op_keep_i;
                ex_addr_q <= op_addr_i; ex_data_q <= op_data_i;
            end
            fw1_valid_q <= dec_acc_we; fw1_addr_q <= ex_addr_q; fw1_ref_q <= dec_ref; fw1_acc_q <= dec_acc;
            fw2_valid_q <= fw1_valid_q; fw2_addr_q <= fw1_addr_q; fw2_ref_q <= fw1_ref_q; fw2_acc_q <= fw1_acc_q;
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
