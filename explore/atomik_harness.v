// Place-and-route harness: keeps atomik_unit's wide ports inside the device.
// A 32-bit LFSR, seeded from one pin, drives every input of the unit; its
// outputs are XOR-folded into one register and one pin. The harness adds
// about 32 a lane + ADDR_BITS + WIDTH/4 flip-flops and a comparable number of LUTs to
// the unit, which the exploration report states beside the unit's own area.
// With LANES > 1 every lane k > 0 has an LFSR of its own, fed by lane k-1's,
// so no two lanes' input registers hold the same bits (yosys would merge them
// and shrink the unit under test); lane 0's wiring is the one-lane harness's.
module atomik_harness #(
    parameter integer WIDTH        = 64,
    parameter integer CONTEXTS     = 256,
    parameter integer STORAGE      = 0,
    parameter integer READ_LATENCY = 1,
    parameter integer LANES        = 1
) (
    input  wire clk,
    input  wire rst_n,
    input  wire seed_i,
    output reg  out_o
);
    localparam integer ADDR_BITS = CONTEXTS > 1 ? $clog2(CONTEXTS) : 1;
    wire op_ready, done, result_valid;
    wire [WIDTH-1:0] result_data;
    wire [LANES-1:0] op_valid, op_keep;
    wire [2*LANES-1:0] op_code;
    wire [LANES*ADDR_BITS-1:0] op_addr;
    wire [LANES*WIDTH-1:0] op_data;
    wire [32*LANES-1:0] lfsr;  // lane k's LFSR in bits [32k +: 32]
    genvar k;
    generate
        for (k = 0; k < LANES; k = k + 1) begin : g_lane
            reg [31:0] lfsr_q;
            wire feed = k == 0 ? seed_i : lfsr[32*(k-1) + k];
            always @(posedge clk) lfsr_q <= {lfsr_q[30:0], lfsr_q[31] ^ lfsr_q[21] ^ lfsr_q[1] ^ lfsr_q[0] ^ feed};
            assign lfsr[32*k +: 32] = lfsr_q;
            assign op_valid[k] = lfsr_q[0];
            assign op_code[2*k +: 2] = lfsr_q[2:1];
            assign op_keep[k] = lfsr_q[3];
            assign op_addr[k*ADDR_BITS +: ADDR_BITS] = lfsr_q[4 +: ADDR_BITS] ^ lfsr_q[31 -: ADDR_BITS];
            // Stretch the LFSR over the data width by repetition (enough to toggle every bit).
            assign op_data[k*WIDTH +: WIDTH] = {((WIDTH + 31) / 32){lfsr_q}};
        end
    endgenerate
    atomik_unit #(.WIDTH(WIDTH), .CONTEXTS(CONTEXTS), .STORAGE(STORAGE), .READ_LATENCY(READ_LATENCY), .LANES(LANES)) u_unit (
        .clk_i(clk), .rst_ni(rst_n), .op_valid_i(op_valid), .op_code_i(op_code), .op_keep_i(op_keep),
        .op_addr_i(op_addr), .op_data_i(op_data), .op_ready_o(op_ready), .done_o(done),
        .result_valid_o(result_valid), .result_data_o(result_data)
    );
    always @(posedge clk) out_o <= ^{result_data, result_valid, done, op_ready};
endmodule
