// The four-opcode decoder: what one operation does to one context, as
// combinational logic. Cases in the same order as the Swift software core.
module atomik_decoder #(
    parameter integer WIDTH     = 64,  // context width, 1..512
    parameter integer ADDR_BITS = 8    // address width (for the ISA header only)
) (
    input  wire             valid_i,
    input  wire [1:0]       code_i,
    input  wire             keep_i,
    input  wire [WIDTH-1:0] data_i,
    input  wire [WIDTH-1:0] ref_i,     // the context's reference before the operation
    input  wire [WIDTH-1:0] acc_i,     // the context's accumulator before the operation
    output reg              ref_we_o,
    output reg  [WIDTH-1:0] ref_o,     // new reference (the old one when ref_we_o = 0)
    output reg              acc_we_o,
    output reg  [WIDTH-1:0] acc_o,     // new accumulator (the old one when acc_we_o = 0)
    output reg              result_o,  // READ or SWAP: state_o is a result
    output wire [WIDTH-1:0] state_o    // current state, ref ^ acc
);
`include "atomik_isa.vh"

    assign state_o = ref_i ^ acc_i;

    always @* begin
        ref_we_o = 1'b0;
        acc_we_o = 1'b0;
        result_o = 1'b0;
        ref_o    = ref_i;
        acc_o    = acc_i;
        if (valid_i) begin
            case (code_i)
                OP_LOAD:  begin ref_we_o = 1'b1; ref_o = data_i; acc_we_o = 1'b1; acc_o = {WIDTH{1'b0}}; end
                OP_ACCUM: begin acc_we_o = 1'b1; acc_o = acc_i ^ data_i; end
                OP_READ:  begin result_o = 1'b1; end
                OP_SWAP:  begin
                    ref_we_o = 1'b1; ref_o = keep_i ? state_o : data_i;
                    acc_we_o = 1'b1; acc_o = {WIDTH{1'b0}};
                    result_o = 1'b1;
                end
                default:  begin end
            endcase
        end
    end
endmodule
