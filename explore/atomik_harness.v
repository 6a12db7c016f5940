// Place-and-route harness: keeps atomik_unit's wide ports inside the device.
// A 32-bit LFSR, seeded from one pin, drives every input of the unit; its
// outputs are XOR-folded into one register and one pin. The harness adds
// about 32 + ADDR_BITS + WIDTH/4 flip-flops and a comparable number of LUTs to
// the unit, which the exploration report states beside the unit's own area.
module atomik_harness #(
    parameter integer WIDTH        = 64,
    parameter integer CONTEXTS     = 256,
    parameter integer STORAGE      = 0,
    parameter integer READ_LATENCY = 1
) (
    input  wire clk,
    input  wire rst_n,
    input  wire seed_i,
    output reg  out_o
);
    localparam integer ADDR_BITS = CONTEXTS > 1 ? $clog2(CONTEXTS) : 1;
    reg [31:0] lfsr_q;
    always @(posedge clk) lfsr_q <= {lfsr_q[30:0], lfsr_q[31] ^ lfsr_q[21] ^ lfsr_q[1] ^ lfsr_q[0] ^ seed_i};

    // Stretch the LFSR over the data width by repetition (enough to toggle every bit).
    wire [WIDTH-1:0] data = {((WIDTH + 31) / 32){lfsr_q}};
    wire op_ready, done, result_valid;
    wire [WIDTH-1:0] result_data;
    atomik_unit #(.WIDTH(WIDTH), .CONTEXTS(CONTEXTS), .STORAGE(STORAGE), .READ_LATENCY(READ_LATENCY)) u_unit (
        .clk_i(clk), .rst_ni(rst_n), .op_valid_i(lfsr_q[0]), .op_code_i(lfsr_q[2:1]), .op_keep_i(lfsr_q[3]),
        .op_addr_i(lfsr_q[4 +: ADDR_BITS] ^ lfsr_q[31 -: ADDR_BITS]), .op_data_i(data), .op_ready_o(op_ready), .done_o(done),
        .result_valid_o(result_valid), .result_data_o(result_data)
    );
    always @(posedge clk) out_o <= ^{result_data, result_valid, done, op_ready};
endmodule
