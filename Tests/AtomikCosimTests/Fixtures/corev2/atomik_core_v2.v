// Test fixture with the interface of ATOMiK Core v2 (shared/ATOMIK.md section 2):
// one context, the idle cycle is opcode 00 (00 NOP, 01 LOAD, 10 ACCUMULATE,
// 11 READ), no SWAP, no result-valid port: data_out holds a READ's value from
// the next cycle on; data_valid is 1 after any operation.
module atomik_core_v2 #(
    parameter DATA_WIDTH = 64
) (
    input  wire                  clk,
    input  wire                  rst_n,
    input  wire [1:0]            operation,
    input  wire [DATA_WIDTH-1:0] data_in,
    output reg  [DATA_WIDTH-1:0] data_out,
    output reg                   data_valid,
    output wire                  accumulator_zero,
    output wire [DATA_WIDTH-1:0] debug_initial_state,
    output wire [DATA_WIDTH-1:0] debug_accumulator
);
    reg [DATA_WIDTH-1:0] initial_state, accumulator;
    assign accumulator_zero = accumulator == 0;
    assign debug_initial_state = initial_state;
    assign debug_accumulator = accumulator;
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            initial_state <= 0;
            accumulator <= 0;
            data_out <= 0;
            data_valid <= 1'b0;
        end else begin
            data_valid <= operation != 2'b00;
            case (operation)
                2'b01: begin initial_state <= data_in; accumulator <= 0; end
                2'b10: accumulator <= accumulator ^ data_in;
                2'b11: data_out <= initial_state ^ accumulator;
                default: ;
            endcase
        end
    end
endmodule
