// Test fixture that deviates from atomik-core where only some streams look:
// contexts c and c + 2^(LOG_C-1) share one accumulator. Its interface is
// unlike ours: a 3-bit command (1 LOAD, 2 ACCUM, 3 READ, 4 SWAP with a value,
// 5 SWAP-keep, 0 idle) with a go strobe, a synchronous active-high reset,
// and results two cycles after the command, with no valid port.
module fx_aliased #(
    parameter W     = 16,
    parameter LOG_C = 3
) (
    input  wire             clock,
    input  wire             reset,
    input  wire             go,
    input  wire [2:0]       cmd,
    input  wire [LOG_C-1:0] ctx,
    input  wire [W-1:0]     value,
    output reg  [W-1:0]     out
);
    localparam C = 1 << LOG_C;
    reg [W-1:0] refs [0:C-1];
    reg [W-1:0] accs [0:C/2-1];
    wire [LOG_C-2:0] a = ctx[LOG_C-2:0];
    wire [W-1:0] state = refs[ctx] ^ accs[a];
    reg [W-1:0] stage;
    integer i;
    always @(posedge clock) begin
        if (reset) begin
            for (i = 0; i < C; i = i + 1) refs[i] <= 0;
            for (i = 0; i < C / 2; i = i + 1) accs[i] <= 0;
            stage <= 0;
            out <= 0;
        end else begin
            out <= stage;
            if (go) begin
                case (cmd)
                    3'd1: begin refs[ctx] <= value; accs[a] <= 0; end
                    3'd2: accs[a] <= accs[a] ^ value;
                    3'd3: stage <= state;
                    3'd4: begin stage <= state; refs[ctx] <= value; accs[a] <= 0; end
                    3'd5: begin stage <= state; refs[ctx] <= state; accs[a] <= 0; end
                    default: ;
                endcase
            end
        end
    end
endmodule
