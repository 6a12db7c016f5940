// STORAGE = ff: reference and accumulator banks in flip-flops with
// combinational read. The operation sampled at an edge takes effect at that
// edge; a READ/SWAP result is in result_data_q in the next cycle. With
// CONTEXTS = 1 this is ATOMiK Core v2 cycle for cycle.
module atomik_unit_ff #(
    parameter integer WIDTH     = 64,   // 1..512
    parameter integer CONTEXTS  = 256,  // 1..65536
    parameter integer ADDR_BITS = 8     // ceil(log2(CONTEXTS)), at least 1
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
    wire [CONTEXTS*WIDTH-1:0] ref_flat;
    wire [CONTEXTS*WIDTH-1:0] acc_flat;
    wire [WIDTH-1:0] ref_rd = ref_flat[op_addr_i * WIDTH +: WIDTH];
    wire [WIDTH-1:0] acc_rd = acc_flat[op_addr_i * WIDTH +: WIDTH];
    wire             dec_result;
    wire [WIDTH-1:0] dec_state;

    atomik_decoder #(.WIDTH(WIDTH), .ADDR_BITS(ADDR_BITS)) u_decoder (
        .valid_i(op_valid_i), .code_i(op_code_i), .keep_i(op_keep_i), .data_i(op_data_i),
        .ref_i(ref_rd), .acc_i(acc_rd),
        .ref_we_o(wr_ref_en_o), .ref_o(wr_ref_o), .acc_we_o(wr_acc_en_o), .acc_o(wr_acc_o),
        .result_o(dec_result), .state_o(dec_state)
    );
    assign wr_addr_o = op_addr_i;

    genvar c;
    generate
        for (c = 0; c < CONTEXTS; c = c + 1) begin : g_ctx
            localparam [ADDR_BITS-1:0] ADDR = c;
            reg [WIDTH-1:0] ref_q;
            reg [WIDTH-1:0] acc_q;
            always @(posedge clk_i or negedge rst_ni) begin
                if (!rst_ni) begin
                    ref_q <= {WIDTH{1'b0}};
                    acc_q <= {WIDTH{1'b0}};
                end else if (op_addr_i == ADDR) begin
                    if (wr_ref_en_o) ref_q <= wr_ref_o;
                    if (wr_acc_en_o) acc_q <= wr_acc_o;
                end
            end
            assign ref_flat[c*WIDTH +: WIDTH] = ref_q;
            assign acc_flat[c*WIDTH +: WIDTH] = acc_q;
        end
    endgenerate

    reg             done_q;
    reg             result_valid_q;
    reg [WIDTH-1:0] result_data_q;
    always @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            done_q         <= 1'b0;
            result_valid_q <= 1'b0;
            result_data_q  <= {WIDTH{1'b0}};
        end else begin
            done_q         <= op_valid_i;
            result_valid_q <= dec_result;
            if (dec_result) result_data_q <= dec_state;
        end
    end

    assign op_ready_o     = 1'b1;
    assign done_o         = done_q;
    assign result_valid_o = result_valid_q;
    assign result_data_o  = result_data_q;
endmodule
