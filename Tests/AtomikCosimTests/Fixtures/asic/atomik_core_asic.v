// Test fixture with the interface of the ATOMiK ASIC core (shared/ATOMIK.md
// section 2), but an accumulator per context (atomik-core's semantics):
// 00 LOAD, 01 ACCUM, 10 READ, 11 SWAP (no new reference). LOAD and ACCUM
// finish in one cycle; READ and SWAP walk IDLE, WAIT1 (READ_LATENCY 2),
// WAIT2, RESULT. Every operation gives one result beat (0 for LOAD and
// ACCUM). An operation offered while busy is ignored, unless WITH_READY is
// defined: then op_ready says when one is taken.
module atomik_core_asic #(
    parameter ADDR_WIDTH   = 8,
    parameter DATA_WIDTH   = 64,
    parameter READ_LATENCY = 1
) (
    input  wire                  clk,
    input  wire                  rst_n,
    input  wire                  op_valid,
    input  wire [1:0]            op_code,
    input  wire [ADDR_WIDTH-1:0] op_addr,
    input  wire [DATA_WIDTH-1:0] op_data,
`ifdef WITH_READY
    output wire                  op_ready,
`endif
    output reg                   result_valid,
    output reg  [DATA_WIDTH-1:0] result_data
);
    localparam N = 1 << ADDR_WIDTH;
    localparam [1:0] IDLE = 2'd0, WAIT1 = 2'd1, WAIT2 = 2'd2, RESULT = 2'd3;
    reg [DATA_WIDTH-1:0] ref_mem [0:N-1];
    reg [DATA_WIDTH-1:0] acc_mem [0:N-1];
    reg [1:0] state;
    reg [ADDR_WIDTH-1:0] addr_q;
    reg swap_q;
    reg [DATA_WIDTH-1:0] value_q;
    integer i;
`ifdef WITH_READY
    assign op_ready = state == IDLE;
`endif
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            state <= IDLE;
            result_valid <= 1'b0;
            result_data <= 0;
            addr_q <= 0;
            swap_q <= 1'b0;
            value_q <= 0;
            for (i = 0; i < N; i = i + 1) begin
                ref_mem[i] <= 0;
                acc_mem[i] <= 0;
            end
        end else begin
            result_valid <= 1'b0;
            case (state)
                IDLE: if (op_valid) begin
                    case (op_code)
                        2'b00: begin ref_mem[op_addr] <= op_data; acc_mem[op_addr] <= 0; result_valid <= 1'b1; result_data <= 0; end
                        2'b01: begin acc_mem[op_addr] <= acc_mem[op_addr] ^ op_data; result_valid <= 1'b1; result_data <= 0; end
                        default: begin
                            addr_q <= op_addr;
                            swap_q <= op_code == 2'b11;
                            state <= READ_LATENCY == 2 ? WAIT1 : WAIT2;
                        end
                    endcase
                end
                WAIT1: state <= WAIT2;
                WAIT2: begin
                    value_q <= ref_mem[addr_q] ^ acc_mem[addr_q];
                    state <= RESULT;
                end
                default: begin
                    result_valid <= 1'b1;
                    result_data <= value_q;
                    if (swap_q) begin
                        ref_mem[addr_q] <= value_q;
                        acc_mem[addr_q] <= 0;
                    end
                    state <= IDLE;
                end
            endcase
        end
    end
endmodule
