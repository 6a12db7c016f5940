// Test fixture for protocol faults: a correct four-context unit with a ready
// and a result-valid port, broken on purpose by FAULT:
//   0 none; 1 READ never gives its result (a hang); 2 LOAD gives a beat
//   (a result with nothing outstanding); 3 READ's result is x;
//   4 op_ready never rises (an operation never accepted).
module fx_faulty #(
    parameter W     = 8,
    parameter FAULT = 0
) (
    input  wire         clk,
    input  wire         rst_n,
    input  wire         op_valid,
    input  wire [1:0]   op_code,
    input  wire [1:0]   op_addr,
    input  wire [W-1:0] op_data,
    output wire         op_ready,
    output reg          result_valid,
    output reg  [W-1:0] result_data
);
    reg [W-1:0] refs [0:3];
    reg [W-1:0] accs [0:3];
    wire [W-1:0] state = refs[op_addr] ^ accs[op_addr];
    integer i;
    assign op_ready = FAULT != 4;
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            for (i = 0; i < 4; i = i + 1) begin
                refs[i] <= 0;
                accs[i] <= 0;
            end
            result_valid <= 1'b0;
            result_data <= 0;
        end else begin
            result_valid <= 1'b0;
            if (op_valid && op_ready) begin
                case (op_code)
                    2'd0: begin
                        refs[op_addr] <= op_data;
                        accs[op_addr] <= 0;
                        if (FAULT == 2) result_valid <= 1'b1;
                    end
                    2'd1: accs[op_addr] <= accs[op_addr] ^ op_data;
                    2'd2: begin
                        result_valid <= FAULT != 1;
                        result_data <= FAULT == 3 ? {W{1'bx}} : state;
                    end
                    default: begin
                        result_valid <= 1'b1;
                        result_data <= state;
                        refs[op_addr] <= state;
                        accs[op_addr] <= 0;
                    end
                endcase
            end
        end
    end
endmodule
